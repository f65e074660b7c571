"""Search by name: any spelling or script finds the entity and the articles tagged with
it; did-you-mean; autocomplete."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.search import queries as search_module
from articles.search.criteria import Criteria
from articles.search.names import near_misses, recognise
from articles.search.results import did_you_mean, search
from tests.support.factories import make_article, make_entity
from tests.support.searching import SEARCH_URL, SUGGEST_URL, found, page_html, titles

# Names: any spelling or script finds the entity and the articles tagged with it.


@pytest.mark.parametrize(
    "query",
    ["Hameed", "Faiz Hamid", "Tehreek-e-Taliban", "خوست", "Jelalabad", "TTP", "فیض حميد"],
)
def test_an_alias_or_native_script_finds_the_seed(seeded, query):
    assert seeded.title in found(query)


@pytest.mark.parametrize(
    ("query", "card"),
    [
        ("Hameed", "Person: Faiz Hameed"),
        ("Tehreek-e-Taliban", "Organisation: Tehrik-i-Taliban Pakistan"),
        ("خوست", "Place: Khost"),
        ('"Faiz Hamid"', "Person: Faiz Hameed"),
    ],
)
def test_a_query_naming_an_entity_offers_it_at_the_top(client, seeded, query, card):
    html = page_html(client, q=query)
    entities = html.index('class="search-entities"')
    assert html.index("search-count") > entities
    text = " ".join(re.sub(r"<[^>]+>", "", html[entities:]).split())
    assert f"{card} " in text
    assert re.search(re.escape(card) + r" .*?— 1 article\b", text)


def test_articles_tagged_with_the_named_entity_are_found_whatever_their_text_says(db):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    make_article(
        title="ISI chief in Kabul", body="The spy chief visited.", tags=[faiz], tag_origin="editor"
    )
    make_article(title="Unrelated", body="Nothing about him.")
    assert found("Faiz Hamid") == {"ISI chief in Kabul"}


def test_a_part_of_two_names_in_the_seed_offers_both(client, seeded):
    # Faiz Hameed is also written Faiz Hamid; Hamid Karzai is a first name away.
    html = page_html(client, q="Hamid")
    assert "is part of several names" in html
    assert "Faiz Hameed</a>" in html and "Hamid Karzai</a>" in html


def test_the_text_match_ranks_above_a_tag_only_match(db):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    make_article(title="Tagged only", body="The spy.", tags=[faiz], days_ago=1, tag_origin="editor")
    make_article(title="Faiz Hameed detained", body="He was held.", tags=[faiz], days_ago=5)
    assert titles(Criteria(text="Hamid")) == ["Faiz Hameed detained", "Tagged only"]


def test_names_within_longer_queries_are_matched_by_text_or_tag(db):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    make_article(title="Tea in Kabul", body="The spy in Kabul.", tags=[faiz], tag_origin="editor")
    make_article(
        title="Tea in Islamabad", body="The spy at home.", tags=[faiz], tag_origin="editor"
    )
    make_article(title="Lunch", body="Faiz Hamid lunched in Kabul.", tags=[faiz])
    make_article(title="Kabul hotel", body="Kabul news without him.")
    assert found("Hamid Kabul") == {"Tea in Kabul", "Lunch"}
    assert found("Faiz Hameed in Kabul") == {"Tea in Kabul", "Lunch"}


def test_each_spelling_of_a_name_counts_once_however_many_of_its_names_hold_it(db):
    """The word typed, the name and "Afghan Taliban" all hold 'taliban': it counts once, as
    "Taleban" does, and "Islamic Emirate", two words, counts once as one: a headline naming
    the Taliban once ranks with one naming them once any other way, the newest first."""
    taliban = make_entity(
        kind="organisation",
        name="Taliban",
        aliases=["Afghan Taliban", "Taleban", "Islamic Emirate"],
    )
    for title, days_ago in [
        ("Taliban envoys meet", 5),
        ("Taleban envoys meet", 1),
        ("Islamic Emirate envoys meet", 3),
        ("Afghan Taliban envoys meet", 9),
    ]:
        make_article(title=title, body="Talks went on.", tags=[taliban], days_ago=days_ago)
    assert titles(Criteria(text="Taliban")) == [
        "Taleban envoys meet",
        "Islamic Emirate envoys meet",
        "Taliban envoys meet",
        "Afghan Taliban envoys meet",
    ]


def test_a_names_query_keeps_only_the_phrases_that_add_to_it(db):
    """A phrase holding another alternative whole, and one written twice, add no match,
    only a word counted again in the rank: they are left out. Anything but an OR of plain
    phrases is left as it is."""
    cases = {
        "'taliban' | 'afghan' <-> 'taliban' | 'taliban' | 'taleban'": "'taliban' | 'taleban'",
        "'islam' <-> 'emir' <2> 'afghanistan' | 'islam' <-> 'emir'": "'islam' <-> 'emir'",
        "'kham' | 'tor' <-> 'kham' <-> 'border' | 'tor' <-> 'kham'": "'kham'",
        # Whole lexemes only: a pair is a lexeme of its own, not its words.
        "'islam emir' | 'emir' | 'islam' <-> 'emir'": "'islam emir' | 'emir'",
        "'a''b' <-> 'c' | 'b' | 'a''b' <-> 'c'": "'a''b' <-> 'c' | 'b'",
        "'x':A | 'x' <-> 'y'": "'x':A | 'x' <-> 'y'",
        "'x' | 'x' & 'y'": "'x' | 'x' & 'y'",
        "'x' | !'y'": "'x' | !'y'",
        "( 'x' | 'z' ) <-> 'y' | 'x'": "( 'x' | 'z' ) <-> 'y' | 'x'",
    }
    with connection.cursor() as cursor:
        for query, kept in cases.items():
            cursor.execute("SELECT newsarchive_any_of_phrases(%s::tsquery)::text", [query])
            assert cursor.fetchone()[0] == kept, query


def test_a_surname_shared_by_two_people_names_neither(db):
    make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    other = make_entity(name="Abdul Hamid")
    make_article(title="Tagged only", body="Nothing.", tags=[other])
    assert found("Hamid") == set()


def test_a_spelling_shared_by_many_entities_names_none_of_them(db):
    shared = [make_entity(name=f"Mullah {n}", aliases=["Mullah Sahib"]) for n in range(6)]
    make_article(title="Tagged only", body="Nothing.", tags=shared)
    make_article(title="Mullah Sahib spoke", body="Text.")
    assert found("Mullah Sahib") == {"Mullah Sahib spoke"}


def test_ranking_and_highlighting_never_use_phrases_however_long_the_names(client, db):
    """Long phrases of repeated words in ts_headline over long documents once took
    gigabytes: the rank and headline query is an OR of a bounded number of words."""
    payload = "img src x onerror alert 1"
    entities = [make_entity(name=f"{payload} {payload} {n}", aliases=[payload]) for n in range(3)]
    make_article(title=payload, body=f"{payload} " * 300, tags=entities)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH_URL, {"q": f'"{payload}" {payload}'})
    assert response.status_code == 200 and "1 article" in response.text
    for function in ("newsarchive_headline",):
        query = next(q["sql"] for q in captured.captured_queries if function in q["sql"])
        call = query[query.index(function) : query.index(" FROM ")]
        assert "phraseto_tsquery" not in call and "<->" not in call


def test_operators_stop_words_from_being_read_as_names(db):
    khost = make_entity(kind="place", name="Khost", aliases=["Khowst"])
    make_article(title="Tagged Khost", body="A city report.", tags=[khost])
    make_article(title="Khowst city report", body="A city report.")
    assert found("Khowst") == {"Tagged Khost", "Khowst city report"}
    assert found("Khowst OR nowhere") == {"Khowst city report"}
    assert found('"Khowst" -nowhere') == {"Khowst city report"}
    assert found("city -Khowst") == {"Tagged Khost"}


# Did you mean, and autocomplete.


def test_a_misspelt_place_suggests_the_right_name(client, seeded):
    html = page_html(client, q="Jalalbad")
    assert "0 articles" in html
    assert re.search(r'Did you mean <a href="/search/\?q=Jalalabad">Jalalabad</a>', html)


def test_names_are_read_before_the_page_without_scoring_near_misses(seeded):
    """Trigram scores are the dearest part of reading names, and only a page with few
    results shows near misses: they are asked beside the page, after its counts."""
    with CaptureQueriesContext(connection) as captured:
        recognition = recognise("Jalalbad")
    (names,) = captured.captured_queries
    assert "similarity" not in names["sql"].lower()
    assert recognition.near_misses_wanted
    assert not recognise("Jalalabad").near_misses_wanted  # named: nothing to suggest


def test_did_you_mean_offers_the_best_scored_name_of_each_entity_first(db):
    make_entity(kind="place", name="Jalrez", aliases=["Jalrez Valley"])
    make_entity(kind="place", name="Jalraz")
    rows = near_misses("Jalra")
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert [row["e_name"] for row in rows].count("Jalrez") == 2  # its name and its alias
    suggestions = did_you_mean(Criteria(text="Jalra"), rows)
    assert [s.text for s in suggestions] == ["Jalraz", "Jalrez"]


@pytest.mark.parametrize(("articles", "asked"), [(2, True), (3, False)])
def test_near_misses_are_asked_only_when_the_words_find_almost_nothing(db, articles, asked):
    """Scoring every name by trigrams costs more than the rest of the counts: a search
    asks for near misses only when it finds fewer than FEW_RESULTS articles."""
    make_entity(kind="place", name="Jalalabad")
    for number in range(articles):
        make_article(title=f"Jalalbad report {number}")
    with CaptureQueriesContext(connection) as captured:
        page = search(Criteria(text="Jalalbad"))
    trigram_queries = [q for q in captured.captured_queries if "similarity" in q["sql"].lower()]
    assert len(trigram_queries) == (1 if asked else 0)
    assert [s.text for s in page.did_you_mean] == (["Jalalabad"] if asked else [])


def test_no_suggestion_when_the_query_finds_enough(db):
    khost = make_entity(kind="place", name="Khost", slug="khost")
    for number in range(3):
        make_article(title=f"Khowst news {number}", tags=[khost])
    assert search(Criteria(text="Khowst")).did_you_mean == []


def test_suggest_returns_entities_for_a_prefix_as_json(client, seeded):
    response = client.get(SUGGEST_URL, {"q": "jal"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, no-cache"  # as every public page
    data = response.json()
    assert data["query"] == "jal"
    assert data["results"][0] == {
        "name": "Jalalabad",
        "kind": "place",
        "kind_label": "Place",
        "matched": "Jalalabad",
        "url": "/places/jalalabad/",
        "article_count": 1,
    }


@pytest.mark.parametrize(
    ("query", "name"),
    [("Jalalbad", "Jalalabad"), ("خو", "Khost"), ("hamid", "Faiz Hameed"), ("TEHREEK", None)],
)
def test_suggest_finds_near_misses_other_scripts_and_aliases(client, seeded, query, name):
    results = client.get(SUGGEST_URL, {"q": query}).json()["results"]
    assert 0 < len(results) <= 8
    if name:
        assert name in [r["name"] for r in results]


def test_suggest_with_no_query_suggests_nothing(client, seeded, django_assert_num_queries):
    # Two queries: the archive's state, which keys the page cache, read before the answer
    # and again before storing it (articles/reader/caching.py).
    with django_assert_num_queries(2):
        assert client.get(SUGGEST_URL, {"q": " \t "}).json() == {"query": "", "results": []}


def test_suggest_returns_at_most_eight(client, db):
    for number in range(12):
        make_entity(name=f"Mullah Number{number}")
    assert len(client.get(SUGGEST_URL, {"q": "mullah"}).json()["results"]) == 8


def test_a_rarely_tagged_name_finds_the_same_articles_from_its_tags_first(monkeypatch, db):
    """Entities in few articles are matched by reading their tags first (SPARSE_TAGS); the
    results are those of probing each article's tags."""
    hameed = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    kabul = make_entity(kind="place", name="Kabul")
    for day in range(1, 8):
        make_article(
            title=f"Spy chief {day}",
            body="The general spoke.",
            tags=[hameed],
            days_ago=day,
            tag_origin="editor",
        )
    make_article(title="Kabul and the general", body="Faiz Hamid in Kabul.", tags=[kabul])
    make_article(title="Unrelated", body="Trade at the crossing.")
    queries = [Criteria(text="Hamid"), Criteria(text="Faiz Hamid Kabul")]

    def results_and_sparseness(criteria):
        plan = search_module.plan(criteria, recognise(criteria.text))
        return [a.title for a in search(criteria).page], plan.shape.sparse

    monkeypatch.setattr(search_module, "SPARSE_TAGS", 0)
    probed, dense = zip(*map(results_and_sparseness, queries), strict=True)
    monkeypatch.setattr(search_module, "SPARSE_TAGS", 1_000)
    read_first, sparse = zip(*map(results_and_sparseness, queries), strict=True)
    assert dense == ((False,), (False, False)) and sparse == ((True,), (True, True))
    assert read_first == probed
    assert len(probed[0]) == 8 and "Unrelated" not in probed[0]
    assert probed[1] == ["Kabul and the general"]

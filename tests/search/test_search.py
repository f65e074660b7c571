"""Search: full text, filters, facets, the results page, and its queries (names in any
spelling: test_search_names.py; the plans of its statements: test_search_plans.py; counts
and paging through the whole archive: test_search_paging.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict

from articles.models import Alias, ArchiveTally, Article, Entity
from articles.search import queries as search_module
from articles.search.criteria import Criteria
from articles.search.forms import SearchForm
from articles.search.names import recognise
from articles.search.passages import highlight
from articles.search.results import FEW_RESULTS, search
from tests.support.factories import make_article, make_entity
from tests.support.searching import SEARCH_URL, SUGGEST_URL, at, found, page_html, titles

# The database keeps the search columns, whatever writes the rows.


def test_folded_names_are_kept_by_the_database_on_every_write_path(db):
    entity = Entity.objects.create(kind="place", name="Türkiye", slug="turkiye")
    Alias.objects.bulk_create(
        [
            Alias(entity=entity, name="Tehreek-e-Taliban’s  Office"),
            Alias(entity=entity, name="فیض حميد"),
        ]
    )
    assert Entity.objects.get().search_name == "turkiye"
    assert set(Alias.objects.values_list("search_name", flat=True)) == {
        "tehreek e taliban s office",
        "فیض حمید",  # Arabic yeh folded to Farsi yeh
    }
    Entity.objects.update(name="Jelālābād")
    assert Entity.objects.get().search_name == "jelalabad"


def test_the_search_vector_follows_edits_made_by_any_path(db):
    article = make_article(title="Quiet day", body="Nothing happened.")
    assert not found("torkham")
    Article.objects.filter(pk=article.pk).update(body="Trucks crossed at Torkham.")
    assert found("torkham") == {"Quiet day"}


@pytest.mark.parametrize(
    "text",
    [
        "Refugees crossed at Torkham.",
        "Türkiye’s “envoy” — in Jalālābād",
        "فيض حميد",  # Arabic yeh and kaf variants
        "كابل، ننګرهار",
        "طالبانـــ  مُحَمَّد",  # tatweel and harakat
        "Khost (خوست) and Kabul (کابل)",
        "",
    ],
)
def test_search_text_skips_no_arabic_script_and_changes_nothing_else(db, text):
    """Migration 0009's fast path: the same result as the function it replaced."""
    with connection.cursor() as cursor:
        cursor.execute(
            r"SELECT newsarchive_search_text(%s), regexp_replace(translate(%s, "
            r"U&'\064A\0649\0643\0629', U&'\06CC\06CC\06A9\0647'), "
            r"U&'[\064B-\065F\0670\0640]', '', 'g')",
            [text, text],
        )
        fast, full = cursor.fetchone()
    assert fast == full


# Words: ranking, phrases, OR and exclusion.


def test_a_title_match_ranks_above_a_standfirst_match_above_a_body_match(db):
    make_article(title="Market news", body="Prices rose in Chaman today.", days_ago=1)
    make_article(title="Trade", standfirst="Chaman traders wait.", body="Long queues.", days_ago=2)
    make_article(title="Chaman crossing shut", body="The border post closed.", days_ago=3)
    assert titles(Criteria(text="chaman")) == ["Chaman crossing shut", "Trade", "Market news"]


def test_a_quoted_phrase_matches_the_words_together_only(db):
    make_article(title="A", body="The border crossing at Torkham reopened.")
    make_article(title="B", body="The crossing was calm; the border was not.")
    assert found('"border crossing"') == {"A"}
    assert found("border crossing") == {"A", "B"}


def test_or_finds_either_word(db):
    make_article(title="Khost report", body="Shops closed.")
    make_article(title="Kandahar report", body="Shops opened.")
    make_article(title="Kabul report", body="Shops unchanged.")
    assert found("Khost OR Kandahar") == {"Khost report", "Kandahar report"}


def test_a_minus_sign_excludes_a_word(db):
    make_article(title="Torkham trade", body="Trucks at the border.")
    make_article(title="Chaman trade", body="Trucks at the border.")
    assert found("trade -torkham") == {"Chaman trade"}


def test_diacritics_and_case_do_not_matter(db):
    make_article(title="Delegation flies to Türkiye", body="Talks in Istanbul.")
    assert found("turkiye") == found("TÜRKIYE") == {"Delegation flies to Türkiye"}


def test_arabic_letter_variants_match_each_other(db):
    make_article(title="گزارش", body="خبر از كابل")  # Arabic kaf in the text
    assert found("کابل") == {"گزارش"}  # keheh in the query


# Filters, alone and combined, and the facets that add them.


@pytest.fixture
def corpus(db):
    """Five articles with known tags, years and sources."""
    people = {p: make_entity(name=p.title(), slug=p) for p in ("sadat", "basir")}
    places = {p: make_entity(kind="place", name=p.title(), slug=p) for p in ("khost", "kabul")}
    event = make_entity(kind="event", name="Border clashes", slug="clashes")
    ttp = make_entity(kind="organisation", name="TTP", slug="ttp")
    specs = [
        ("One", [people["sadat"], places["khost"], event], 2025, "DW"),
        ("Two", [people["sadat"], places["kabul"], ttp], 2025, "Dawn"),
        ("Three", [people["basir"], places["khost"], ttp, event], 2024, "DW"),
        ("Four", [people["basir"], places["kabul"]], 2024, "Tolo"),
        ("Five", [places["khost"]], 2023, "DW"),
    ]
    for title, tags, year, source in specs:
        make_article(
            title=f"{title} border report",
            body="Fighting along the border.",
            tags=tags,
            published_at=at(year),
            source_name=source,
        )
    return specs


FILTER_CASES = [
    ({"entities": (("person", "sadat"),)}, {"One", "Two"}),
    ({"entities": (("place", "khost"),)}, {"One", "Three", "Five"}),
    ({"entities": (("event", "clashes"),)}, {"One", "Three"}),
    ({"entities": (("organisation", "ttp"),)}, {"Two", "Three"}),
    ({"year": 2024}, {"Three", "Four"}),
    ({"source": "DW"}, {"One", "Three", "Five"}),
    ({"entities": (("place", "khost"), ("person", "basir"))}, {"Three"}),
    ({"entities": (("place", "kabul"),), "year": 2025}, {"Two"}),
    ({"entities": (("organisation", "ttp"),), "source": "DW", "year": 2024}, {"Three"}),
    ({"entities": (("place", "khost"), ("place", "kabul"))}, set()),
]


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES)
def test_filters_alone_and_combined(corpus, filters, expected):
    expected_titles = {f"{t} border report" for t in expected}
    assert found("", **filters) == expected_titles
    assert found("border", **filters) == expected_titles


@pytest.mark.parametrize(("filters", "expected"), FILTER_CASES[:6])
def test_filters_arrive_as_query_parameters(client, corpus, filters, expected):
    criteria = Criteria(text="border", **filters)
    html = client.get(criteria.url()).content.decode()
    assert set(re.findall(r">(\w+) border report</a>", html)) == expected


def test_filters_combine_with_words(corpus):
    make_article(title="Khost market", body="Prices.", tags=[Entity.objects.get(slug="khost")])
    assert found("market", entities=(("place", "khost"),)) == {"Khost market"}
    assert found("report", entities=(("place", "khost"),), source="DW", year=2023) == {
        "Five border report"
    }


@pytest.mark.parametrize(
    ("text", "filters"),
    [
        ("border", {}),
        ("fighting -nothing", {}),
        ("border", {"source": "DW"}),
        ("", {"source": "DW"}),
        ("report", {"entities": (("place", "khost"),)}),
        ("", {"entities": (("place", "khost"), ("organisation", "ttp"))}),
        ("border", {"year": 2025}),
    ],
)
def test_every_facet_count_equals_the_count_of_its_filtered_search(corpus, text, filters):
    result = search(Criteria(text=text, **filters))
    assert result.facets
    for facet in result.facets:
        for value in facet.values:
            if value.active:  # an active value is on every result; its link removes it
                assert value.count == result.count
                continue
            form = SearchForm(QueryDict(value.url.partition("?")[2]))
            assert search(form.criteria()).count == value.count, (facet.name, value.label)


def test_facets_list_what_the_results_are_tagged_with(corpus):
    result = search(Criteria(text="border", source="DW"))
    facets = {f.name: {v.label: v.count for v in f.values} for f in result.facets}
    assert facets["person"] == {"Sadat": 1, "Basir": 1}
    assert facets["place"] == {"Khost": 3}
    assert facets["event"] == {"Border clashes": 2}
    assert facets["organisation"] == {"TTP": 1}
    assert facets["year"] == {"2025": 1, "2024": 1, "2023": 1}
    assert facets["source"] == {"DW": 3}


def test_facet_links_add_a_filter_and_keep_the_rest(client, corpus):
    html = page_html(client, q="border", source="DW")
    assert 'href="/search/?q=border&amp;person=sadat&amp;source=DW"' in html
    assert 'href="/search/?q=border&amp;year=2024&amp;source=DW"' in html


def test_active_filters_show_and_can_be_removed(client, corpus):
    html = page_html(client, q="border", place="khost", year="2025")
    assert "Place: Khost" in html and "Year: 2025" in html
    assert 'href="/search/?q=border&amp;year=2025" aria-label="Remove the filter Place: Khost"' in (
        html
    )
    assert 'href="/search/?q=border&amp;place=khost" aria-label="Remove the filter Year: 2025"' in (
        html
    )


def test_invalid_filters_are_ignored_with_a_notice(client, corpus):
    html = page_html(client, q="border", person="not a slug", year="twenty", source="x" * 500)
    assert "Ignored the person filter" in html and "Ignored the year" in html
    assert "Ignored the source filter" in html
    assert "5 articles" in html


def test_an_unknown_entity_filter_shows_and_finds_nothing(client, corpus):
    html = page_html(client, q="border", person="nobody-at-all")
    assert "nobody-at-all (not found)" in html and "0 articles" in html


def test_a_filtered_search_before_the_first_article_is_published_finds_nothing(db):
    """The archive's tally has no row until an article is published."""
    ArchiveTally.objects.all().delete()
    khost = make_entity(kind="place", name="Khost")
    in_khost = (("place", khost.slug),)
    assert search(Criteria(text="attack", entities=in_khost)).count == 0
    assert search(Criteria(entities=in_khost)).count == 0


def test_a_rare_entitys_filter_finds_and_orders_as_the_indexs_ranking_does(monkeypatch, db):
    khost, kabul = make_entity(kind="place", name="Khost"), make_entity(kind="place", name="Kabul")
    for day, (title, body) in enumerate(
        [
            ("Attack in Khost", "An attack on a post."),
            ("Market day", "An attack was reported, then another attack."),
            ("Attack, attack", "The attack in Khost."),
            ("Quiet day", "Nothing of note."),
            ("Attack claimed", "An attack."),
            ("Attack claimed", "An attack."),  # tied with the one before: the newer first
        ],
        start=1,
    ):
        make_article(title=title, body=body, tags=[khost], days_ago=day)
    make_article(title="Attack in Kabul", tags=[kabul])
    original = make_article(title="Attack at the border", tags=[khost], days_ago=9)
    make_article(
        title="Attack (Urdu)", language="ur", translation_of=original, tags=[khost], days_ago=9
    )
    in_khost = (("place", khost.slug),)
    searches = [
        Criteria(text="attack", entities=in_khost),
        Criteria(text="claimed attack", entities=in_khost),
    ]

    def results_and_shape(criteria):
        results = search(criteria)
        shape = search_module.plan(criteria, recognise(criteria.text, criteria.entities)).shape
        return [a.title for a in results.page], results.count, shape.filters

    monkeypatch.setattr(search_module, "TAGS_FIRST_SHARE", 0)
    by_the_index = [results_and_shape(criteria) for criteria in searches]
    monkeypatch.setattr(search_module, "TAGS_FIRST_SHARE", 1)
    tags_first = [results_and_shape(criteria) for criteria in searches]
    assert {shape for *_, shape in by_the_index} == {(False,)}
    assert {shape for *_, shape in tags_first} == {(True,)}
    assert [found for *found, _ in tags_first] == [found for *found, _ in by_the_index]
    titles_found, count, _ = tags_first[0]
    assert count == 6 and titles_found[:2] == ["Attack, attack", "Attack in Khost"]
    assert "Attack in Kabul" not in titles_found and "Attack (Urdu)" not in titles_found
    # By date the planner prices the page right: the filter stays a probe of the tags.
    by_date = Criteria(text="attack", entities=in_khost, sort="oldest")
    assert search_module.plan(by_date, recognise("attack", in_khost)).shape.filters == (False,)


# The public gate.


def test_drafts_and_scheduled_articles_never_appear_or_count(client, db):
    khost = make_entity(kind="place", name="Khost", slug="khost")
    make_article(title="Khost published", tags=[khost])
    make_article(title="Khost draft", status=Article.Status.DRAFT, tags=[khost])
    make_article(title="Khost scheduled", days_ago=-3, tags=[khost])
    result = search(Criteria(text="Khost"))
    assert [a.title for a in result.page] == ["Khost published"]
    assert [n.article_count for n in result.named_entities] == [1]
    assert {v.count for f in result.facets for v in f.values} == {1}
    assert client.get(SUGGEST_URL, {"q": "kho"}).json()["results"][0]["article_count"] == 1
    assert search(Criteria(entities=(("place", "khost"),))).count == 1


# The page.


def test_the_search_box_is_on_every_page(client, db):
    for url in ("/", SEARCH_URL):
        html = client.get(url).content.decode()
        assert f'action="{SEARCH_URL}"' in html and 'name="q"' in html
        assert f'data-suggest-url="{SUGGEST_URL}"' in html
        assert re.search(r'<script src="[^"]*search-suggest\.js" defer></script>', html)
        assert "<script>" not in html


def test_the_query_is_kept_in_the_box(client, db):
    html = page_html(client, q='"border crossing" <b>')
    assert 'value="&#34;border crossing&#34; &lt;b&gt;"' in html


def test_results_show_count_and_highlighted_passage(client, db):
    make_article(title="Report", body="Crowds in Jalalabad greeted the fighters with garlands.")
    html = page_html(client, q="garlands")
    assert "1 article" in html
    assert "greeted the fighters with <mark>garlands</mark>" in html


def test_headlines_are_escaped_before_highlighting(db):
    make_article(
        title="Odd",
        body="A &lt;script&gt;alert(1)&lt;/script&gt; and <img src=x onerror=y> "
        "**Torkham** \\*stars\\* [link text](http://example.com) in ## the body.",
    )
    snippet = search(Criteria(text="torkham")).page[0].snippet
    assert "<script" not in snippet and "<img" not in snippet
    assert "alert(1)&lt;/script&gt;" in snippet
    assert "<mark>Torkham</mark>" in snippet
    assert "*stars*" in snippet and "link text" in snippet and "http" not in snippet


def numbered_words(first: int, count: int) -> str:
    return " ".join(f"w{n:04}" for n in range(first, first + count))


@pytest.mark.parametrize(
    ("opening", "query", "match"),
    [
        ("", "refugees", "refugees"),
        # A word that only begins like the one searched for: the whole text is read.
        ("A refuge.", "refugees", "refugees"),
        # The text spells it with a diacritic, so no beginning is found in it.
        ("", "Turkiye", "Türkiye"),
    ],
)
def test_the_passage_is_found_deep_in_a_long_body(opening, query, match, db):
    body = f"{opening} {numbered_words(0, 600)} {match} {numbered_words(600, 600)}"
    make_article(title="Long report", standfirst="", body=body)
    snippet = search(Criteria(text=query)).page[0].snippet
    assert f"<mark>{match}</mark>" in snippet
    # Whole words only, however the passage was cut from the text.
    words = snippet.replace(f"<mark>{match}</mark>", "").replace("…", "").split()
    assert words and all(re.fullmatch(r"w\d{4}", word) for word in words)


def test_an_article_matched_by_its_title_alone_shows_the_opening_of_its_text(db):
    """None of the words is in the text: the passage is the text's first words, as
    ts_headline gives them, though only its first part is given to ts_headline."""
    body = f"{numbered_words(0, 600)} Kabul {numbered_words(600, 600)}"
    make_article(title="Torkham crossing", standfirst="", body=body)
    snippet = search(Criteria(text="Torkham")).page[0].snippet
    assert "<mark>" not in snippet
    assert snippet.split()[:12] == numbered_words(0, 12).split()


def test_highlight_only_ever_adds_mark_elements():
    marked = highlight("<b>x</b> \ue000y & z\ue001")
    assert marked == "&lt;b&gt;x&lt;/b&gt; <mark>y &amp; z</mark>"


def test_pagination_keeps_the_query_and_forgives_bad_page_numbers(client, db):
    for number in range(25):
        make_article(title=f"Chaman report {number}", days_ago=number + 1)
    html = page_html(client, q="chaman", source="")
    assert "25 articles, page 1 of 2" in html
    assert 'href="?q=chaman&amp;page=2"' in html
    assert "page 2 of 2" in page_html(client, q="chaman", page="2")
    assert "page 1 of 2" in page_html(client, q="chaman", page="abc")
    assert "page 2 of 2" in page_html(client, q="chaman", page="999999999999999999999")


def test_an_empty_search_explains_and_queries_nothing(client, db, django_assert_num_queries):
    # Two queries: the archive's state, which keys the page cache, read before the page
    # and again before storing it (articles/reader/caching.py).
    with django_assert_num_queries(2):
        html = page_html(client)
    assert "Use “quotes” for an exact phrase" in html


# The archive's state (the page cache's key, read before and after the page), names, the
# planner's estimate (one word), the page (ranked, with its articles' main tags), the
# counts, and names like the words when the search finds almost nothing.
QUERY_BUDGET = 7


@pytest.mark.parametrize("text", ["border", "Faiz Hamid border", ""])
def test_the_results_page_costs_the_same_queries_for_few_or_many_hits(
    client, db, text, django_assert_max_num_queries
):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    places = [make_entity(kind="place", name=f"Place {n}") for n in range(12)]

    def add(count):
        for number in range(count):
            make_article(
                title=f"Border report {number}",
                body="Faiz Hameed at the border.",
                tags=[faiz, places[0], *places[1 + number % 10 : 3 + number % 10]],
                source_name=f"Source {number % 4}",
                published_at=at(2020 + number % 5),
            )

    def queries_for_page():
        with django_assert_max_num_queries(QUERY_BUDGET) as captured:
            response = client.get(SEARCH_URL, {"q": text, "place": places[0].slug})
        assert response.status_code == 200
        return len(captured.captured_queries)

    # As few as a page shows without asking for names like the words (FEW_RESULTS).
    add(FEW_RESULTS)
    few = queries_for_page()
    add(60)
    assert queries_for_page() == few


def test_a_search_finds_published_articles_only(db):
    make_article(title="Torkham reopens")
    make_article(title="Torkham draft", status=Article.Status.DRAFT)
    assert titles(Criteria(text="torkham")) == ["Torkham reopens"]


# Days: a range honours each date's precision.


def test_a_date_range_keeps_the_articles_whose_date_lies_wholly_inside(client, db):
    def dated(title, day, precision):
        when = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        make_article(title=title, body="Border talks.", published_at=when, date_precision=precision)

    dated("On the 25th", datetime.date(2025, 11, 25), "day")
    dated("Late November", datetime.date(2025, 11, 21), "late_month")
    dated("November", datetime.date(2025, 11, 1), "month")
    dated("Mid-November", datetime.date(2025, 11, 11), "mid_month")
    dated("2025", datetime.date(2025, 1, 1), "year")

    def between(since, until):
        return found("border", since=since, until=until)

    late = between(datetime.date(2025, 11, 21), datetime.date(2025, 11, 30))
    assert late == {"On the 25th", "Late November"}
    assert between(datetime.date(2025, 11, 25), datetime.date(2025, 11, 30)) == {"On the 25th"}
    november = {"On the 25th", "Late November", "November", "Mid-November"}
    assert between(datetime.date(2025, 11, 1), datetime.date(2025, 11, 30)) == november
    assert between(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == november | {"2025"}
    assert found("border", since=datetime.date(2025, 11, 22)) == {"On the 25th"}
    html = page_html(client, q="border", **{"from": "2025-11-21", "to": "2025-11-30"})
    assert "From: 21 November 2025" in html and "2 articles" in html


def test_bad_dates_are_ignored_with_a_notice_and_reversed_ones_swapped(client, db):
    make_article(title="Talks", body="Border talks.", published_at=at(2025, 11, 25))
    html = page_html(client, q="border", **{"from": "2025-13-45", "to": "yesterday"})
    assert "Ignored the from date “2025-13-45”" in html and "Ignored the to date" in html
    html = page_html(client, q="border", **{"from": "2025-11-30", "to": "2025-11-01"})
    assert "From: 1 November 2025" in html and "To: 30 November 2025" in html
    assert "1 article" in html
    # The first and last days there are: no error, no overflow.
    html = page_html(client, q="border", **{"from": "0001-01-01", "to": "9999-12-31"})
    assert "1 article" in html

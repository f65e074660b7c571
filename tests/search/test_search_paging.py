"""The whole archive: every match ranked, counted honestly (exactly, by the planner's
estimate, or as more than the limit), and reachable page by page in each order."""

from dataclasses import replace

import pytest
from django.conf import settings
from django.db import connection

from articles.search import queries as search_module
from articles.search.criteria import Criteria
from articles.search.results import search
from tests.support.factories import make_article, make_entity
from tests.support.searching import page_html

# The whole archive: every match ranked, counted honestly, reachable page by page.


@pytest.fixture
def limits(monkeypatch):
    """Small limits, so that a few articles behave as a large archive."""
    monkeypatch.setattr(search_module, "EXACT_LIMIT", 5)
    monkeypatch.setattr(search_module, "ESTIMATE_TRUSTED_ABOVE", 10)
    monkeypatch.setattr(search_module, "FACET_SAMPLE", 3)
    monkeypatch.setattr(settings, "ARTICLES_PER_PAGE", 4)


def every_page(criteria: Criteria) -> list[str]:
    titles_seen, number = [], 1
    while True:
        page = search(criteria, number).page
        titles_seen += [a.title for a in page.object_list]
        if not page.has_next():
            return titles_seen
        number += 1


def test_every_match_is_reachable_in_each_order(limits, db):
    for day in range(1, 12):
        make_article(title=f"Report {day}", body="Refugees at the crossing.", days_ago=day)
    make_article(title="Refugees return", body="A long road.", days_ago=4000)
    everything = {f"Report {day}" for day in range(1, 12)} | {"Refugees return"}
    by_relevance = every_page(Criteria(text="refugees"))
    assert by_relevance[0] == "Refugees return"  # the oldest, but the word is its headline
    assert sorted(by_relevance) == sorted(everything)  # each once, none left out
    newest = every_page(Criteria(text="refugees", sort="newest"))
    assert newest == [f"Report {day}" for day in range(1, 12)] + ["Refugees return"]
    assert every_page(Criteria(text="refugees", sort="oldest")) == newest[::-1]


def test_equally_relevant_matches_are_newest_first_on_every_page(limits, db):
    for day in range(1, 10):
        make_article(title=f"Report {day}", body="Refugees.", days_ago=day)
    assert every_page(Criteria(text="refugees")) == [f"Report {day}" for day in range(1, 10)]


def test_counts_are_exact_up_to_the_limit_and_more_than_beyond(client, limits, db):
    for day in range(1, 6):
        make_article(body="Refugees at the crossing.", days_ago=day)
    result = search(Criteria(text="refugees"))
    assert (result.count, result.count_kind, result.sample) == (5, "exact", "")
    assert "5 articles, page 1 of 2" in page_html(client, q="refugees")
    make_article(body="Refugees in camps.", days_ago=9)
    make_article(body="Refugees return.", days_ago=10)
    # Two words: the planner's estimate is not trusted, so a count that stops at the limit.
    result = search(Criteria(text="refugees crossing OR camps OR return"))
    assert result.count_kind == "more" and result.sample == "6 of the matches"
    html = page_html(client, q="refugees crossing OR camps OR return")
    assert "More than 5 articles" in html and "Counts are of 6 of the matches." in html


def test_a_common_word_is_counted_by_the_planner_estimate(client, limits, db, monkeypatch):
    for day in range(1, 8):
        make_article(body="Refugees at the crossing.", days_ago=day)
    monkeypatch.setattr(search_module.CompiledQuery, "estimated_rows", lambda *a, **k: 700)
    result = search(Criteria(text="refugees"))
    assert (result.count, result.count_kind) == (700, "about")
    assert result.sample == "the newest 3 matches"
    year = next(facet for facet in result.facets if facet.name == "year")
    assert sum(v.count for v in year.values if v.count) == 3
    assert "About 700 articles, page 1" in page_html(client, q="refugees")


def test_the_last_page_of_an_estimate_says_the_exact_count(limits, db, monkeypatch):
    for day in range(1, 8):
        make_article(body="Refugees at the crossing.", days_ago=day)
    monkeypatch.setattr(search_module.CompiledQuery, "estimated_rows", lambda *a, **k: 700)
    last = search(Criteria(text="refugees"), 2)
    assert (last.count, last.count_kind, len(last.page.object_list)) == (7, "exact", 3)


def test_a_filter_alone_lists_every_article_newest_or_oldest_first(limits, db):
    khost = make_entity(kind="place", name="Khost", slug="khost")
    for day in range(1, 8):
        make_article(title=f"Khost {day}", tags=[khost], days_ago=day)
    criteria = Criteria(entities=(("place", "khost"),))
    assert every_page(criteria) == [f"Khost {day}" for day in range(1, 8)]
    oldest = replace(criteria, sort="oldest")
    assert every_page(oldest) == [f"Khost {day}" for day in range(7, 0, -1)]
    assert search(criteria).count_kind == "more"  # seven, the limit five


def test_relevance_needs_words_and_the_default_order_is_not_written(db):
    assert Criteria(text="x", sort="relevance").url() == "/search/?q=x"
    assert Criteria(sort="relevance").order == "newest"
    assert Criteria(text="x", sort="oldest").url() == "/search/?q=x&sort=oldest"
    assert Criteria(text="x", sort="nonsense").order == "relevance"


def test_the_order_links_and_a_bad_order_is_ignored_with_a_notice(client, db):
    make_article(title="Chaman crossing", days_ago=2)
    html = page_html(client, q="chaman", sort="sideways")
    assert "Ignored the order “sideways”" in html
    assert '<strong aria-current="true">Relevance</strong>' in html
    assert '<a href="/search/?q=chaman&amp;sort=newest">Newest first</a>' in html


def test_a_common_name_is_counted_by_the_planner_estimate(client, limits, db, monkeypatch):
    """A word that names an entity matches its other names too; estimated with them, as a
    word is, above the trusted estimate the matches are not counted one by one (a count
    that stops at the limit still reads every match into a bitmap before its first: the
    Taliban, named in most articles of a million, took a second)."""
    taliban = make_entity(kind="organisation", name="Taliban", aliases=["Afghan Taliban"])
    for day in range(1, 8):
        make_article(body="The Taliban at the crossing.", days_ago=day, tags=[taliban])
    monkeypatch.setattr(search_module.CompiledQuery, "estimated_rows", lambda *a, **k: 700)
    result = search(Criteria(text="Taliban"))
    assert [entity.name for entity in result.named_entities] == ["Taliban"]
    assert (result.count, result.count_kind) == (700, "about")
    assert result.sample == "the newest 3 matches"
    assert "About 700 articles, page 1" in page_html(client, q="Taliban")


def test_matches_in_a_small_share_of_the_archive_are_counted(limits, db, monkeypatch):
    """Above the trusted estimate but in a small share of the archive, the newest matches
    are found by reading and sorting every match: a count that stops at the limit costs
    less, and the facets count what it counted."""
    taliban = make_entity(kind="organisation", name="Taliban")
    for day in range(1, 8):
        make_article(body="The Taliban at the crossing.", days_ago=day, tags=[taliban])
    monkeypatch.setattr(search_module.CompiledQuery, "estimated_rows", lambda *a, **k: 12)
    monkeypatch.setattr(search_module, "SAMPLED_SHARE", 5)  # 12 is less than 5 times 7 articles
    result = search(Criteria(text="Taliban"))
    assert (result.count, result.count_kind, result.sample) == (12, "about", "6 of the matches")
    monkeypatch.setattr(search_module, "SAMPLED_SHARE", 1)
    assert search(Criteria(text="Taliban")).sample == "the newest 3 matches"


# One word's matches ranked from its repeats: the same order as every match ranked.

RANKED_BY_THE_INDEX = """
    SELECT title FROM articles_article, LATERAL (SELECT {words} AS words) AS query
    WHERE status = 'published' AND {vector} @@ words
    ORDER BY head_vector @@ words DESC,
        CASE WHEN head_vector @@ words THEN head_vector <=> words ELSE {vector} <=> words END,
        published_at DESC, id DESC
"""


def ranked_by_the_index(text: str) -> list[str]:
    """Every match of ``text``, in the RUM index's ranking: the headline's matches first.
    A quoted phrase as the search matches it, by its pairs in the pair vector."""
    words, vector = "newsarchive_query(%s, 'websearch')", "search_vector"
    if '"' in text:
        words, vector = f"newsarchive_phrase_pairs({words})", "pair_vector"
    with connection.cursor() as cursor:
        cursor.execute(RANKED_BY_THE_INDEX.format(words=words, vector=vector), [text])
        return [title for (title,) in cursor.fetchall()]


def test_one_word_is_ranked_from_its_repeats_as_every_match_is_ranked(limits, db):
    """Articles holding the word (and the phrase) from once to more than a class's worth
    of times (33 and 40 share one), several alike on different days, one holding two of
    its lexemes (English 'refuge' and word for word 'refugees'), one naming it in its
    headline: every page, the first read from the repeats, the last past them, ranks as
    the index ranks every match."""
    for times, days_ago in [(2, 3), (2, 1), (3, 5), (5, 2), (5, 9), (33, 30), (40, 20), (7, 4)]:
        make_article(
            title=f"{times} times, {days_ago} days ago",
            body=" ".join(["Refugees waited."] * times),
            days_ago=days_ago,
        )
    for day in range(1, 7):
        make_article(title=f"Once, {day} days ago", body="Refugees waited.", days_ago=day)
    make_article(title="Refugees in the headline", body="Nothing else.", days_ago=50)
    make_article(title="Both ways", body="The refuge and the refugees.", language="ps", days_ago=60)
    expected = ranked_by_the_index("refugees")
    assert expected[:2] == ["Refugees in the headline", "Both ways"]
    assert expected[2:4] == ["40 times, 20 days ago", "33 times, 30 days ago"]
    assert every_page(Criteria(text="refugees")) == expected
    assert every_page(Criteria(text="waited")) == ranked_by_the_index("waited")
    # One word that reads as a phrase has no repeats to read: it is ranked by the RUM tier
    # (whose order of a phrase, read from the index, may differ from one computed for each
    # row), and an article holding both its words apart does not match.
    make_article(title="Apart", body="They waited for the refugees.", days_ago=70)
    found = every_page(Criteria(text="refugees_waited"))
    assert sorted(found) == sorted(ranked_by_the_index("refugees_waited"))
    assert "Apart" not in found
    # A phrase of two words, from the repeats of its pair; and of three, which has none.
    assert every_page(Criteria(text='"refugees waited"')) == ranked_by_the_index(
        '"refugees waited"'
    )
    assert every_page(Criteria(text='"the refugees waited"')) == ranked_by_the_index(
        '"the refugees waited"'
    )


def test_a_name_read_from_the_index_is_paged_without_repeats_or_gaps(limits, db):
    """A name's query holds phrases of several words, and words in several of its names
    ('islam' <-> 'emir', 'islam' <-> 'emir' <2> 'afghanistan'): the RUM index then ranks
    its matches otherwise than the same distance worked out for each row. Read in the
    index's order (as on a large archive), every match is still on exactly one page."""
    make_entity(
        kind="organisation",
        name="Taliban",
        aliases=["Taleban", "Islamic Emirate", "Islamic Emirate of Afghanistan"],
    )
    headlines = [
        "Taliban talks",
        "Tehrik-i-Taliban Pakistan blamed",
        "Islamic Emirate of Afghanistan talks",
        "The Taleban denies it",
        "Taliban and the Islamic Emirate",
    ]
    standfirsts = ["", "The Islamic Emirate of Afghanistan denies it.", "The Taleban denies it."]
    for day in range(1, 31):
        make_article(
            title=f"{headlines[day % 5]} ({day})",
            standfirst=standfirsts[day % 3],
            body="Talks.",
            days_ago=day,
        )
    with connection.cursor() as cursor:  # the plans of a large archive
        for plan in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{plan} = off")
    found = every_page(Criteria(text="Taliban"))
    assert len(found) == 30
    assert len(set(found)) == 30

"""Relevance over the whole archive: what ranks first, and names found by any part."""

import datetime
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from articles.search import queries as search_module
from articles.search.criteria import Criteria
from articles.search.results import search
from tests.support.factories import make_article, make_entity
from tests.support.searching import found, page_html, titles

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_an_old_headline_match_ranks_first_above_many_newer_body_mentions(db):
    for day in range(1, 40):
        make_article(
            title=f"Report {day}", body=f"Trade, and refugees, on day {day}.", days_ago=day
        )
    make_article(title="Refugees return to Khost", body="A long road home.", days_ago=3000)
    assert titles(Criteria(text="refugees"))[0] == "Refugees return to Khost"


def test_a_headline_and_standfirst_that_answer_the_query_rank_above_the_body_alone(db):
    """The words apart in the headline and standfirst still rank above the same words
    together, again and again, in the body alone: the article is about them."""
    make_article(
        title="Border town waits",
        standfirst="Trucks queue for days, and then for more days, before the crossing opens.",
        body="Drivers sleep in their cabs.",
        days_ago=30,
    )
    make_article(
        title="Traders count losses",
        body="The border crossing shut. The border crossing stayed shut. The border crossing.",
        days_ago=1,
    )
    assert titles(Criteria(text="border crossing")) == [
        "Border town waits",
        "Traders count losses",
    ]


def test_a_phrase_match_ranks_above_the_same_words_scattered(db):
    make_article(title="Notes", body="The border was quiet. Later, a crossing opened.", days_ago=1)
    make_article(title="More notes", body="Trucks wait at the border crossing.", days_ago=9)
    assert titles(Criteria(text="border crossing")) == ["More notes", "Notes"]


def test_an_article_tagged_with_a_named_entity_is_found_by_any_spelling(db):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid", "فیض حمید"])
    make_article(title="Spy chief speaks", body="فیض حمید said so.", tags=[faiz])
    make_article(title="General retires", body="Faiz Hamid retired.", tags=[faiz])
    make_article(title="Unrelated", body="Nothing.")
    for spelling in ("Faiz Hameed", "Hameed", "Faiz Hamid", "فیض حمید"):
        assert found(spelling) == {"Spy chief speaks", "General retires"}, spelling


def test_a_first_name_finds_the_one_person_who_has_it(client, db):
    mujahid = make_entity(name="Zabihullah Mujahid", aliases=["Zabiullah Mujahid"])
    make_article(title="Spokesman speaks", body="Zabiullah Mujahid said so.", tags=[mujahid])
    assert found("Zabihullah") == {"Spokesman speaks"}
    assert "Person:</span> Zabihullah Mujahid</a>" in page_html(client, q="Zabihullah")


def test_a_part_several_names_share_offers_them_and_guesses_none(client, db):
    imran = make_entity(name="Imran Khan")
    make_entity(name="Amir Khan Muttaqi")
    make_article(title="Tagged only", body="Nothing.", tags=[imran], tag_origin="editor")
    make_article(title="Khan speaks", body="Khan said so.")
    result = search(Criteria(text="Khan"))
    assert [a.title for a in result.page] == ["Khan speaks"]
    assert not result.named_entities
    assert {s.text for s in result.ambiguous} == {"Imran Khan", "Amir Khan Muttaqi"}
    html = page_html(client, q="Khan")
    assert "“<bdi>Khan</bdi>” is part of several names" in html
    assert '<a href="/search/?q=Imran+Khan">Imran Khan</a>' in html


def test_the_estimate_of_a_common_word_is_within_ten_percent_of_the_count(db):
    """The planner's estimate, which counts a word above the exact limit, against the true
    count, for the words of a generated corpus common enough to be estimated."""
    from bench.corpus import generate_corpus

    call_command("import_articles", str(SEEDS / "gazetteer"), verbosity=0)
    generate_corpus(3_000, workers=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    for word in ("refugees", "border", "Taliban", "attack"):
        criteria = Criteria(text=word)
        plan = search_module.plan(criteria, search_module.Recognition())
        estimate = search_module.estimated_matches(plan)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM articles_article WHERE status = 'published' AND "
                "search_vector @@ websearch_to_tsquery('newsarchive', %s)",
                [word],
            )
            (true,) = cursor.fetchone()
        assert true > 300, word  # common
        assert abs(estimate - true) <= true / 10, (word, estimate, true)


def test_no_query_may_outlast_the_statement_timeout_deep_pages_included(db):
    for day in range(1, 30):
        make_article(body="Refugees.", days_ago=day)
    deep = search(Criteria(text="refugees"), 10**30)
    assert deep.page.number == 2 and [a.body for a in deep.page] == ["Refugees."] * 9
    assert search(Criteria(text="refugees", since=datetime.date(1900, 1, 1))).count == 29

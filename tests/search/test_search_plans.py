"""What a search asks of PostgreSQL: which indexes serve it and in what order it reads,
on tables large enough for the planner to cost its choices as in production."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.search import queries as search_module
from articles.search import ranking
from articles.search.criteria import Criteria
from articles.search.headline_rankings import rank_headlines
from articles.search.names import recognise
from articles.search.results import search
from tests.support.factories import make_article, make_entity
from tests.support.plans import plan
from tests.support.searching import titles


def explain(criteria: Criteria) -> str:
    """The plans of the statements a search runs, as on tables too large to read whole."""
    with CaptureQueriesContext(connection) as captured:
        search(criteria)
    return "\n".join(
        plan(query["sql"])
        for query in captured.captured_queries
        if query["sql"].lstrip("(").startswith(("SELECT", "WITH"))
    )


def analyzed_first_page(text: str, recognition=None) -> str:
    """The plan of the statement of the first page of ``text``, as it ran (EXPLAIN
    ANALYZE), on tables too large to read whole; its words read as names by
    ``recognition`` (by default, as no name)."""
    recognition = recognition or search_module.Recognition()
    search_plan = search_module.plan(Criteria(text=text), recognition)
    with CaptureQueriesContext(connection) as captured:
        ranking.page_articles(search_plan, 0, 21)
    (statement,) = captured.captured_queries
    return plan(statement["sql"], analyze=True)


@pytest.fixture
def many_articles(db):
    """Enough articles for the planner to cost its choices as it would in production: 5,000
    copies of one article, each tagged, made in SQL for speed, whatever columns the table
    has."""
    template = make_article(title="Daily report", body="Routine news")
    overrides = {
        "title": "'Daily report ' || n",
        "slug": "'daily-' || n",
        "body": "'Routine news ' || n",
        "published_at": "now() - n * interval '1 hour'",
    }
    columns = [
        field.column
        for field in Article._meta.concrete_fields
        if not field.primary_key and not field.generated
    ]
    values = ", ".join(overrides.get(column, f'"{column}"') for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(f'"{c}"' for c in columns)}) "  # noqa: S608
            f"SELECT {values} FROM articles_article, generate_series(1, 5000) AS n "
            "WHERE id = %s",
            [template.pk],
        )
        # Each tagged, as most articles are, so the tags table is not empty either.
        cursor.execute(
            "INSERT INTO articles_mention (article_id, entity_id, count, origin) "
            "SELECT id, %s, 1, 'text' FROM articles_article",
            [make_entity(kind="place", name="Afghanistan").pk],
        )
        # As autovacuum would: gather statistics.
        cursor.execute("ANALYZE articles_article; ANALYZE articles_mention")


def test_the_rum_index_finds_and_ranks_a_word(many_articles):
    make_article(title="Torkham reopens")
    # Few matches: found by the index and ranked by a sort of those few (a common word's
    # matches come out of the index in order: see docs/search.md).
    assert "Bitmap Index Scan on article_search_rum" in explain(Criteria(text="torkham"))


def test_a_first_page_of_headline_matches_never_ranks_the_body_matches(many_articles):
    """The whole text's ranking reads and sorts every match of the words: a page that the
    headlines' matches fill does not run it."""
    analyzed = analyzed_first_page("daily")
    head_scans = re.findall(r".* article_head_rum .*", analyzed)
    whole_scans = re.findall(r".* article_search_rum .*", analyzed)
    assert head_scans and not [scan for scan in head_scans if "(never executed)" in scan]
    assert whole_scans and all("(never executed)" in scan for scan in whole_scans)


def test_a_ranked_name_reads_its_first_page_off_its_ranking(many_articles):
    """A name in most headlines is not ranked by RUM at each search: the page reads its
    headline ranking's first rows, and the RUM ranking of the headlines never runs."""
    taliban = make_entity(kind="organisation", name="Taliban", aliases=["Taleban"])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET title = 'Taliban report ' || id")
        cursor.execute(
            "INSERT INTO articles_mention (article_id, entity_id, count, origin) "
            "SELECT id, %s, 1, 'text' FROM articles_article",
            [taliban.pk],
        )
        cursor.execute("ANALYZE articles_article; ANALYZE articles_mention")
    head_ranked = re.compile(r".* article_head_rum .*")
    unranked = analyzed_first_page("Taliban", recognise("Taliban"))
    assert (
        head_ranked.search(unranked)
        and "(never executed)" not in head_ranked.search(unranked).group()
    )
    rank_headlines(min_headlines=1_000)
    ranked = analyzed_first_page("Taliban", recognise("Taliban"))
    assert all("(never executed)" in scan for scan in head_ranked.findall(ranked))
    assert re.search(r"Index Only Scan using headline_rank_order .* rows=21 loops=1\)", ranked)


def test_a_named_entity_keeps_the_rum_index_in_use(many_articles):
    torkham = make_entity(kind="place", name="Torkham", aliases=["Torkham crossing"])
    make_article(title="Trucks wait", tags=[torkham], tag_origin="editor")
    assert titles(Criteria(text="Torkham")) == ["Trucks wait"]
    plans = explain(Criteria(text="Torkham"))
    # The names' phrases as pairs, in the index of the pair vector.
    assert "on article_pair_rum" in plans
    # The tags an editor or a file declared, by their own index: not by reading every tag
    # of an entity that tags every article.
    assert " mention_declared" in explain(Criteria(text="Afghanistan"))


def test_a_search_filtered_by_a_rare_entity_ranks_its_tagged_articles(monkeypatch, many_articles):
    """The words' matches in the index's order keep a filter's share of them: for an entity
    tagging a small share of the archive, its articles are read first and the matches
    among them ranked, not walked in the index's order."""
    khost = make_entity(kind="place", name="Khost")
    with connection.cursor() as cursor:  # one article in ten
        cursor.execute(
            "INSERT INTO articles_mention (article_id, entity_id, count, origin) "
            "SELECT id, %s, 1, 'text' FROM articles_article WHERE id %% 10 = 0",
            [khost.pk],
        )
        cursor.execute("ANALYZE articles_mention")
    in_khost = Criteria(text="daily", entities=(("place", khost.slug),))
    ranked_by_the_index = re.compile(r"Order By: \(head_vector <=>")
    monkeypatch.setattr(search_module, "TAGS_FIRST_SHARE", 0.05)
    assert ranked_by_the_index.search(explain(in_khost))
    monkeypatch.setattr(search_module, "TAGS_FIRST_SHARE", 0.2)
    assert not ranked_by_the_index.search(explain(in_khost))


def test_a_translation_among_many_matches_probes_its_own_original_only(many_articles):
    """A story is listed once, so a translation whose original matches too is left out;
    that is asked of the translation's own original, not by hashing every match."""
    original = Article.objects.filter(title="Daily report").earliest("pk")
    make_article(
        title="Daily report (Urdu)", body="Routine news", language="ur", translation_of=original
    )
    plans = explain(Criteria(text="routine"))
    assert "(translation_of_id IS NULL) OR (NOT (SubPlan" in plans
    assert "(translation_of_id IS NULL) OR (NOT (hashed SubPlan" not in plans


def test_a_named_entitys_phrases_are_a_constant_of_the_statement(many_articles):
    """The entity's names come with the search as a constant query: the planner estimates
    their matches as it does a word's, and nothing makes them again for each row; a
    phrase holding another of its names whole ("Torkham crossing") is left out of it."""
    torkham = make_entity(
        kind="place", name="Torkham", aliases=["Torkham crossing", "Tor Kham border"]
    )
    make_article(title="Tor Kham border reopens", tags=[torkham])
    plans = explain(Criteria(text="Torkham"))
    assert "on article_pair_rum" in plans
    # As pairs of words; a literal's quotes, doubled.
    assert "''tor kham'' <-> ''kham border''" in plans
    assert "''cross''" not in plans
    assert "newsarchive_names_query" not in plans
    assert "newsarchive_any_of_phrases" not in plans


def test_a_phrase_is_found_by_its_pairs_in_their_index(many_articles):
    """A phrase is matched as its pairs of words, read from the pair vector's index; the
    pairs are worked out once, when the search is planned, not for each row."""
    make_article(title="Aid", body="Daily report: the humanitarian situation is dire.")
    assert titles(Criteria(text='"humanitarian situation"')) == ["Aid"]
    plans = explain(Criteria(text='"humanitarian situation"'))
    assert "on article_pair_rum" in plans
    assert "'humanitarian situat'" in plans
    assert "newsarchive_phrase_pairs" not in plans
    # Nothing reads the pair vector from each row (out of the row, it costs a read of its
    # own): not the page, not the counts.
    assert not re.search(r"Filter: [^\n]*\bpair_vector @@", plans)
    assert "on article_pair_rum" not in explain(Criteria(text="humanitarian situation"))


def test_a_word_in_most_texts_is_ranked_from_its_repeats_not_from_every_match(many_articles):
    """Ranking the whole text's matches reads and sorts every one: for a word in most
    texts and no headline, the articles holding it most are read from the index of each
    word's repeats, and the whole text's ranking does not run."""
    for number in range(25):
        make_article(title=f"Bulletin {number}", body="Routine news, routine checks.")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    analyzed = analyzed_first_page("routine")
    repeats_scans = re.findall(r".* on article_repeats .*", analyzed)
    # The scans of every match of the word (not of the few holding both its lexemes,
    # 'routin' & 'routine', which rank above the rest).
    every_match = re.findall(
        r".* article_search_rum .*\n *Index Cond: \(search_vector @@ '''routin'' \| ",
        analyzed,
    )
    assert repeats_scans and not [scan for scan in repeats_scans if "(never executed)" in scan]
    assert every_match and all("(never executed)" in scan for scan in every_match)

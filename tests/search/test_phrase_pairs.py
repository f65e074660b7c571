"""Phrases found by the pairs of adjacent words the articles' vectors hold
(articles/db/sql/vectors.sql, search.sql): the same articles as by their words."""

from pathlib import Path

import psycopg
import pytest
from django.db import connection

from articles.models import Article
from articles.search.criteria import Criteria
from articles.search.indexing import reindex_articles
from tests.db.test_database_code import migrate, scratch_database  # noqa: F401 (a fixture)
from tests.search.test_search_plans import explain, many_articles  # noqa: F401 (a fixture)
from tests.support.databases import database_url
from tests.support.factories import make_article, make_entity
from tests.support.processes import manage
from tests.support.searching import found

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

TEXTS = [
    "The humanitarian situation in Khost worsened.",
    "A situation that is humanitarian, and a humanitarian crisis.",
    "The Minister of Foreign Affairs met the minister for foreign trade.",
    "Al-Qaeda fighters crossed; al Qaeda denied it.",
    "Afghan refugees at the refugee camps of Afghan towns.",
    "It's the border, the border crossing and the crossing's border.",
    "Talks talks talks: talks again in Doha.",
    "وزير خارجه د پاکستان سره وکتل",
    "Backslash \\ and quote ' in a text, O'Brien's report.",
    # Two words each shorter than a lexeme's limit, whose pair is longer.
    f"{'a' * 1500} {'b' * 1500} ok",
    "",
]
PHRASES = [
    '"humanitarian situation"',
    '"situation humanitarian"',
    '"minister of foreign affairs"',
    '"minister for foreign trade"',
    '"foreign affairs"',
    "al-Qaeda",
    '"al qaeda fighters"',
    '"afghan refugees"',
    '"refugee camps"',
    '"afghan refugees at the refugee camps"',
    '"border crossing" -"crossing\'s border"',
    '"talks talks"',
    '"talks talks talks talks"',
    '"talks again" or "humanitarian crisis"',
    '"وزير خارجه"',
    '"د پاکستان سره"',
    "\"O'Brien's report\"",
    '"the of a"',
    'khost "humanitarian situation" -trade',
    f'"{"a" * 1500} {"b" * 1500} ok"',
]


def _matches(query_function: str, phrase: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM articles_article"  # noqa: S608 (a fixed function name)
            f" WHERE search_vector @@ {query_function}(%s, 'websearch')",
            [phrase],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def texts(db):
    languages = {7: "ps"}
    return [
        make_article(title=f"Text {index}", body=text, language=languages.get(index, "en")).pk
        for index, text in enumerate(TEXTS)
    ]


@pytest.mark.parametrize("scan", ["seqscan", "bitmapscan", "indexscan"])
def test_a_phrase_by_its_pairs_matches_what_it_matches_by_its_words(texts, scan):
    """Through each way PostgreSQL can read the vectors (the RUM index checks the pairs'
    positions itself), every phrase matches the articles it matched by its words."""
    with connection.cursor() as cursor:
        for other in {"seqscan", "bitmapscan", "indexscan"} - {scan}:
            cursor.execute(f"SET LOCAL enable_{other} = off")
    for phrase in PHRASES:
        by_words = _matches("newsarchive_query", phrase)
        assert _matches("newsarchive_match_query", phrase) == by_words, phrase
    assert _matches("newsarchive_query", '"humanitarian situation"') == {texts[0]}
    assert _matches("newsarchive_query", '"minister of foreign affairs"') == {texts[2]}


def _query_text(function: str, words: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, 'websearch')::text", [words])
        return cursor.fetchone()[0]


def test_a_phrase_is_read_as_its_pairs(db):
    assert _query_text("newsarchive_match_query", '"humanitarian situation"') == (
        "'humanitarian situat' | 'humanitarian situation'"
    )
    # A stop word between two words parts them: the words keep their distance.
    assert _query_text("newsarchive_match_query", '"minister of foreign affairs"') == (
        "( 'minist' | 'minister' ) <3> ( 'foreign affair' | 'foreign affairs' )"
    )
    # Three words: two pairs, one after the other.
    assert _query_text("newsarchive_match_query", '"afghan refugee camps"') == (
        "( 'afghan refuge' | 'afghan refugee' ) <-> "
        "( 'refuge camp' | 'refuge camps' | 'refugee camp' | 'refugee camps' )"
    )
    # Words that are no phrase stay words; an excluded phrase is excluded by its pairs.
    assert _query_text("newsarchive_match_query", 'kabul -"border crossing"') == (
        "'kabul' & !( 'border cross' | 'border crossing' )"
    )
    # What highlights a passage reads the words alone: the text has no pairs.
    assert _query_text("newsarchive_query", '"humanitarian situation"') == (
        "'humanitarian' <-> ( 'situat' | 'situation' )"
    )


def _vector(article: Article, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}::text FROM articles_article WHERE id = %s", [article.pk])  # noqa: S608 (a fixed column)
        return cursor.fetchone()[0]


def test_the_vectors_hold_each_pair_at_its_second_word_with_its_weight(db):
    article = make_article(title="Border talks", standfirst="Crossing shut", body="Trucks wait")
    whole = _vector(article, "search_vector")
    assert "'border talk':2A" in whole
    # Across the headline and the standfirst: the standfirst's.
    assert "'talk cross':3B" in whole
    assert "'cross shut':4B" in whole
    # Across the standfirst and the body: the body's, so not the head's.
    assert "'shut truck':5C" in whole
    head = _vector(article, "head_vector")
    assert "'talk cross':3B" in head
    assert "shut truck" not in head
    assert "'truck'" not in head


def test_a_name_is_found_by_its_pairs_in_any_spelling(db):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid", "فیض حمید"])
    make_article(title="Spy chief speaks", body="فیض حمید said so.", tags=[faiz])
    make_article(title="General retires", body="Faiz Hamid retired.")
    make_article(title="Two men", body="Faiz met Hamid.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT newsarchive_names_query(ARRAY[%s]::bigint[])::text", [faiz.pk])
        (names,) = cursor.fetchone()
    assert "'faiz hamid'" in names
    assert found("Faiz Hameed") == {"Spy chief speaks", "General retires"}


def test_rewriting_the_vectors_gives_every_article_its_pairs(db):
    """What migration 0029 does to the articles written before it: their vectors, without
    pairs, are written again with them."""
    article = make_article(title="Humanitarian situation", body="Aid waits.")
    with connection.cursor() as cursor:
        # As migration 0024's trigger wrote them: without pairs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE articles_article DISABLE TRIGGER articles_article_vectors")
        cursor.execute(
            "UPDATE articles_article SET search_vector = to_tsvector('newsarchive', title),"
            " head_vector = to_tsvector('newsarchive', title) WHERE id = %s",
            [article.pk],
        )
        cursor.execute("ALTER TABLE articles_article ENABLE TRIGGER articles_article_vectors")
    assert "humanitarian situat" not in _vector(article, "search_vector")
    report = reindex_articles(batch_size=1)
    assert report.rewritten == Article.objects.count()
    assert "'humanitarian situat':2A" in _vector(article, "head_vector")
    assert found('"humanitarian situation"') == {"Humanitarian situation"}


def test_a_phrase_in_many_articles_is_read_from_its_pairs_index_entry(many_articles):  # noqa: F811 (the fixture)
    make_article(title="Daily report on the humanitarian situation")
    plans = explain(Criteria(text='"humanitarian situation"'))
    pairs = "'''humanitarian situat'' | ''humanitarian situation'''::tsquery"
    assert f"Index Cond: (search_vector @@ {pairs})" in plans


def _paired_articles(database: str) -> int:
    """How many of the database's articles have pairs in both vectors."""
    with psycopg.connect(database_url(database)) as db:
        return db.execute(
            "SELECT count(*) FROM articles_article, unnest(search_vector) AS whole"
            " WHERE position(' ' IN whole.lexeme) > 0 AND EXISTS ("
            "   SELECT FROM unnest(head_vector) AS head WHERE position(' ' IN head.lexeme) > 0)"
            " GROUP BY id"
        ).rowcount


def _phrase_query(database: str) -> str:
    with psycopg.connect(database_url(database)) as db:
        return db.execute(
            "SELECT newsarchive_names_query(ARRAY[id])::text FROM articles_entity"
            " WHERE name = 'Amir Khan Muttaqi'"
        ).fetchone()[0]


def test_migration_0029_gives_the_articles_before_it_their_pairs_and_undoing_takes_them(
    scratch_database,  # noqa: F811 (the fixture)
):
    """Migrating an empty database runs today's vectors.sql from migration 0024 on, so the
    articles written before 0029 are made by undoing it."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url(scratch_database),
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings.test",
    }
    migrate(scratch_database, "0029")
    imported = manage("import_articles", str(SEEDS), "-v0", env=environment)
    assert imported.returncode == 0, imported.stderr
    assert _paired_articles(scratch_database) == 1
    assert "'amir khan' <-> 'khan muttaqi'" in _phrase_query(scratch_database)

    migrate(scratch_database, "0028")
    assert _paired_articles(scratch_database) == 0
    assert "'amir' <-> 'khan' <-> 'muttaqi'" in _phrase_query(scratch_database)

    migrate(scratch_database, "0029")
    assert _paired_articles(scratch_database) == 1
    assert "'amir khan' <-> 'khan muttaqi'" in _phrase_query(scratch_database)

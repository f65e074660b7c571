"""Phrases as pairs of adjacent words: each article's pair vector (and head vector) holds
its words and each pair of adjacent ones as a lexeme (articles/db/sql/vectors.sql), and a
query's phrases are rewritten into pairs (newsarchive_phrase_pairs, search.sql). The
rewritten query must match the pair vector exactly as the query matches the words alone,
read from the index or from the rows."""

import pytest
from django.db import connection

from articles.models import Article
from articles.search.criteria import Criteria
from tests.support.factories import make_article
from tests.support.searching import titles

TEXTS = {
    "aid": ("Aid warning", "The humanitarian situation in Kabul is dire.", "Agencies said so."),
    "scattered": ("Situation report", "A humanitarian convoy left.", "The situation was calm."),
    "camps": ("Camps", "", "Afghan refugee camps near Peshawar were full; Afghan refugees left."),
    "minister": ("Talks", "The Minister of Foreign Affairs spoke.", "Minister Muttaqi met aides."),
    "border": ("Border", "", "A cross-border attack; the border crossing at Torkham closed."),
    "repeats": ("Again", "", "talks talks talks about talks about peace talks"),
    "quotes": ("Quotes", "", "It's O'Neil's \\ backslash \\\\ text, it's said."),
    "pashto": ("خبر", "", "د افغانستان د بهرنیو چارو وزیر امیر خان متقي وویل", "ps"),
    "urdu": ("خبر", "", "پاکستان کے وزیر خارجہ نے کہا", "ur"),
    "across": ("Kabul talks", "Refugees return", "Peace now."),
    "long": ("Long", "", "alpha " + "x" * 1_500 + " " + "y" * 1_000 + " omega"),
}

PHRASES = [
    '"humanitarian situation"',
    '"humanitarian situation" kabul',
    '"humanitarian situation" -kabul',
    '-"humanitarian situation" situation',
    '"situation report"',
    '"afghan refugee camps"',
    '"afghan refugees"',
    '"refugee camps" or "border crossing"',
    '"minister of foreign affairs"',
    '"foreign affairs spoke"',
    '"the minister"',
    "cross-border attack",
    '"border crossing at torkham"',
    '"talks talks"',
    '"talks about peace"',
    '"about talks about"',
    "\"it's o'neil's\"",
    '"backslash text"',
    '"د بهرنیو چارو وزیر"',
    '"وزیر خارجہ"',
    '"talks refugees"',
    '"returns peace"',
    '"alpha ' + "x" * 1_500 + '"',
    '"' + "x" * 1_500 + " " + "y" * 1_000 + '"',
    '"humanitarian"',
]

# A phrase no text holds but with a word excluded.
FOUND_NOWHERE = {'"humanitarian situation" -kabul'}

SCANS = {
    "rows": {"enable_indexscan": "off", "enable_bitmapscan": "off"},
    "bitmap": {"enable_seqscan": "off", "enable_indexscan": "off"},
    "index": {"enable_seqscan": "off", "enable_bitmapscan": "off"},
}


@pytest.fixture
def articles(db):
    made = {}
    for key, (title, standfirst, body, *language) in TEXTS.items():
        made[key] = make_article(
            title=title, standfirst=standfirst, body=body, language=(language or ["en"])[0]
        )
    return {article.pk: key for key, article in made.items()}


def matching(condition: str, phrase: str, scan: str) -> set[int]:
    with connection.cursor() as cursor:
        for setting, value in SCANS[scan].items():
            cursor.execute(f"SET LOCAL {setting} = {value}")
        cursor.execute(
            "WITH q AS (SELECT newsarchive_query(%s, 'websearch') AS words) "  # noqa: S608
            f"SELECT id FROM articles_article WHERE {condition}",
            [phrase],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("scan", SCANS)
@pytest.mark.parametrize("phrase", PHRASES)
def test_a_phrase_as_pairs_matches_as_its_words_do(articles, phrase, scan):
    words = matching("search_vector @@ (SELECT words FROM q)", phrase, "rows")
    assert bool(words) != (phrase in FOUND_NOWHERE)
    paired = matching(
        "pair_vector @@ (SELECT newsarchive_phrase_pairs(words) FROM q)", phrase, scan
    )
    assert sorted(map(articles.get, paired)) == sorted(map(articles.get, words))
    head = matching(
        "newsarchive_head_vector(language, title, standfirst) @@ (SELECT words FROM q)",
        phrase,
        "rows",
    )
    paired_head = matching(
        "head_vector @@ (SELECT newsarchive_phrase_pairs(words) FROM q)", phrase, scan
    )
    assert sorted(map(articles.get, paired_head)) == sorted(map(articles.get, head))


def paired(query: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT newsarchive_phrase_pairs(newsarchive_query(%s, 'websearch'))::text", [query]
        )
        return cursor.fetchone()[0]


def test_phrases_become_pairs_and_the_rest_stays(db):
    assert paired('"humanitarian situation"') == "'humanitarian situat' | 'humanitarian situation'"
    assert paired('"minister of foreign affairs"') == (
        "( 'minist' | 'minister' ) <3> ( 'foreign affair' | 'foreign affairs' )"
    )
    assert paired("kabul -talks") == "'kabul' & !( 'talk' | 'talks' )"
    # Too long to be a lexeme: the words stay as they were.
    long_phrase = '"' + "x" * 1_500 + " " + "y" * 1_000 + '"'
    assert "<->" in paired(long_phrase)


def test_hand_made_queries_whose_phrases_pairs_would_change_are_left_as_they_are(db):
    with connection.cursor() as cursor:
        for query in ["'x' <-> ( 'a' <-> 'b' )", "'a':* <-> 'b'", "!'a' <-> 'b'", "'a' <-> !'b'"]:
            cursor.execute("SELECT newsarchive_phrase_pairs(%s::tsquery)::text", [query])
            assert cursor.fetchone()[0] == query


def vectors(article: Article) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text, head_vector::text, pair_vector::text"
            " FROM articles_article WHERE id = %s",
            [article.pk],
        )
        return cursor.fetchone()


def test_the_database_keeps_the_pairs_on_every_write(db):
    article = make_article(title="Border talks", standfirst="", body="Peace returns.")
    search_vector, head_vector, pair_vector = vectors(article)
    assert "'border talk':2A" in head_vector and "'border talk':2A" in pair_vector
    assert "'peac return':4C" in pair_vector and "peac return" not in search_vector
    Article.objects.filter(pk=article.pk).update(body="War returns.")
    assert "'war return':4C" in vectors(article)[2]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET pair_vector = 'forged' WHERE id = %s", [article.pk]
        )
    assert "forged" not in vectors(article)[2]


def test_a_search_for_a_phrase_finds_it_and_not_its_words_apart(db):
    make_article(title="Aid", body="The humanitarian situation is dire.")
    make_article(title="Apart", body="A humanitarian convoy; the situation is calm.")
    assert titles(Criteria(text='"humanitarian situation"')) == ["Aid"]
    assert titles(Criteria(text='"humanitarian situation"', sort="newest")) == ["Aid"]

"""An article's words must fit PostgreSQL's text search: a tsvector holds at most 1 MiB of
lexemes and positions ("string is too long for tsvector"). Text with more is refused
with the reason, by the importer naming the file and by the admin's form, where the
database's error ended the import with a traceback and the form with a 500."""

import itertools
import string

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from articles.models import Article
from articles.text.limits import search_overflow
from tests.support.admin_forms import new_article_form, user_in
from tests.support.factories import database_snapshot

ADD_URL = "/admin/articles/article/add/"


def distinct_words(count: int) -> str:
    letters = itertools.product(string.ascii_lowercase, repeat=4)
    return " ".join("".join(("x", *word)) for word in itertools.islice(letters, count))


MANY_WORDS = distinct_words(190_000)  # 1.1 MB, within the importer's 2 MiB


def test_an_md_with_too_many_distinct_words_is_refused_by_name(tmp_path, db, capsys):
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\nFine.\n")
    (tmp_path / "words.md").write_text(f"---\ntitle: Words\n---\n{MANY_WORDS}\n")
    before = database_snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_articles", str(tmp_path), verbosity=0)
    err = capsys.readouterr().err
    assert f"{tmp_path / 'words.md'}: the text has 190,001 distinct words" in err
    assert database_snapshot() == before


def test_the_admin_form_refuses_text_too_long_for_the_search_index(db):
    client = Client()
    client.force_login(user_in("Contributors"))
    before = database_snapshot()
    response = client.post(ADD_URL, new_article_form(status="draft", body=MANY_WORDS))
    assert response.status_code == 200
    assert "The text has 190,0" in response.text and "for the search index" in response.text
    assert database_snapshot() == before


@pytest.mark.parametrize(
    "words",
    [
        distinct_words(73_000),
        " ".join(f"{word}-{word}-x" for word in distinct_words(22_500).split()),
        " ".join(f"https://e.org/{word}/{word}" for word in distinct_words(13_400).split()),
        (distinct_words(300) + " ") * 1_000,
    ],
    ids=["plain words", "hyphenated words", "web addresses", "repeated words"],
)
def test_text_the_estimate_accepts_fits_the_search_index(db, words):
    """The estimate is an upper bound: text it lets through with little to spare, the
    database indexes, its words and their pairs."""
    assert search_overflow("Title", "", words) is None
    article = Article.objects.create(title="Title", slug="t", body=words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT length(search_vector), length(pair_vector) FROM articles_article WHERE id = %s",
            [article.pk],
        )
        words_indexed, with_pairs = cursor.fetchone()
    assert words_indexed > 250
    assert with_pairs > words_indexed

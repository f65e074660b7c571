"""The page cache's key changes when a write commits, and only then: these tests commit, so
they hold a second connection of their own (psycopg, autocommit off) beside the client's."""

import threading
import time

import psycopg
import pytest
from django.db import connection, transaction

from articles.models import Article
from articles.reader.caching import archive_state
from tests.support.databases import database_url
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def writer():
    """A second connection to the test database, in a transaction until it commits."""
    with psycopg.connect(database_url()) as other:
        yield other


def test_a_page_read_while_a_writer_holds_its_transaction_open_is_stale_once_it_commits(
    client, writer
):
    make_article(title="Latest story", days_ago=1)  # stays the newest public article
    article = make_article(title="Soon withdrawn", days_ago=3)
    writer.execute("UPDATE articles_article SET status = 'draft' WHERE id = %s", [article.pk])
    writer.execute("SELECT pg_sleep(0.2)")  # the long transaction, shortened
    # Not committed yet: readers still see the article, and the page is cached.
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    writer.commit()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_write_rolled_back_leaves_the_cached_pages_as_they_were(client, writer):
    article = make_article(title="Kept story")
    before = archive_state()
    writer.execute("UPDATE articles_article SET title = 'Never saved' WHERE id = %s", [article.pk])
    writer.rollback()
    assert archive_state() == before


def test_every_write_to_the_archive_renews_the_state_when_it_commits(writer):
    entity = make_entity(name="Khost")
    before = archive_state()
    writer.execute("UPDATE articles_entity SET description = 'x' WHERE id = %s", [entity.pk])
    writer.execute("UPDATE articles_entity SET description = 'y' WHERE id = %s", [entity.pk])
    assert archive_state() == before
    writer.commit()
    after = archive_state()
    assert after != before
    # Nothing is left behind by the writer's transaction.
    assert writer.execute("SELECT count(*) FROM articles_archive_pending").fetchone() == (0,)


def test_reading_the_archive_state_takes_no_transaction_id():
    """Readers are most requests: they must not consume transaction ids (nor write WAL)."""
    with transaction.atomic(), connection.cursor() as cursor:
        archive_state()
        cursor.execute("SELECT pg_current_xact_id_if_assigned()")
        assert cursor.fetchone() == (None,)


def wait_until_blocked(db: psycopg.Connection, pid: int) -> None:
    """Waits (at most 10 s) until the backend ``pid`` waits for a lock."""
    for _ in range(200):
        row = db.execute(
            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid]
        ).fetchone()
        if row == ("Lock",):
            return
        time.sleep(0.05)
    raise AssertionError(f"backend {pid} never waited for a lock")


def test_a_writer_waiting_for_a_row_at_commit_holds_up_no_other_writer(writer):
    """The state's row is locked only once every other check of the commit has run, so a
    transaction holding it waits for nothing else, and two writers cannot deadlock over it.
    Here an editor's save locks an article (select_for_update) while an import tags that
    article: the import's commit checks the tag's foreign key, which waits for the editor."""
    article = make_article(title="Edited and tagged")
    first, second = make_entity(name="First"), make_entity(name="Second")
    writer.execute("SELECT id FROM articles_article WHERE id = %s FOR UPDATE", [article.pk])
    writer.execute("UPDATE articles_entity SET description = 'edited' WHERE id = %s", [first.pk])

    errors = []
    with psycopg.connect(database_url()) as importer:
        importer.execute("SET deadlock_timeout = '100ms'")
        importer.execute(
            "UPDATE articles_entity SET description = 'imported' WHERE id = %s", [second.pk]
        )
        importer.execute(
            "INSERT INTO articles_mention (article_id, entity_id, count, origin)"
            " VALUES (%s, %s, 1, 'text')",
            [article.pk, second.pk],
        )

        def commit():
            try:
                importer.commit()
            except psycopg.Error as error:
                errors.append(error)

        committing = threading.Thread(target=commit)
        committing.start()
        with psycopg.connect(database_url(), autocommit=True) as observer:
            wait_until_blocked(observer, importer.info.backend_pid)
        writer.execute("SET deadlock_timeout = '100ms'")
        writer.commit()
        committing.join(timeout=30)
    assert not committing.is_alive() and errors == []
    assert Article.objects.get(pk=article.pk).mentions.get().entity == second

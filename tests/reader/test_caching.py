"""Public pages are cached until the archive changes, and answer conditional requests."""

import datetime
import time

import pytest
from django.db import connection
from django.utils import timezone

from articles.models import Article, Entity
from articles.reader import caching
from articles.reader.caching import _RecentState, archive_state
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def test_a_cached_page_costs_one_query(client, django_assert_num_queries):
    make_article(title="First story")
    client.get("/")
    with django_assert_num_queries(1):
        response = client.get("/")
    assert "First story" in response.text
    assert response["Cache-Control"] == "public, no-cache"


def test_a_reader_who_has_the_page_gets_304(client, django_assert_num_queries):
    make_article()
    first = client.get("/")
    assert first["ETag"]
    with django_assert_num_queries(1):
        again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


@pytest.mark.parametrize(
    "change",
    [
        lambda article, entity: make_article(title="Breaking story"),
        lambda article, entity: Article.objects.filter(pk=article.pk).update(
            title="Breaking story"
        ),
        lambda article, entity: Entity.objects.filter(pk=entity.pk).update(name="Breaking story"),
        lambda article, entity: article.mentions.all().delete(),
    ],
    ids=["new article", "bulk update", "entity renamed", "tags removed"],
)
def test_any_change_to_the_archive_refreshes_cached_pages(client, change):
    entity = make_entity(name="Khost")
    article = make_article(title="Old story", tags=[entity])
    before = client.get("/")
    old_state = archive_state()
    change(article, entity)
    assert archive_state() != old_state
    after = client.get("/")
    assert after["ETag"] != before["ETag"]
    assert ("Breaking story" in after.text) or ("Khost" not in after.text)


def test_writes_by_plain_sql_change_the_state_too():
    old_state = archive_state()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_entity SET description = 'x' WHERE false")
    assert archive_state() != old_state


def test_a_scheduled_article_appears_when_its_time_comes_without_any_write(client):
    make_article(title="Already out")
    make_article(
        title="Scheduled story", published_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    assert "Scheduled story" not in client.get("/").text
    time.sleep(1.1)
    assert "Scheduled story" in client.get("/").text


def test_drafts_are_never_cached_into_public_pages(client):
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret draft" not in client.get("/").text


def test_the_admin_is_never_cached(admin_client):
    response = admin_client.get("/admin/")
    assert "ETag" not in response and "public" not in response.get("Cache-Control", "")


def test_a_process_reads_the_archive_state_at_most_once_a_second(
    client, settings, django_assert_num_queries
):
    settings.ARCHIVE_STATE_SECONDS = 60
    _RecentState.forget()
    make_article(title="First story")
    client.get("/")
    with django_assert_num_queries(0):
        assert "First story" in client.get("/").text
    make_article(title="Second story")
    with django_assert_num_queries(0):
        assert "Second story" not in client.get("/").text  # within the second: the old page
    settings.ARCHIVE_STATE_SECONDS = 0
    assert "Second story" in client.get("/").text


def test_a_large_page_is_kept_compressed_and_served_as_it_was_made(
    client, monkeypatch, django_assert_num_queries
):
    for number in range(30):
        make_article(title=f"Story {number}")
    monkeypatch.setattr(caching, "COMPRESS_FROM_BYTES", 1024)
    kept = []
    keep = caching.cache.set
    monkeypatch.setattr(
        caching.cache, "set", lambda key, value, *a: kept.append(value) or keep(key, value, *a)
    )
    made = client.get("/sitemap-articles.xml")
    assert len(made.content) > 1024
    _headers, content, compressed = kept[0]
    assert compressed and len(content) < len(made.content) / 3
    with django_assert_num_queries(1):
        cached = client.get("/sitemap-articles.xml")
    assert cached.content == made.content
    assert (made["X-Cache"], cached["X-Cache"]) == ("miss", "hit")
    # Each answer has a request id of its own (newsarchive/observability).
    assert made["X-Request-ID"] != cached["X-Request-ID"]
    ignored = {"X-Request-ID": "", "X-Cache": ""}
    assert dict(cached.items()) | ignored == dict(made.items()) | ignored

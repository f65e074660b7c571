"""Entity tallies: the database keeps each entity's published article count exact,
whatever writes tags or articles (EntityTally: articles/db/sql/tallies.sql)."""

import datetime

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from articles.editorial.merging import merge_entities
from articles.models import Article, Entity, Mention, published_filter
from tests.support.factories import make_article, make_entity


def counted() -> dict[str, int]:
    """Each entity's article count as pages show it."""
    return dict(Entity.objects.with_article_counts().values_list("name", "article_count"))


def recounted() -> dict[str, int]:
    """The same counted the slow way, mention by mention."""
    return dict(
        Entity.objects.annotate(
            n=Count("mentions", filter=published_filter("mentions__article__"))
        ).values_list("name", "n")
    )


def test_tallies_follow_tags_added_removed_and_moved(db):
    khost, kabul = make_entity(name="Khost"), make_entity(name="Kabul")
    first = make_article(tags=[khost, kabul])
    make_article(tags=[khost])
    make_article(tags=[khost], status=Article.Status.DRAFT)
    assert counted() == recounted() == {"Khost": 2, "Kabul": 1}
    Mention.objects.filter(article=first, entity=kabul).delete()
    assert counted() == recounted() == {"Khost": 2, "Kabul": 0}
    Mention.objects.filter(entity=khost).update(entity=kabul)
    assert counted() == recounted() == {"Khost": 0, "Kabul": 2}


def test_tallies_follow_publishing_unpublishing_and_deleting(db):
    khost = make_entity(name="Khost")
    draft = make_article(tags=[khost], status=Article.Status.DRAFT)
    assert counted() == {"Khost": 0}
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert counted() == recounted() == {"Khost": 1}
    Article.objects.update(status=Article.Status.DRAFT)
    assert counted() == recounted() == {"Khost": 0}
    Article.objects.update(status=Article.Status.PUBLISHED)
    make_article(tags=[khost])
    Article.objects.filter(pk=draft.pk).delete()
    assert counted() == recounted() == {"Khost": 1}


def test_scheduled_articles_count_once_their_time_comes(db):
    khost = make_entity(name="Khost")
    make_article(tags=[khost])
    soon = make_article(tags=[khost], published_at=timezone.now() + datetime.timedelta(hours=1))
    assert counted() == recounted() == {"Khost": 1}
    Article.objects.filter(pk=soon.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert counted() == recounted() == {"Khost": 2}


def test_tallies_follow_merges_and_deleted_entities(db):
    hameed, hamid = make_entity(name="Faiz Hameed"), make_entity(name="Faiz Hamid")
    make_article(tags=[hameed, hamid])
    make_article(tags=[hamid])
    merge_entities(hameed, [hamid])
    assert counted() == recounted() == {"Faiz Hameed": 2}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_entitytally WHERE entity_id = %s", [hamid.pk])
        assert cursor.fetchone() == (0,)


def test_tallies_follow_raw_sql(db):
    khost = make_entity(name="Khost")
    article = make_article(status=Article.Status.DRAFT)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_mention (article_id, entity_id, count, origin)"
            " VALUES (%s, %s, 1, 'text')",
            [article.pk, khost.pk],
        )
        cursor.execute("UPDATE articles_article SET status = 'published'")
    assert counted() == recounted() == {"Khost": 1}


# The archive's tally: how many articles are public, for paging the home page.


def test_the_archive_count_follows_every_write_to_articles(db):
    def public() -> int:
        assert Article.objects.public_count() == Article.objects.published().count()
        return Article.objects.public_count()

    assert public() == 0
    draft = make_article(status=Article.Status.DRAFT)
    make_article()
    Article.objects.bulk_create(
        Article(
            title=f"Bulk {n}",
            slug=f"bulk-{n}",
            body="b",
            status="published",
            published_at=timezone.now(),
        )
        for n in range(3)
    )
    assert public() == 4
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert public() == 5
    Article.objects.filter(title__startswith="Bulk").update(status=Article.Status.DRAFT)
    assert public() == 2
    Article.objects.filter(pk=draft.pk).delete()
    assert public() == 1
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET status = 'published'")
    assert public() == 4


def test_scheduled_articles_join_the_archive_count_once_their_time_comes(db):
    make_article()
    soon = make_article(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert Article.objects.public_count() == 1
    Article.objects.filter(pk=soon.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert Article.objects.public_count() == 2


def test_the_home_page_pages_by_the_archive_count(client, db, settings):
    for _ in range(settings.ARTICLES_PER_PAGE + 1):
        make_article()
    make_article(status=Article.Status.DRAFT)
    assert "Page 1 of 2" in client.get("/").text
    assert client.get("/", {"page": 2}).text.count('<article class="card') == 1

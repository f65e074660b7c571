"""Article history: every save keeps a revision that can be viewed and restored."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.dateparse import parse_datetime

from articles.editorial.permissions import may_publish, may_restore
from articles.models import Article, Entity, Mention, RemovedTag, Revision

SNAPSHOT_FIELDS = [
    "title", "slug", "standfirst", "body", "status", "published_at", "date_precision",
    "source_name", "source_url", "byline", "language", "inferred_fields",
]  # fmt: skip


# Whether and when an article is public: an editor's decision, which imports keep.
PUBLICATION_FIELDS = ("status", "published_at")


def json_value(value):
    """A field's value as revisions and import records keep it in JSON."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def snapshot(article: Article, mentions: list[Mention] | None = None) -> dict:
    """The article's editable fields and tags, as JSON-ready values."""
    state = {name: json_value(getattr(article, name)) for name in SNAPSHOT_FIELDS}
    if mentions is None:
        mentions = Mention.objects.filter(article=article)
    state["tags"] = sorted([m.entity_id, m.count, m.origin] for m in mentions)
    return state


def changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return sorted(after)
    return [name for name in after if before.get(name) != after[name]]


def record_revision(article: Article, author=None, comment: str = "") -> Revision | None:
    """Saves the article's current state as its next revision; nothing if unchanged."""
    state = snapshot(article)
    previous = article.revisions.order_by("-number").first()
    changes = changed_fields(previous.snapshot if previous else None, state)
    if previous and not changes:
        return None
    number = (previous.number if previous else 0) + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        author=author if author and author.is_authenticated else None,
        comment=comment,
        snapshot=state,
        changed_fields=changes,
    )
    Article.objects.filter(pk=article.pk).update(version=number)
    article.version = number
    return revision


class EditConflict(Exception):
    """The article was saved after the version its editor opened (``opened_version``; None
    when their form did not say which), so writing now could undo changes they never saw."""

    def __init__(self, article: Article, opened_version: int | None):
        super().__init__(f"Article {article.pk} changed after version {opened_version}.")
        self.article = article
        self.opened_version = opened_version


def ensure_unchanged_since(article: Article, opened_version: int | None) -> None:
    """EditConflict unless ``article`` (read locked, so that no save slips in before the
    caller's) is still at ``opened_version``."""
    if opened_version is None or opened_version != article.version:
        raise EditConflict(article, opened_version)


@transaction.atomic
def restore_revision(revision: Revision, author, opened_version: int | None) -> Revision | None:
    """Puts the article back as it was in ``revision``, as a new revision by ``author``.

    Refused with EditConflict if someone saved the article after ``opened_version`` (what
    ``author`` saw when choosing to restore), and with PermissionDenied if ``author`` may not
    change it as the change form would. The status is restored only by those who may
    publish: anyone else restores the text and tags, and the article keeps its status.
    A revision the database would now refuse (its slug taken by another article since) is
    refused with ValidationError."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    if not may_restore(author, article):
        raise PermissionDenied
    ensure_unchanged_since(article, opened_version)
    state = revision.snapshot
    for name in SNAPSHOT_FIELDS:
        if name == "status" and not may_publish(author):
            continue
        value = state.get(name)
        if name == "published_at" and value:
            value = parse_datetime(value)
        setattr(article, name, value)
    article.validate_unique()
    article.validate_constraints()
    article.save()
    tagged_before = set(article.mentions.values_list("entity_id", flat=True))
    article.mentions.all().delete()
    tags = state.get("tags", [])
    still_there = set(
        Entity.objects.filter(id__in=[t[0] for t in tags]).values_list("id", flat=True)
    )
    Mention.objects.bulk_create(
        Mention(article=article, entity_id=entity_id, count=count, origin=origin)
        for entity_id, count, origin in tags
        if entity_id in still_there
    )
    note_removed_tags(article, tagged_before, author)
    return record_revision(article, author, f"Restored revision {revision.number}")


def note_removed_tags(article: Article, before: set[int], author=None) -> None:
    """Records the tags an editor removed (the entities of ``before`` the article is no
    longer tagged with), which re-imports then do not put back, and forgets the removals
    of tags it has again."""
    tagged = set(article.mentions.values_list("entity_id", flat=True))
    RemovedTag.objects.bulk_create(
        [
            RemovedTag(
                article=article,
                entity_id=entity_id,
                removed_by=author if author and author.is_authenticated else None,
            )
            for entity_id in before - tagged
        ],
        ignore_conflicts=True,
    )
    RemovedTag.objects.filter(article=article, entity_id__in=tagged).delete()


def revisions_since(article: Article, version: int):
    """The revisions saved after ``version``: what another editor changed meanwhile."""
    return article.revisions.filter(number__gt=version).select_related("author")


def latest_revisions(articles: list[Article]) -> dict[int, Revision]:
    """The latest revision of each of ``articles`` that has one, by article id: one query."""
    return {
        r.article_id: r
        for r in Revision.objects.filter(article__in=articles)
        .order_by("article_id", "-number")
        .distinct("article_id")
    }


def import_revision(article: Article, mentions: list[Mention], before: Revision | None) -> Revision:
    """The revision an import makes of an article it wrote (unsaved: the importer writes
    them all at once), numbered by the version the import gave it."""
    state = snapshot(article, mentions)
    return Revision(
        article=article,
        number=article.version,
        comment=f"Imported from {article.source_file}",
        snapshot=state,
        changed_fields=changed_fields(before.snapshot if before else None, state),
    )

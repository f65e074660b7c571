"""Article history: every save keeps a revision that can be viewed and restored.

The pieces of a revision are defined once here: its number (``next_revision_number``), the
state it keeps (``snapshot``) and its row (``revision_row``). Two paths write revisions
from them: ``record_revision``, one article at a time, for every save through
editorial/services.py; and ``import_revision``, the batched variant, for the importer,
which writes a thousand articles' revisions in one COPY.
"""

import datetime

from articles.models import Article, Mention, Quotation, Revision

SNAPSHOT_FIELDS = [
    "title", "slug", "standfirst", "body", "status", "published_at", "date_precision",
    "source_name", "source_url", "byline", "language", "inferred_fields",
]  # fmt: skip


# Whether and when an article is public: an editor's decision, which imports keep.
PUBLICATION_FIELDS = ("status", "published_at")


def json_value(value):
    """A field's value as revisions and import records keep it in JSON."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def snapshot(
    article: Article,
    mentions: list[Mention] | None = None,
    quotations: list[Quotation] | None = None,
) -> dict:
    """The article's editable fields, tags and quotations, as JSON-ready values."""
    state = {name: json_value(getattr(article, name)) for name in SNAPSHOT_FIELDS}
    if mentions is None:
        mentions = Mention.objects.filter(article=article)
    if quotations is None:
        quotations = Quotation.objects.filter(article=article)
    state["tags"] = sorted([m.entity_id, m.count, m.origin] for m in mentions)
    state["quotations"] = sorted([q.person_id, q.passage, q.position, q.origin] for q in quotations)
    return state


def changed_fields(before: dict | None, after: dict) -> list[str]:
    if before is None:
        return sorted(after)
    return [name for name in after if before.get(name) != after[name]]


def next_revision_number(article: Article) -> int:
    """The number of ``article``'s next revision, which becomes its version: one after the
    version it has (its latest revision's number; 0 before its first)."""
    return article.version + 1


def revision_row(
    article: Article,
    number: int,
    state: dict,
    previous: Revision | None,
    *,
    author=None,
    comment: str = "",
) -> Revision:
    """Revision ``number`` of ``article`` (unsaved), keeping ``state`` (its snapshot) and
    naming the fields that differ from ``previous``, its latest revision until now."""
    return Revision(
        article=article,
        number=number,
        author=author if author and author.is_authenticated else None,
        comment=comment,
        snapshot=state,
        changed_fields=changed_fields(previous.snapshot if previous else None, state),
    )


def record_revision(article: Article, author=None, comment: str = "") -> Revision | None:
    """Saves the article's current state as its next revision, and its version as that
    revision's number; nothing if unchanged. The per-article path (editorial/services.py
    calls it for every save); ``import_revision`` is the importer's batched variant."""
    previous = article.revisions.order_by("-number").first()
    revision = revision_row(
        article,
        next_revision_number(article),
        snapshot(article),
        previous,
        author=author,
        comment=comment,
    )
    if previous and not revision.changed_fields:
        return None
    revision.save()
    Article.objects.filter(pk=article.pk).update(version=revision.number)
    article.version = revision.number
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


def import_revision(
    article: Article,
    mentions: list[Mention],
    quotations: list[Quotation],
    before: Revision | None,
) -> Revision:
    """The revision an import makes of an article it wrote, with ``mentions`` its tags,
    ``quotations`` its quotations and ``before`` its latest revision until now: the
    batched variant of ``record_revision``.
    Unsaved, since the importer copies them all at once, and numbered by the version the
    import gave the article (``next_revision_number``, taken as it checked the file), since
    the article's row is written with that version before its tags are found."""
    return revision_row(
        article,
        article.version,
        snapshot(article, mentions, quotations),
        before,
        comment=f"Imported from {article.source_file}",
    )

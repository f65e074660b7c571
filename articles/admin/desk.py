"""The editors' desk, on the admin's first page: what needs an editor's attention. Drafts
by age, scheduled articles with their times, the latest imports with their reports, the
edits refused to keep someone else's changes, the names the gazetteer does not know yet,
the entities without a description or coordinates, and gazetteer changes still waiting to
be re-tagged. Each part shows to those who may see what it lists, and costs one query (two
for the entities), whatever the archive holds."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.importing.names_queue import queue
from articles.models import (
    Article,
    Entity,
    GazetteerChange,
    ImportRun,
    RefusedEdit,
    scheduled_filter,
)

SHOWN = 8
# The ages drafts are counted by: (label, younger than).
DRAFT_AGES = [
    ("less than a week", datetime.timedelta(days=7)),
    ("one to four weeks", datetime.timedelta(days=28)),
    ("one to six months", datetime.timedelta(days=182)),
]


@dataclass
class Desk:
    draft_ages: list[tuple[str, int]] = field(default_factory=list)
    drafts: list[Article] = field(default_factory=list)
    scheduled: list[Article] = field(default_factory=list)
    imports: list[ImportRun] = field(default_factory=list)
    refused: list[RefusedEdit] = field(default_factory=list)
    names: list = field(default_factory=list)
    lacking_description: list[Entity] = field(default_factory=list)
    places_without_coordinates: list[Entity] = field(default_factory=list)
    pending_changes: int = 0
    shows: set[str] = field(default_factory=set)

    @property
    def draft_count(self) -> int:
        return sum(count for _, count in self.draft_ages)


def _draft_ages(now) -> list[tuple[str, int]]:
    counts, younger = {}, None
    for number, (_, age) in enumerate(DRAFT_AGES):
        since = Q(created_at__gte=now - age)
        counts[f"age{number}"] = Count("pk", filter=since & ~younger if younger else since)
        younger = since
    counts["older"] = Count("pk", filter=~younger)
    totals = Article.objects.filter(status=Article.Status.DRAFT).aggregate(**counts)
    labels = [label for label, _ in DRAFT_AGES] + ["older"]
    return list(zip(labels, totals.values(), strict=True))


def _entities(condition: Q) -> list[Entity]:
    """The entities meeting ``condition``, most tagged first, each with the number of all
    that do (``total``), in one query."""
    return list(
        Entity.objects.filter(condition)
        .annotate(
            published=Coalesce("tally__published", 0),
            total=Window(Count("pk")),
        )
        .order_by("-published", "name")[:SHOWN]
    )


def editors_desk(user) -> Desk:
    """What ``user`` may see of the desk."""
    desk = Desk()
    now = timezone.now()
    if user.has_perm("articles.view_article"):
        desk.shows.add("articles")
        desk.draft_ages = _draft_ages(now)
        desk.drafts = list(
            Article.objects.filter(status=Article.Status.DRAFT)
            .only("pk", "title", "created_at", "updated_at")
            .order_by("created_at", "pk")[:SHOWN]
        )
        desk.scheduled = list(
            Article.objects.filter(scheduled_filter())
            .only("pk", "title", "published_at")
            .order_by("published_at", "pk")[:SHOWN]
        )
    if user.has_perm("articles.view_importrun"):
        desk.shows.add("imports")
        desk.imports = list(ImportRun.objects.select_related("user")[:SHOWN])
    if user.has_perm("articles.view_refusededit"):
        desk.shows.add("refused")
        desk.refused = list(
            RefusedEdit.objects.select_related("user", "article", "entity")
            .defer("article__body", "article__standfirst")
            .order_by("-refused_at", "-pk")[:SHOWN]
        )
    if user.has_perm("articles.view_namecandidate"):
        desk.shows.add("names")
        desk.names = list(queue()[:SHOWN])
    if user.has_perm("articles.view_entity"):
        desk.shows.add("entities")
        desk.lacking_description = _entities(Q(description=""))
        desk.places_without_coordinates = _entities(
            Q(kind=Entity.Kind.PLACE, latitude__isnull=True)
        )
        desk.pending_changes = GazetteerChange.objects.count()
    return desk

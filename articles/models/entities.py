"""The people, places, events and organisations articles mention, with their other
spellings and the addresses they were merged away from."""

import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, JSONObject, TruncMonth, TruncYear

from articles import kinds
from articles.dates import DatePrecision, format_with_precision
from articles.db.functions import folded_name
from articles.kinds import PARTICIPANT_KINDS, Kind
from articles.models.links import EntityLink
from articles.models.publication import scheduled_filter

# Events shown on an entity's page; the timeline, filtered by it, shows them all.
EVENTS_ON_ENTITY_PAGES = 30
# Quotations shown on a person's page, newest first.
QUOTATIONS_ON_PERSON_PAGES = 20
# The most events one timeline page lists: far more than the archive holds.
TIMELINE_LIMIT = 2_000


def _period_start():
    """The first day of the period an event's start date stands for at its precision: its
    day, the 1st, 11th or 21st of its month (early, mid-, late), its month or its year."""
    month = TruncMonth("start_date", output_field=models.DateField())
    precision = DatePrecision

    def days_into(days: int):
        return Cast(month + Value(datetime.timedelta(days=days)), models.DateField())

    # date_trunc gives a timestamp: the whole is cast back to a date.
    return Cast(
        Case(
            When(start_precision=precision.DAY, then=F("start_date")),
            When(start_precision=precision.MID_MONTH, then=days_into(10)),
            When(start_precision=precision.LATE_MONTH, then=days_into(20)),
            When(
                start_precision=precision.YEAR,
                then=TruncYear("start_date", output_field=models.DateField()),
            ),
            default=month,
            output_field=models.DateField(),
        ),
        models.DateField(),
    )


def _period_length():
    """Ranks precisions from the exact day (0) to the year (3): of two periods starting
    on one day, the shorter comes first."""
    precision = DatePrecision
    return Case(
        When(start_precision=precision.DAY, then=Value(0)),
        When(start_precision=precision.MONTH, then=Value(2)),
        When(start_precision=precision.YEAR, then=Value(3)),
        default=Value(1),
        output_field=models.IntegerField(),
    )


def _count(queryset):
    """A subquery counting the rows of ``queryset``, for an annotation."""
    return (
        queryset.order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )


class EntityQuerySet(models.QuerySet):
    # Articles and their tags are defined in articles.py, which imports this module: they
    # are reached through the relations (the model _meta API), not imported back.
    def _related(self, name: str) -> type[models.Model]:
        return self.model._meta.get_field(name).related_model

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def with_names_and_links(self):
        """Annotate each entity's other spellings and, for events, its places and
        participants, as arrays computed in the same query."""
        linked = Entity.objects.order_by("name").values(
            data=JSONObject(kind="kind", name="name", slug="slug")
        )
        return self.annotate(
            alias_names=ArraySubquery(
                Alias.objects.filter(entity=OuterRef("pk")).order_by("name").values("name")
            ),
            place_links=ArraySubquery(linked.filter(events_here=OuterRef("pk"))),
            participant_links=ArraySubquery(linked.filter(events_taken_part_in=OuterRef("pk"))),
        )

    def with_article_counts(self):
        """Annotate how many published articles mention each entity: the tally the database
        keeps, less the articles still scheduled (few, found by the latest-articles
        index), so no query counts an entity's mentions one by one."""
        scheduled = (
            self._related("mentions")
            .objects.filter(scheduled_filter("article__"), entity=OuterRef("pk"))
            .values("entity")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            article_count=Coalesce(F("tally__published"), 0) - Coalesce(Subquery(scheduled), 0)
        )

    def timeline(self):
        """Events in the order their dates put them, whatever their precision: an event of
        late November 2025 after those of 1 to 20 November, one of November 2025 after
        those of 1 November; events without a date last."""
        return (
            self.of_kind(Kind.EVENT)
            .annotate(period_start=_period_start(), period_length=_period_length())
            .order_by(F("period_start").asc(nulls_last=True), "period_length", "name", "pk")
        )

    def timeline_entries(self):
        """``timeline()`` as one JSON object an event (``entry``): what the timeline shows
        of it, with its places, participants and published articles, in the same query."""
        linked = Entity.objects.order_by("name").values(
            data=JSONObject(kind="kind", name="name", slug="slug")
        )
        return (
            self.timeline()
            .with_article_counts()
            .values(
                entry=JSONObject(
                    name="name",
                    slug="slug",
                    start_date="start_date",
                    start_precision="start_precision",
                    end_date="end_date",
                    end_precision="end_precision",
                    period_start="period_start",
                    articles="article_count",
                    places=ArraySubquery(linked.filter(events_here=OuterRef("pk"))),
                    participants=ArraySubquery(linked.filter(events_taken_part_in=OuterRef("pk"))),
                )
            )
        )

    def with_events_and_words(self, kind: str):
        """Annotate each entity of ``kind`` with its events (those that happened at a place,
        or those a person or organisation took part in), the first EVENTS_ON_ENTITY_PAGES in
        time order and how many in all; and each person with their quotations in published
        articles, the newest QUOTATIONS_ON_PERSON_PAGES and how many in all: arrays and
        counts computed in the same query."""
        annotations = {}
        link = {Kind.PLACE: "places"}.get(kind, "participants" if kind in PARTICIPANT_KINDS else "")
        if link:
            events = Entity.objects.filter(**{link: OuterRef("pk")})
            annotations["event_entries"] = ArraySubquery(
                events.timeline_entries()[:EVENTS_ON_ENTITY_PAGES]
            )
            annotations["event_count"] = Coalesce(Subquery(_count(events)), 0)
        if kind == Kind.PERSON:
            quotations = self._related("quotations").objects.public().filter(person=OuterRef("pk"))
            annotations["quotation_entries"] = ArraySubquery(
                quotations.newest_first().values(
                    data=JSONObject(
                        id="pk",
                        passage="passage",
                        title="article__title",
                        slug="article__slug",
                        published_at="article__published_at",
                        date_precision="article__date_precision",
                    )
                )[:QUOTATIONS_ON_PERSON_PAGES]
            )
            annotations["quotation_count"] = Coalesce(Subquery(_count(quotations)), 0)
        return self.annotate(**annotations)

    def mentioned_alongside(self, entity: "Entity", limit: int = 12, recent: int = 1000):
        """The entities most often tagged in the same published articles as ``entity``,
        among its ``recent`` newest articles (a bound that keeps heavily tagged places
        fast)."""
        articles = self._related("articles").objects
        shared_articles = (
            articles.published().mentioning(entity).latest_first().values("pk")[:recent]
        )
        return (
            self.filter(mentions__article__in=shared_articles)
            .exclude(pk=entity.pk)
            .annotate(shared_articles=Count("mentions"))
            .order_by("-shared_articles", "name")[:limit]
        )


class Entity(models.Model):
    """A person, place, event or organisation that articles mention."""

    Kind = Kind

    kind = models.CharField(max_length=16, choices=Kind)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    description = models.TextField(blank=True)
    role = models.CharField(max_length=200, blank=True, help_text="People: their role.")
    country = models.CharField(max_length=100, blank=True, help_text="Places: the country.")
    latitude = models.FloatField(null=True, blank=True, help_text="Places: decimal degrees.")
    longitude = models.FloatField(null=True, blank=True, help_text="Places: decimal degrees.")
    start_date = models.DateField(null=True, blank=True, help_text="Events: when it began.")
    start_precision = models.CharField(
        max_length=16, choices=DatePrecision, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True, help_text="Events: when it ended.")
    end_precision = models.CharField(
        max_length=16, choices=DatePrecision, default=DatePrecision.DAY
    )
    places = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="events_here",
        limit_choices_to={"kind": Kind.PLACE},
        help_text="Events: where it happened.",
    )
    participants = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="events_taken_part_in",
        limit_choices_to={"kind__in": list(PARTICIPANT_KINDS)},
        help_text="Events: the people and organisations involved.",
    )
    gazetteer_checksum = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 of the gazetteer record last imported; an unchanged record is "
        "skipped so that editors' changes survive re-imports.",
    )
    imported_values = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The values the last gazetteer import wrote; values that differ now were "
        "changed by an editor, which a re-import must not silently undo.",
    )
    search_name = models.GeneratedField(
        expression=folded_name(F("name")),
        output_field=models.TextField(),
        db_persist=True,
        help_text="The name folded for search matching; computed by the database.",
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]
        indexes = [
            GinIndex(
                fields=["search_name"], opclasses=["gin_trgm_ops"], name="entity_search_name_trgm"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="entity_unique_slug_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["person", "place", "event", "organisation"]),
                name="entity_valid_kind",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="entity_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="entity_longitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False, kind="place"),
                name="entity_coordinates_for_places_in_pairs",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, end_date__isnull=True) | Q(kind="event"),
                name="entity_dates_only_for_events",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="entity_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_precision__in=DatePrecision.values)
                & Q(end_precision__in=DatePrecision.values),
                name="entity_valid_date_precisions",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return EntityLink(self.kind, self.slug, self.name).get_absolute_url()

    @property
    def kind_shown(self) -> str:
        """The entity's kind in the reader's language: "Person"."""
        return str(kinds.BY_VALUE[self.kind].shown)

    @property
    def display_start(self) -> str:
        return format_with_precision(self.start_date, self.start_precision)

    @property
    def display_end(self) -> str:
        return format_with_precision(self.end_date, self.end_precision)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def event_places(self) -> list["EntityLink"]:
        """From ``with_names_and_links()``: enough of each place to name and link it."""
        return [EntityLink(**link) for link in getattr(self, "place_links", [])]

    @property
    def event_participants(self) -> list["EntityLink"]:
        return [EntityLink(**link) for link in getattr(self, "participant_links", [])]


class Alias(models.Model):
    """Another spelling of an entity's name: a romanisation, a native script, a short form."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    search_name = models.GeneratedField(
        expression=folded_name(F("name")),
        output_field=models.TextField(),
        db_persist=True,
        help_text="The alias folded for search matching; computed by the database.",
    )

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]
        indexes = [
            GinIndex(
                fields=["search_name"], opclasses=["gin_trgm_ops"], name="alias_search_name_trgm"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="alias_unique_per_entity"),
        ]

    def __str__(self):
        return self.name


class EntityRedirect(models.Model):
    """An old entity address that now leads elsewhere, e.g. after two entities merged."""

    kind = models.CharField(max_length=16, choices=Entity.Kind)
    slug = models.SlugField(max_length=200)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="redirects")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="entity_redirect_unique_slug"),
        ]

    def __str__(self):
        return f"{self.kind}/{self.slug} → {self.entity}"

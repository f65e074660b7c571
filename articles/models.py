"""Articles, the entities they mention (people, places, events, organisations) and the tags
between them.

Every public surface starts from ``Article.objects.published()``; entity counts use the same
gate through ``published_filter``, so a draft cannot leak by a forgotten filter.
"""

import math
from collections import defaultdict

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.functional import cached_property

from .dates import DatePrecision, format_with_precision
from .rendering import render_markdown

WORDS_READ_PER_MINUTE = 200


def published_filter(prefix: str = "") -> Q:
    """The public gate as a Q object, for querying articles through a relation."""
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": Now()})


class EntityQuerySet(models.QuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def with_article_counts(self):
        """Annotate how many published articles mention each entity."""
        return self.annotate(
            article_count=Count("mentions", filter=published_filter("mentions__article__"))
        )

    def mentioned_alongside(self, entity: "Entity", limit: int = 12):
        """The entities most often tagged in the same published articles as ``entity``."""
        shared_articles = Article.objects.published().filter(mentions__entity=entity)
        return (
            self.filter(mentions__article__in=shared_articles)
            .exclude(pk=entity.pk)
            .annotate(shared_articles=Count("mentions"))
            .order_by("-shared_articles", "name")[:limit]
        )


class Entity(models.Model):
    """A person, place, event or organisation that articles mention."""

    class Kind(models.TextChoices):
        PERSON = "person", "person"
        PLACE = "place", "place"
        EVENT = "event", "event"
        ORGANISATION = "organisation", "organisation"

    PLURALS = {
        Kind.PERSON: "People",
        Kind.PLACE: "Places",
        Kind.EVENT: "Events",
        Kind.ORGANISATION: "Organisations",
    }

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
        limit_choices_to={"kind__in": [Kind.PERSON, Kind.ORGANISATION]},
        help_text="Events: the people and organisations involved.",
    )
    gazetteer_checksum = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="SHA-256 of the gazetteer record last imported; an unchanged record is "
        "skipped so that editors' changes survive re-imports.",
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]
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
        return reverse(f"articles:{self.kind}_detail", kwargs={"slug": self.slug})

    @property
    def display_start(self) -> str:
        return format_with_precision(self.start_date, self.start_precision)

    @property
    def display_end(self) -> str:
        return format_with_precision(self.end_date, self.end_precision)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Alias(models.Model):
    """Another spelling of an entity's name: a romanisation, a native script, a short form."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "name"], name="alias_unique_per_entity"),
        ]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The public gate: published, and no longer scheduled for the future."""
        return self.filter(published_filter())

    def latest_first(self):
        return self.order_by(F("published_at").desc(nulls_last=True), "-id")

    def mentioning(self, entity: Entity):
        return self.filter(mentions__entity=entity)

    def with_mentions(self):
        """Prefetch tags with their entities, most mentioned first, in one query."""
        return self.prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.select_related("entity").order_by(
                    "-count", "entity__name"
                ),
            )
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "draft"
        PUBLISHED = "published", "published"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(blank=True)
    body = models.TextField(help_text="Markdown.")
    source_name = models.CharField("source", max_length=120, blank=True)
    source_url = models.URLField("source URL", max_length=500, blank=True)
    byline = models.CharField(max_length=200, blank=True, help_text="Author or desk initials.")
    language = models.CharField(max_length=12, default="en", help_text="BCP 47 code: en, ps, fa…")
    published_at = models.DateTimeField(null=True, blank=True, db_index=False)
    date_precision = models.CharField(
        max_length=16, choices=DatePrecision, default=DatePrecision.DAY
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    source_file = models.CharField(
        max_length=255,
        blank=True,
        editable=False,
        help_text="The file this article was imported from; the import's stable key.",
    )
    checksum = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of the imported file."
    )
    sidecar_checksum = models.CharField(
        max_length=64, blank=True, editable=False, help_text="SHA-256 of its sidecar, if any."
    )
    inferred_fields = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="Fields inferred by the archive rather than given by the source.",
    )
    entities = models.ManyToManyField(Entity, through="Mention", related_name="articles")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="article_valid_status"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="article_valid_date_precision",
            ),
            models.UniqueConstraint(
                fields=["source_file"],
                condition=~Q(source_file=""),
                name="article_unique_source_file",
            ),
        ]
        indexes = [
            models.Index(
                F("published_at").desc(),
                name="article_published_latest",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article_detail", kwargs={"slug": self.slug})

    @cached_property
    def body_html(self) -> str:
        return render_markdown(self.body)

    @property
    def reading_minutes(self) -> int:
        words = len(f"{self.standfirst} {self.body}".split())
        return max(1, math.ceil(words / WORDS_READ_PER_MINUTE))

    @property
    def display_date(self) -> str:
        if self.published_at is None:
            return ""
        return format_with_precision(self.published_at.date(), self.date_precision)

    @property
    def is_right_to_left(self) -> bool:
        return self.language.split("-")[0] in {"ar", "fa", "ps", "ur", "ckb", "sd"}

    def entities_by_kind(self) -> dict[str, list[Entity]]:
        """Tagged entities grouped by kind, from the prefetched mentions (no query)."""
        grouped = defaultdict(list)
        for mention in self.mentions.all():
            grouped[mention.entity.kind].append(mention.entity)
        return {Entity.PLURALS[kind]: grouped[kind] for kind in Entity.Kind if grouped[kind]}

    def main_entities(self, kind: str, limit: int = 3) -> list[Entity]:
        return [m.entity for m in self.mentions.all() if m.entity.kind == kind][:limit]

    @property
    def main_people(self) -> list[Entity]:
        return self.main_entities(Entity.Kind.PERSON)

    @property
    def main_places(self) -> list[Entity]:
        return self.main_entities(Entity.Kind.PLACE)


class Mention(models.Model):
    """An article mentions an entity, ``count`` times in its text."""

    class Origin(models.TextChoices):
        TEXT = "text", "found in the text"
        DECLARED = "declared", "declared by an editor or front matter"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.DECLARED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="mention_unique_pair"),
            models.CheckConstraint(
                condition=Q(origin__in=["text", "declared"]), name="mention_valid_origin"
            ),
        ]
        indexes = [models.Index(fields=["entity", "article"], name="mention_entity_article")]

    def __str__(self):
        return f"{self.article} → {self.entity}"

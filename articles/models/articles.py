"""Articles, their tags (an article mentions an entity) and the tags editors removed.

Every public surface starts from ``Article.objects.published()`` (publication.py).
"""

import math
from collections import defaultdict

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Prefetch, Q, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, JSONObject
from django.utils.functional import cached_property
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy, pgettext_lazy

from articles import kinds, languages
from articles.dates import DatePrecision, format_with_precision
from articles.db.functions import Repeats, WordsQuery
from articles.db.indexes import RumIndex
from articles.models.entities import Entity
from articles.models.links import EntityLink, VersionLink, slug_url
from articles.models.publication import Status, published_filter, scheduled_filter
from articles.models.tallies import ArchiveTally
from articles.text.markdown import render_markdown

WORDS_READ_PER_MINUTE = 200


MAIN_TAGS_PER_KIND = 3


def _main_tags(kind: str) -> ArraySubquery:
    return ArraySubquery(
        Mention.objects.filter(article=OuterRef("pk"), entity__kind=kind)
        .order_by("-count", "entity__name")
        .values(data=JSONObject(kind="entity__kind", name="entity__name", slug="entity__slug"))[
            :MAIN_TAGS_PER_KIND
        ]
    )


# The fields an import may say the archive inferred (articles/importing/parsing.py), as an
# article's page names them.
INFERRED_FIELD_NAMES = {
    "title": gettext_lazy("title"),
    "slug": gettext_lazy("address"),
    "standfirst": gettext_lazy("standfirst"),
    "source": gettext_lazy("source"),
    "source_url": gettext_lazy("source URL"),
    "byline": gettext_lazy("byline"),
    "language": gettext_lazy("language"),
    "date": gettext_lazy("date"),
    "date_precision": gettext_lazy("date precision"),
    "tags": gettext_lazy("tags"),
}


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The public gate: published, and no longer scheduled for the future."""
        return self.filter(published_filter())

    def latest_first(self):
        return self.order_by(F("published_at").desc(nulls_last=True), "-id")

    def cards(self):
        """What a list of article cards shows: no body, its main people and places, newest
        first."""
        return self.defer("body").with_main_tags().latest_first()

    def with_main_tags(self):
        """Annotate each article's most mentioned people and places, at most
        MAIN_TAGS_PER_KIND of each, as arrays computed in the same query."""
        return self.annotate(
            main_people_data=_main_tags(Entity.Kind.PERSON),
            main_places_data=_main_tags(Entity.Kind.PLACE),
        )

    def with_versions(self):
        """Annotate each article's story's other versions (its original, its original's
        translations, its own), published, by language: an array computed in the same
        query (``versions``)."""
        story = Coalesce(OuterRef("translation_of_id"), OuterRef("pk"))
        versions = (
            self.model.objects.published()
            .filter(Q(pk=story) | Q(translation_of=story))
            .exclude(pk=OuterRef("pk"))
            .order_by("language", "pk")
            .values(data=JSONObject(slug="slug", language="language", title="title"))
        )
        return self.annotate(versions_data=ArraySubquery(versions))

    def mentioning(self, entity: Entity):
        return self.filter(mentions__entity=entity)

    def from_files(self, names):
        """The articles imported from the files ``names``, in no order. The unique index
        on the file name is partial (it leaves out the articles written in the admin), so
        the query states its condition: PostgreSQL proves it from an IN list of at most
        100 names, and for a thousand-file import it read the whole table instead."""
        return self.exclude(source_file="").filter(source_file__in=names).order_by()

    def with_heading_or_slug(self, text: str):
        """Articles whose title and standfirst hold every word of ``text``, each as the
        beginning of a word ("refug" finds refugees), or whose slug is ``text``: how an
        editor looks for one article. Both parts are served by an index (the head vector's,
        the slug's), where the admin's default LIKE read every row."""
        # The words as the search reads them, then each lexeme as a beginning ('refug':*):
        # rewritten by PostgreSQL from its own output, so it is a valid query whatever the
        # text, and read back as it is (the 'simple' configuration only lowers, and the
        # lexemes are lower case already).
        beginnings = Func(
            Cast(WordsQuery(Value(text), "plain"), TextField()),
            Value("'(?=\\s|$)"),
            Value("':*"),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        query = SearchQuery(beginnings, search_type="raw", config="simple")
        return self.filter(Q(head_vector=query) | Q(slug=text))

    def with_quotations(self):
        """Prefetch the quotations with their people, in the order of the text: one query."""
        quotations = self.model._meta.get_field("quotations").related_model
        return self.prefetch_related(
            Prefetch(
                "quotations",
                queryset=quotations.objects.select_related("person").order_by("position", "id"),
            )
        )

    def with_import_time(self):
        """Annotate when each article's file was last imported (``imported_at``): when the
        revision that import wrote was saved; None for an article written in the admin."""
        revisions = self.model._meta.get_field("revisions").related_model
        imported = revisions.objects.filter(
            article=OuterRef("pk"), number=OuterRef("imported_version")
        ).values("created_at")[:1]
        return self.annotate(imported_at=Subquery(imported))

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


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vectors are for the database to search, never for Python to read.
        return super().get_queryset().defer("search_vector", "head_vector", "pair_vector")

    def public_count(self) -> int:
        """How many articles are public: the tally the database keeps (ArchiveTally), less
        the articles still scheduled (few, found by the latest-articles index), so that
        paging the archive never counts every article. On the manager: it counts the
        whole archive, whatever a queryset would filter."""
        scheduled = (
            Article.objects.filter(scheduled_filter())
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values("n")
        )
        public = ArchiveTally.objects.annotate(
            public=F("published") - Coalesce(Subquery(scheduled), 0)
        )
        return public.values_list("public", flat=True).first() or 0


class Article(models.Model):
    Status = Status

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.TextField(blank=True)
    body = models.TextField(help_text="Markdown.")
    source_name = models.CharField("source", max_length=120, blank=True)
    source_url = models.URLField("source URL", max_length=500, blank=True)
    byline = models.CharField(max_length=200, blank=True, help_text="Author or desk initials.")
    language = models.CharField(
        max_length=12, default="en", help_text="BCP 47 code: en, ps, fa-AF (Dari), ur…"
    )
    # A story told in several languages: each translation names its original (never
    # another translation), and the original lists them (``translations``).
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        db_index=False,
        help_text="The article this one translates, if any.",
    )
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
    # The text as searched (title A, standfirst B, body C), indexed as the article's language
    # says: kept by the database on every write (articles/db/sql/vectors.sql), never by
    # Python.
    search_vector = SearchVectorField(null=True, editable=False)
    # The headline and standfirst alone: a search ranks the newest articles naming its words
    # here as well as its newest matches anywhere (articles/search/queries.py).
    head_vector = SearchVectorField(null=True, editable=False)
    # The words of the search vector with each pair of adjacent words as one more (so
    # "humanitarian situation" is one lexeme): what a search with a phrase matches, from
    # its index. Kept out of the row (the search vector is what the row holds for the
    # searches that read it). The head vector holds its own pairs.
    pair_vector = SearchVectorField(null=True, editable=False)
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="The number of the latest revision; a save based on an older one is refused.",
    )
    imported_version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="The revision the last import of its file wrote; a later version means an "
        "editor changed it since, which a re-import must not silently undo.",
    )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish articles")]
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
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")), name="article_not_its_own_translation"
            ),
        ]
        indexes = [
            # Matches latest_first(), so the newest published articles come straight off
            # the index instead of a sort of the whole table.
            models.Index(
                F("published_at").desc(nulls_last=True),
                F("id").desc(),
                name="article_published_latest",
                condition=Q(status="published"),
            ),
            # Matches and their ranking, out of one index each: the whole text, and the
            # headline and standfirst, whose matches rank first (docs/search.md).
            RumIndex(
                fields=["search_vector"], name="article_search_rum", opclasses=["rum_tsvector_ops"]
            ),
            RumIndex(
                fields=["head_vector"], name="article_head_rum", opclasses=["rum_tsvector_ops"]
            ),
            RumIndex(
                fields=["pair_vector"], name="article_pair_rum", opclasses=["rum_tsvector_ops"]
            ),
            # How many times each article's text holds each word and pair of words (the
            # pair vector holds both), for the best matches of one word or a phrase of two
            # out of its short lists (articles/db/sql/repeats.sql).
            GinIndex(Repeats(F("pair_vector")), name="article_repeats"),
            # The admin's list, in Meta.ordering: every article, the undated drafts first.
            # Also its date hierarchy's first and last dates.
            models.Index(F("published_at").desc(), F("id").desc(), name="article_by_date"),
            # The admin's filters list the sources and languages off these.
            models.Index(fields=["source_name"], name="article_source"),
            models.Index(fields=["language"], name="article_language"),
            # An article's translations, from its original (few articles have one).
            models.Index(
                fields=["translation_of"],
                name="article_translations",
                condition=Q(translation_of__isnull=False),
            ),
            # The editors' desk: the drafts, oldest first.
            models.Index(
                fields=["created_at"], name="article_drafts_by_age", condition=Q(status="draft")
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("articles:article_detail", self.slug)

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
    def iso_date(self) -> str:
        """The day shown by ``display_date``, as YYYY-MM-DD for ``<time datetime>``, far
        cheaper than the ``date`` filter, which a page of cards pays twenty times."""
        return self.published_at.date().isoformat() if self.published_at else ""

    @property
    def inferred_summary(self) -> str:
        """The inferred fields in words: "title, source and date precision"."""
        names = [str(INFERRED_FIELD_NAMES.get(name, name)) for name in self.inferred_fields]
        return get_text_list(names, pgettext_lazy("list", "and"))

    @property
    def is_right_to_left(self) -> bool:
        return languages.is_right_to_left(self.language)

    @property
    def versions(self) -> list[VersionLink]:
        """From ``with_versions()``: the story's other published versions, by language."""
        return [VersionLink(**data) for data in getattr(self, "versions_data", [])]

    def entities_by_kind(self) -> dict[str, list[Entity]]:
        """Tagged entities grouped by kind, from the prefetched mentions (no query)."""
        grouped = defaultdict(list)
        for mention in self.mentions.all():
            grouped[mention.entity.kind].append(mention.entity)
        return {kinds.BY_VALUE[k].shown_plural: grouped[k] for k in kinds.VALUES if grouped[k]}

    @property
    def main_tags(self) -> list[EntityLink]:
        """From ``with_main_tags()``: enough of each main person, then place, to name and
        link them."""
        return [
            EntityLink(**data)
            for data in [
                *getattr(self, "main_people_data", []),
                *getattr(self, "main_places_data", []),
            ]
        ]


class Mention(models.Model):
    """An article mentions an entity, ``count`` times in its text."""

    class Origin(models.TextChoices):
        TEXT = "text", "found in the text"
        DECLARED = "declared", "declared by its file"
        EDITOR = "editor", "added by an editor"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    count = models.PositiveIntegerField(default=0)
    # An editor's tags outlive re-imports of the article's file, which recompute the others.
    origin = models.CharField(max_length=16, choices=Origin, default=Origin.EDITOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="mention_unique_pair"),
            models.CheckConstraint(
                condition=Q(origin__in=["text", "declared", "editor"]),
                name="mention_valid_origin",
            ),
        ]
        indexes = [
            models.Index(fields=["entity", "article"], name="mention_entity_article"),
            # The tags a file or an editor declared, which a search for a name adds to the
            # articles whose text names it (search/queries.py): a few among many.
            models.Index(
                fields=["entity", "article"],
                name="mention_declared",
                condition=~Q(origin="text"),
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.entity}"


class RemovedTag(models.Model):
    """An editor removed the tag of ``entity`` from ``article``: re-imports and re-tagging
    do not put it back, even though the text still names it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="removed_tags")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="removed_tags")
    removed_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="removed_tag_unique_pair"),
        ]

    def __str__(self):
        return f"{self.article} ↛ {self.entity}"

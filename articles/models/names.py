"""The gazetteer's growth: the names it does not know yet (the names-to-add queue), and the
changes to the names it knows, which re-tagging reads the archive again for.

Which capitalised names each article uses (NameOccurrence) is written wherever its text
is read: the importer, every save of an article and re-tagging. How many articles use
each name, in which sources and when, is kept by the database with triggers
(articles/db/sql/names.sql), so the queue is read, never counted, when editors look at it.

The names the gazetteer knows change by entities' names and aliases: triggers on both
tables note each name added, changed or removed (GazetteerChange, from
articles/db/sql/gazetteer_changes.sql), whatever made the change, until re-tagging has read
the articles that may spell it.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now

from articles.models.articles import Article


class NameCandidate(models.Model):
    """A capitalised name articles use that the gazetteer does not know."""

    key = models.TextField(
        unique=True,
        help_text="The name folded as the tagger folds names: spellings that differ only "
        "in case, diacritics or punctuation are one name.",
    )
    name = models.CharField(max_length=200, help_text="The spelling first read.")
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "name to add"
        verbose_name_plural = "names to add"
        indexes = [
            # The names a new gazetteer name makes known contain its words.
            GinIndex(fields=["key"], opclasses=["gin_trgm_ops"], name="name_candidate_key_trgm"),
        ]

    def __str__(self):
        return self.name


class NameOccurrence(models.Model):
    """``article`` uses the name ``candidate``, ``count`` times. Its source and date are
    kept as they were when its names were read, so that the tallies take away exactly what
    they added when the row goes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="new_names")
    candidate = models.ForeignKey(
        NameCandidate, on_delete=models.CASCADE, related_name="occurrences"
    )
    count = models.PositiveIntegerField()
    source_name = models.CharField(max_length=120, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "candidate"], name="name_occurrence_unique_pair"
            ),
        ]
        indexes = [
            # A name's first and last articles, found again when the tallies lose one.
            models.Index(fields=["candidate", "published_at"], name="name_occurrence_dates"),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.candidate_id}"


class NameTally(models.Model):
    """How many articles use a name and the dates of the first and last: kept by database
    triggers on every write to NameOccurrence, never written by Django (but deleted with
    its name)."""

    candidate = models.OneToOneField(
        NameCandidate, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    articles = models.IntegerField(default=0)
    first_seen = models.DateTimeField(null=True)
    last_seen = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            # The queue, most used first, read off the index.
            models.Index(
                F("articles").desc(),
                F("candidate").asc(),
                name="name_tally_most_used",
                condition=Q(articles__gt=0),
            ),
        ]

    def __str__(self):
        return f"{self.candidate_id}: {self.articles}"


class NameSource(models.Model):
    """How many articles of one source use a name: kept by database triggers, like
    NameTally."""

    candidate = models.ForeignKey(NameCandidate, on_delete=models.CASCADE, related_name="sources")
    source_name = models.CharField(max_length=120, blank=True)
    articles = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "source_name"], name="name_source_unique_pair"
            ),
        ]

    def __str__(self):
        return f"{self.candidate_id} in {self.source_name}: {self.articles}"


class GazetteerChange(models.Model):
    """A name (an entity's name or an alias) added to, changed in or removed from the
    gazetteer, waiting for re-tagging to read the articles that may spell it. Written by
    database triggers; ``entity_id`` is no foreign key, since the entity may be gone."""

    name = models.TextField()
    entity_id = models.IntegerField(null=True)
    noted_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name

"""Counts the database keeps with triggers, so that no page counts rows one by one."""

from django.db import models

from articles.models.entities import Entity


class EntityTally(models.Model):
    """How many articles with the published status tag each entity, scheduled ones included:
    kept by database triggers on every write to tags and to articles' status (migration
    0008), whatever makes it. Never written by Django, so a stale copy can never be saved
    over it; a deleted entity's tally is deleted by a trigger too."""

    entity = models.OneToOneField(
        Entity,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="tally",
    )
    published = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.entity_id}: {self.published}"


class ArchiveTally(models.Model):
    """How many articles have the published status, scheduled ones included: one row, kept
    by database triggers on every insert, delete and status change of articles (migration
    0014), whatever makes it. Never written by Django, like EntityTally."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    published = models.IntegerField(default=0)

    def __str__(self):
        return str(self.published)

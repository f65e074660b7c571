"""Saved states of an article (editorial/revisions.py records and restores them)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from articles.models.articles import Article


class Revision(models.Model):
    """A saved state of an article: who saved it, when, and which fields changed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    comment = models.CharField(max_length=200, blank=True)
    snapshot = models.JSONField(help_text="The article's fields and tags as saved.")
    changed_fields = ArrayField(models.CharField(max_length=40), default=list, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number"),
        ]

    def __str__(self):
        return f"{self.article} (revision {self.number})"

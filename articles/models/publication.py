"""The public gate: when an article is public. ``Article.objects.published()`` applies it;
queries through a relation (entity counts, tallies) use these Q objects, so that a draft or
a scheduled article cannot leak by a forgotten filter."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now


class Status(models.TextChoices):
    DRAFT = "draft", "draft"
    PUBLISHED = "published", "published"


def published_filter(prefix: str = "") -> Q:
    """The public gate as a Q object, for querying articles through a relation."""
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": Now()})


def scheduled_filter(prefix: str = "") -> Q:
    """Published but not yet public: what the tallies count and the gate keeps out."""
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__gt": Now()})

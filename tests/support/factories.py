"""Small factories for test data, and a snapshot of the rows the importer writes."""

import datetime
import itertools

from django.utils import timezone

from articles.models import Alias, Article, Entity, Mention

_numbers = itertools.count(1)


def make_entity(kind=Entity.Kind.PERSON, name=None, aliases=(), **fields):
    number = next(_numbers)
    name = name or f"Entity {number}"
    fields.setdefault("slug", f"{kind}-{number}")
    entity = Entity.objects.create(kind=kind, name=name, **fields)
    Alias.objects.bulk_create(Alias(entity=entity, name=alias) for alias in aliases)
    return entity


def make_article(*, tags=(), days_ago=1, tag_origin="text", **fields):
    """A published article (unless ``status`` says otherwise) tagged with ``tags``, as found
    in its text by default; ``tag_origin="editor"`` for tags its text need not name."""
    number = next(_numbers)
    fields.setdefault("title", f"Article {number}")
    fields.setdefault("slug", f"article-{number}")
    fields.setdefault("body", f"Body of article {number}.")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(days=days_ago))
    article = Article.objects.create(**fields)
    Mention.objects.bulk_create(
        Mention(article=article, entity=entity, count=1, origin=tag_origin) for entity in tags
    )
    return article


def database_snapshot():
    """Every row the importer may touch, for proving that a refused import wrote nothing."""
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in (
            Article,
            Entity,
            Alias,
            Mention,
            Entity.places.through,
            Entity.participants.through,
        )
    }

"""Merging entities that turn out to be the same person, place, event or organisation."""

from django.db import transaction
from django.db.models import F

from articles.models import Alias, Entity, EntityRedirect, Mention


class MergeRefused(Exception):
    pass


@transaction.atomic
def merge_entities(survivor: Entity, others: list[Entity]) -> None:
    """Moves the others' tags, aliases, names and event links to ``survivor``, leaves a
    redirect from each old address, and deletes the others."""
    others = [o for o in others if o.pk != survivor.pk]
    if any(o.kind != survivor.kind for o in others):
        raise MergeRefused("Only entities of the same kind can be merged.")
    for other in others:
        _move_mentions(other, survivor)
        Alias.objects.bulk_create(
            [
                Alias(entity=survivor, name=name)
                for name in other.aliases.values_list("name", flat=True)
            ]
            + ([Alias(entity=survivor, name=other.name)] if other.name != survivor.name else []),
            ignore_conflicts=True,
        )
        for relation in ("places", "participants"):
            getattr(survivor, relation).add(*getattr(other, relation).all())
        for event in other.events_here.all():
            event.places.add(survivor)
        for event in other.events_taken_part_in.all():
            event.participants.add(survivor)
        EntityRedirect.objects.filter(entity=other).update(entity=survivor)
        EntityRedirect.objects.update_or_create(
            kind=other.kind, slug=other.slug, defaults={"entity": survivor}
        )
        other.delete()


def _move_mentions(source: Entity, target: Entity) -> None:
    """Articles tagged with both keep one tag with the counts added up."""
    shared = Mention.objects.filter(entity=source, article__mentions__entity=target)
    for mention in shared:
        Mention.objects.filter(entity=target, article_id=mention.article_id).update(
            count=F("count") + mention.count
        )
    shared.delete()
    Mention.objects.filter(entity=source).update(entity=target)

"""Writing articles and entities: the one path every save of either takes, whoever makes
it (the admin's change forms, a restore, the shell, a data migration, a future API), so
that each refuses to overwrite a save its writer has not seen, and each article's save
leaves a revision.

The importer writes a thousand articles in one COPY rather than one save each: it takes
the same pieces (editorial/revisions.py: the revision's number, snapshot and row) in its
batched form (importing/writer.py). Its entities and theirs are compared with what the
last import wrote, which is how it tells an editor's change from its own.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import kinds
from articles.editorial.permissions import (
    may_add_alias,
    may_add_entity_from_name,
    may_dismiss_name,
    may_publish,
    may_restore,
)
from articles.editorial.quotations import refresh_found_quotations
from articles.editorial.revisions import (
    SNAPSHOT_FIELDS,
    ensure_unchanged_since,
    json_value,
    record_revision,
)
from articles.editorial.slugs import unique_slugs
from articles.models import (
    Alias,
    Article,
    Entity,
    Mention,
    NameCandidate,
    Quotation,
    RefusedEdit,
    RemovedTag,
    Revision,
)
from articles.text.folding import name_key

# Sent by save_article in its transaction, once the article and its related rows are
# written (``article``, ``author``): what the layers above keep of an article's text follows
# every save of it, whoever makes it (the names-to-add queue: importing/names_queue.py).
article_saved = Signal()


def lock_unchanged_article(article_id: int, opened_version: int | None) -> Article:
    """The stored article, locked until the transaction ends so that no other save slips
    in before the caller's; EditConflict if it was saved after ``opened_version`` (or if
    the caller does not say which version it opened). A form can check this when it
    validates, to say what changed meanwhile: ``save_article`` checks it again."""
    stored = Article.objects.select_for_update().get(pk=article_id)
    ensure_unchanged_since(stored, opened_version)
    return stored


@transaction.atomic
def save_article(
    article: Article,
    *,
    author,
    opened_version: int | None,
    comment: str,
    write_related: Callable[[Article], None] | None = None,
) -> Revision | None:
    """Saves ``article`` as ``author`` (None for a write by no one in particular) and
    records it as its next revision, all or nothing; returns that revision, or None if
    nothing changed since the last one.

    A stored article is refused with EditConflict if it was saved after
    ``opened_version``, the version its writer read (a new article has none to give).
    ``write_related(article)`` writes its related rows once it is saved (the admin's tags,
    quotations and accepted suggestions), so that the revision holds them; the entities
    whose tags they took away are noted as removed by an editor, which re-imports do not
    put back. Its quotations are then found again in its text (editorial/quotations.py).
    What ``author`` may change is for the caller to check, as for any model save."""
    tagged_before: set[int] = set()
    if article.pk is not None:
        stored = lock_unchanged_article(article.pk, opened_version)
        article.version = stored.version
        tagged_before = set(stored.mentions.values_list("entity_id", flat=True))
    article.save()
    if write_related is not None:
        write_related(article)
    note_removed_tags(article, tagged_before, author)
    refresh_found_quotations(article)
    article_saved.send(sender=Article, article=article, author=author)
    return record_revision(article, author, comment)


def note_removed_tags(article: Article, before: set[int], author=None) -> None:
    """Records the tags an editor removed (the entities of ``before`` the article is no
    longer tagged with), which re-imports then do not put back, and forgets the removals
    of tags it has again."""
    tagged = set(article.mentions.values_list("entity_id", flat=True))
    RemovedTag.objects.bulk_create(
        [
            RemovedTag(
                article=article,
                entity_id=entity_id,
                removed_by=author if author and author.is_authenticated else None,
            )
            for entity_id in before - tagged
        ],
        ignore_conflicts=True,
    )
    RemovedTag.objects.filter(article=article, entity_id__in=tagged).delete()


@transaction.atomic
def restore_revision(revision: Revision, author, opened_version: int | None) -> Revision | None:
    """Puts the article back as it was in ``revision`` (its text, tags and editors'
    quotations), as a new revision by ``author``.

    Refused with EditConflict if someone saved the article after ``opened_version`` (what
    ``author`` saw when choosing to restore), and with PermissionDenied if ``author`` may not
    change it as the change form would. The status is restored only by those who may
    publish: anyone else restores the text and tags, and the article keeps its status.
    A revision the database would now refuse (its slug taken by another article since) is
    refused with ValidationError."""
    article = Article.objects.select_for_update().get(pk=revision.article_id)
    if not may_restore(author, article):
        raise PermissionDenied
    ensure_unchanged_since(article, opened_version)
    state = revision.snapshot
    for name in SNAPSHOT_FIELDS:
        if name == "status" and not may_publish(author):
            continue
        value = state.get(name)
        if name == "published_at" and value:
            value = parse_datetime(value)
        setattr(article, name, value)
    article.validate_unique()
    article.validate_constraints()

    def put_back_tags(article: Article) -> None:
        """The revision's tags and editors' quotations, less those of entities deleted
        since (the found quotations are found again in the text put back)."""
        article.mentions.all().delete()
        article.quotations.all().delete()
        tags = state.get("tags", [])
        quotations = state.get("quotations", [])
        still_there = set(
            Entity.objects.filter(
                id__in=[t[0] for t in tags] + [q[0] for q in quotations]
            ).values_list("id", flat=True)
        )
        Mention.objects.bulk_create(
            Mention(article=article, entity_id=entity_id, count=count, origin=origin)
            for entity_id, count, origin in tags
            if entity_id in still_there
        )
        Quotation.objects.bulk_create(
            Quotation(article=article, person_id=person, passage=passage, position=position)
            for person, passage, position, origin in quotations
            if person in still_there and origin == Quotation.Origin.EDITOR
        )

    return save_article(
        article,
        author=author,
        opened_version=opened_version,
        comment=f"Restored revision {revision.number}",
        write_related=put_back_tags,
    )


class EntityConflict(Exception):
    """The entity changed after its editor opened it: ``opened_state``, what they saw
    (``entity_fingerprint``), is not what it is now, or they did not say what they saw."""

    def __init__(self, entity: Entity, opened_state: str | None):
        super().__init__(f"Entity {entity.pk} changed since it was opened.")
        self.entity = entity
        self.opened_state = opened_state


def entity_fingerprint(entity: Entity) -> str:
    """What an editor sees of ``entity`` on its page (its values, aliases, and an event's
    places and participants), hashed: an entity has no revisions to number its versions."""
    values = {
        field.name: json_value(getattr(entity, field.name))
        for field in Entity._meta.concrete_fields
        if field.editable and not field.primary_key
    }
    values["aliases"] = sorted(entity.aliases.values_list("name", flat=True))
    for relation in ("places", "participants"):
        values[relation] = sorted(getattr(entity, relation).values_list("pk", flat=True))
    encoded = json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def lock_unchanged_entity(entity_id: int, opened_state: str | None) -> Entity:
    """The stored entity, locked until the transaction ends so that no other save slips
    in before the caller's; EntityConflict unless it is still as ``opened_state`` says. A
    form can check this when it validates: ``save_entity`` checks it again."""
    stored = Entity.objects.select_for_update().get(pk=entity_id)
    if opened_state != entity_fingerprint(stored):
        raise EntityConflict(stored, opened_state)
    return stored


@transaction.atomic
def save_entity(
    entity: Entity,
    *,
    opened_state: str | None,
    write_related: Callable[[Entity], None] | None = None,
) -> None:
    """Saves ``entity`` and, through ``write_related(entity)``, its related rows (the
    admin's aliases, places and participants), all or nothing. A stored entity is refused
    with EntityConflict if it is no longer as ``opened_state`` (its fingerprint when its
    writer read it) says; a new one has none to give."""
    if entity.pk is not None:
        lock_unchanged_entity(entity.pk, opened_state)
    entity.save()
    if write_related is not None:
        write_related(entity)


def note_refused_edit(
    user,
    action: RefusedEdit.Action,
    *,
    article: Article | None = None,
    entity: Entity | None = None,
    opened_version: int | None = None,
) -> RefusedEdit:
    """Keeps, for the editors' desk, that ``user``'s save or restore of ``article`` (or
    ``entity``) was refused to keep someone else's changes."""
    return RefusedEdit.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        article=article,
        entity=entity,
        opened_version=opened_version,
        version=article.version if article is not None else None,
    )


# The names-to-add queue: a name becomes an entity or another entity's alias, or goes. The
# gazetteer's triggers note the new name; the caller re-tags once the change commits
# (importing/retagging.py: retag_after_commit).


@transaction.atomic
def add_entity_from_name(candidate: NameCandidate, kind: str, author) -> Entity:
    """A new entity of ``kind`` named as ``candidate`` is spelt, with a slug of its own.
    PermissionDenied unless ``author`` may create entities and re-tag; ValidationError for
    a kind the archive does not know."""
    if not may_add_entity_from_name(author):
        raise PermissionDenied
    if kind not in kinds.VALUES:
        raise ValidationError(f"Unknown kind {kind!r}.")
    [slug] = unique_slugs(Entity, [candidate.name], fallback=kind, scope={"kind": kind})
    entity = Entity(kind=kind, name=candidate.name, slug=slug)
    entity.full_clean()
    entity.save()
    return entity


@transaction.atomic
def add_alias(entity_id: int, name: str, author) -> Alias:
    """``name`` as another name of the entity ``entity_id``, which is locked meanwhile: an
    alias only adds, so it overwrites no one's change. PermissionDenied unless ``author``
    may change entities, add aliases and re-tag; ValidationError if the entity already has
    that name in any spelling."""
    if not may_add_alias(author):
        raise PermissionDenied
    entity = Entity.objects.select_for_update().get(pk=entity_id)
    names = [entity.name, *entity.aliases.values_list("name", flat=True)]
    if name_key(name) in {name_key(existing) for existing in names}:
        raise ValidationError(f"{entity.name} is already called {name}.")
    alias = Alias(entity=entity, name=name)
    alias.full_clean()
    alias.save()
    return alias


def dismiss_name(candidate: NameCandidate, author) -> None:
    """Takes ``candidate`` out of the names-to-add queue for good: however many articles
    use it later, it is not offered again. PermissionDenied unless ``author`` may."""
    if not may_dismiss_name(author):
        raise PermissionDenied
    NameCandidate.objects.filter(pk=candidate.pk).update(
        dismissed_at=timezone.now(), dismissed_by=author
    )

"""An article's quotations: those found in its text (articles/text/quotations.py), found
again at every save and import of it, and editors' corrections, which outlive that.

A quotation an editor added or corrected is theirs (origin "editor"): it stays whatever
the text says, and no found quotation of the same passage is added beside it. A found
quotation they deleted, or corrected into another, is noted (RemovedQuotation), and
finding the quotations again does not put it back.
"""

from collections.abc import Iterable

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from articles.models import Alias, Article, Entity, Mention, Quotation, RemovedQuotation
from articles.text.quotations import Speaker, find_quotations


def speakers(person_ids: Iterable[int] | None = None) -> dict[int, Speaker]:
    """The people (all, or those of ``person_ids``) with the names a text may call them
    by, in one query."""
    people = Entity.objects.of_kind(Entity.Kind.PERSON)
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    rows = people.annotate(
        other_names=ArraySubquery(Alias.objects.filter(entity=OuterRef("pk")).values("name"))
    ).values_list("pk", "name", "other_names")
    return {pk: Speaker(pk, (name, *aliases)) for pk, name, aliases in rows}


def is_english(article: Article) -> bool:
    """The finder reads English reporting: other languages quote and attribute otherwise."""
    return article.language.split("-")[0].lower() == "en"


def found_quotations(
    article: Article,
    people: Iterable[Speaker],
    editors: Iterable[Quotation] = (),
    removed: Iterable[str] = (),
) -> list[Quotation]:
    """The quotations found in ``article``'s body, attributed to ``people`` (its tagged
    people), less the passages of ``editors``' quotations and those ``removed``: unsaved."""
    if not is_english(article):
        return []
    left_out = {quotation.passage for quotation in editors} | set(removed)
    return [
        Quotation(
            article=article,
            person_id=found.speaker,
            passage=found.passage,
            position=found.paragraph,
            origin=Quotation.Origin.TEXT,
        )
        for found in find_quotations(article.body, list(people))
        if found.passage not in left_out
    ]


def refresh_found_quotations(article: Article) -> None:
    """Finds ``article``'s quotations again in its saved text and tags: the found ones are
    replaced, editors' kept."""
    Quotation.objects.filter(article=article, origin=Quotation.Origin.TEXT).delete()
    tagged = Mention.objects.filter(article=article, entity__kind=Entity.Kind.PERSON)
    people = speakers(tagged.values_list("entity_id", flat=True))
    if not people:
        return
    found = found_quotations(
        article,
        people.values(),
        Quotation.objects.filter(article=article, origin=Quotation.Origin.EDITOR),
        RemovedQuotation.objects.filter(article=article).values_list("passage", flat=True),
    )
    Quotation.objects.bulk_create(found)


def record_quotation_edits(
    article: Article,
    corrected: Iterable[tuple[str, Quotation]],
    deleted: Iterable[Quotation],
    author=None,
) -> None:
    """Notes what an editor did to ``article``'s quotations: each of ``corrected`` (the
    passage it had, and the quotation as saved) becomes theirs, and a found passage
    they corrected or ``deleted`` is not found again."""
    removed = [q.passage for q in deleted if q.origin == Quotation.Origin.TEXT]
    for before, quotation in corrected:
        if quotation.origin == Quotation.Origin.TEXT:
            if before and before != quotation.passage:
                removed.append(before)
            quotation.origin = Quotation.Origin.EDITOR
            quotation.save(update_fields=["origin"])
    by = author if author is not None and author.is_authenticated else None
    RemovedQuotation.objects.bulk_create(
        [RemovedQuotation(article=article, passage=p, removed_by=by) for p in removed],
        ignore_conflicts=True,
    )

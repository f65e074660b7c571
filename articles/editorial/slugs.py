"""Slugs for what the archive adds without one: articles imported without a slug (from
their titles, a batch at a time) and entities an editor creates from a suggested name
(unique per kind). One rule for both."""

from collections import Counter
from collections.abc import Iterable

from django.db import connection, models
from django.utils.text import slugify

# The slug fields hold 200 characters: room for "-<number>" after the base.
BASE_LENGTH = 180


def unique_slugs(
    model: type[models.Model],
    names: list[str],
    *,
    fallback: str,
    scope: dict[str, str] | None = None,
    reserved: Iterable[str] = (),
) -> list[str]:
    """A slug for each of ``names``, unique among ``model``'s rows (those with the field
    values of ``scope``), the ``reserved`` slugs and the slugs given to earlier names: the
    name's slug (``fallback`` for a name that has none), or when that is taken the next
    number after the highest one used with it ("talks-resume-3"). Two queries whatever
    the number of names and collisions."""
    rows = model._default_manager.filter(**(scope or {}))
    bases = [slugify(name)[:BASE_LENGTH] or fallback for name in names]
    taken = set(rows.filter(slug__in=set(bases)).values_list("slug", flat=True))
    taken.update(reserved)
    repeated = {base for base, n in Counter(bases).items() if n > 1}
    collided = (taken & set(bases)) | repeated
    next_number = dict.fromkeys(collided, 2)
    for base, highest in highest_slug_numbers(rows, sorted(collided)).items():
        next_number[base] = max(next_number[base], highest + 1)
    slugs = []
    for base in bases:
        slug = base
        if base in taken:
            while f"{base}-{next_number[base]}" in taken:
                next_number[base] += 1
            slug = f"{base}-{next_number[base]}"
            next_number[base] += 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def highest_slug_numbers(rows: models.QuerySet, bases: list[str]) -> dict[str, int]:
    """For each base, the highest N among the slugs "<base>-N" of ``rows`` (absent where
    there is none).

    One index-only range scan per base on the slug's pattern index: the ``~>=~``/``~<~``
    operators are that index's own, so the range can come from each base, which LIKE's
    constant-prefix rule does not allow; the ORM's OR of ``startswith`` conditions, one per
    base, made PostgreSQL test every condition on every numbered slug, which a
    thousand-file import whose titles recur hundreds of times in the archive felt.
    ``rows`` (a table, or an entity kind's part of it) is joined as a subquery, which
    PostgreSQL folds into the join."""
    if not bases:
        return {}
    slugs, params = rows.order_by().values("slug").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT base, max(substring(a.slug, length(base) + 2)::bigint)
            FROM unnest(%s::text[]) AS base
            JOIN ({slugs}) a ON a.slug ~>=~ (base || '-') AND a.slug ~<~ (base || '.')
            WHERE substring(a.slug, length(base) + 2) ~ '^[0-9]{{1,18}}$'
            GROUP BY base
            """,  # noqa: S608 (the subquery is the ORM's, its values parameters)
            [bases, *params],
        )
        return dict(cursor.fetchall())

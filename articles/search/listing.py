"""Every match of a search, newest first, a batch at a time: what the API's article list,
the exports and the search's Atom feed read.

The results page ranks a search's matches (results.py); a program that reads a list to its
end wants all of them, in an order that holds while articles are added. So a batch is the
newest matches before a position (the date and id of the previous batch's last article),
a keyset rather than an offset: following a list never skips or repeats an article when
new ones arrive, and the thousandth batch comes off the latest-articles index as fast as
the first. Matching is the search's own (queries.py): the same words, names in any
spelling and filters by entity, year, source, days and language.
"""

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, F, Func, IntegerField, QuerySet
from django.db.models.lookups import LessThan

from articles.db.compiled import Slot, compiled
from articles.models import Article
from articles.search import queries
from articles.search.criteria import Criteria
from articles.search.names import recognise
from articles.search.queries import Plan


@dataclass(frozen=True)
class Position:
    """Where a list stopped: its last article's date and id (latest_first's order)."""

    published_at: datetime.datetime
    pk: int


class Row(Func):
    """A row value, ``ROW(a, b)``: compared with another, PostgreSQL reads the position
    straight off an index on those columns."""

    function = "ROW"
    output_field = IntegerField()


def _before(shape_has_position: bool) -> LessThan | None:
    if not shape_has_position:
        return None
    position = Row(Slot("before_at", DateTimeField()), Slot("before_pk", IntegerField()))
    return LessThan(Row(F("published_at"), F("pk")), position)


def _newest(shape: queries.Shape, after: bool, limit: int) -> QuerySet:
    """The newest ``limit`` matches before a position: each part of the search's matches
    (queries.match_parts: the text, the residue of tags) gives its newest from its own
    index, and the newest of their union win."""
    parts = []
    for part in queries.match_parts(shape):
        if (before := _before(after)) is not None:
            part = part.filter(before)
        parts.append(part.latest_first().values("pk")[:limit])
    first, *rest = parts
    candidates = first.union(*rest) if rest else first
    return Article.objects.filter(pk__in=candidates).latest_first()[:limit]


@compiled
def _positions_query(shape: queries.Shape, after: bool, limit: int) -> QuerySet:
    return _newest(shape, after, limit).values("pk", "published_at")


@compiled
def _cards_query(shape: queries.Shape, after: bool, limit: int) -> QuerySet:
    """The newest matches as cards, from the ids of the same statement."""
    newest = _newest(shape, after, limit).values("pk")
    return Article.objects.published().filter(pk__in=newest).cards()


class Matches:
    """The published articles that match ``criteria``, read newest first. Recognising the
    names in the search costs one query, made once however many batches are read."""

    def __init__(self, criteria: Criteria):
        self.criteria = criteria
        recognition = recognise(criteria.text, criteria.entities)
        # None: a filter names no entity, so nothing matches.
        self.plan: Plan | None = queries.plan(criteria, recognition)

    def _values(self, after: Position | None) -> dict:
        values = dict(self.plan.values)
        if after is not None:
            values.update(before_at=after.published_at, before_pk=after.pk)
        return values

    def _shape(self, after: Position | None, limit: int) -> tuple:
        return self.plan.shape, after is not None, limit

    def positions(self, after: Position | None, limit: int) -> list[Position]:
        """The newest ``limit`` matches before ``after`` (from the newest when None): one
        query."""
        if self.plan is None:
            return []
        statement = _positions_query(*self._shape(after, limit))
        rows = statement.rows(**self._values(after))
        return [Position(row["published_at"], row["pk"]) for row in rows]

    def cards(self, after: Position | None, limit: int) -> list[Article]:
        """The same matches as lists show them (``cards()``): one query. Their main tags
        are JSON text, as raw rows hold them."""
        if self.plan is None:
            return []
        statement = _cards_query(*self._shape(after, limit))
        return statement.instances(Article, **self._values(after))

    def batches(self, rows: QuerySet, size: int):
        """Every match as ``rows`` (a queryset of articles) select them, newest first, a
        batch of at most ``size`` at a time: two queries a batch, whatever its depth."""
        after = None
        while positions := self.positions(after, size):
            yield list(rows.filter(pk__in=[p.pk for p in positions]).latest_first())
            if len(positions) < size:
                return
            after = positions[-1]

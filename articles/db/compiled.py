"""ORM queries compiled once per shape and run many times with new values.

Building and compiling a queryset of unions, subqueries and window functions costs
milliseconds of Python, on every request, while its SQL changes only with the query's shape
(how many filters, which ways of matching), never with the values searched for. A queryset
built with ``Slot`` expressions where the values go is compiled once, by the ORM as usual;
each run binds values to the slots of the compiled statement. The gate and every condition
still come from the querysets (``published()`` and friends), so nothing is written twice.
"""

import functools
import string
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from django.db.models import (
    Expression,
    F,
    IntegerField,
    Lookup,
    Model,
    QuerySet,
    TextField,
)

from articles.db.routing import reading_connection

# The shapes of a query kept compiled, per query: enough for every combination of filters
# the search form allows that a process meets in practice.
SHAPES_KEPT = 256


class Slot(Expression):
    """A value given when the compiled query runs: it compiles to one parameter, cast to
    ``db_type`` when given (``"bigint[]"`` takes a list of ids as one array)."""

    def __init__(self, name: str, output_field=None, db_type: str = ""):
        super().__init__(output_field=output_field or TextField())
        self.name = name
        self.db_type = db_type

    def as_sql(self, compiler, connection):
        return (f"%s::{self.db_type}" if self.db_type else "%s"), [self]


def ids_slot(name: str) -> Slot:
    return Slot(name, IntegerField(), db_type="bigint[]")


class IsAnyOf(Lookup):
    """``column = ANY(array)``: the ids of a results list (hundreds of them) as one array
    parameter rather than a parameter each."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def is_any_of(column: str, slot_name: str) -> IsAnyOf:
    return IsAnyOf(F(column), ids_slot(slot_name))


def ids_literal(ids: Iterable[int]) -> str:
    """Ids as a PostgreSQL array literal: one short string for psycopg to send, where
    adapting a list of hundreds of ints costs more than the rest of the statement (and
    small ones would go as a smallint[], which the bigint indexes do not serve)."""
    return "{" + ",".join(str(int(item)) for item in ids) + "}"


def _bound(value):
    if isinstance(value, list | tuple | set | frozenset):
        return ids_literal(value)
    return value


@dataclass(frozen=True)
class CompiledQuery:
    sql: str
    params: tuple

    @classmethod
    def of(cls, queryset: QuerySet) -> "CompiledQuery":
        sql, params = queryset.query.sql_with_params()
        return cls(sql, tuple(params))

    @classmethod
    def composed(cls, template: str, **parts: "CompiledQuery | QuerySet") -> "CompiledQuery":
        """A statement around other statements: ``template`` names each part in braces
        (``"WITH ranked AS ({ranked}) {page}"``) and may hold ``%s`` for slots given as
        parts too (``Slot`` values); parameters follow in the order the template uses them."""
        pieces = {
            name: part if isinstance(part, CompiledQuery | Slot) else cls.of(part)
            for name, part in parts.items()
        }
        sql, params = [], []
        for literal, name, _spec, _conversion in string.Formatter().parse(template):
            sql.append(literal)
            if name is None:
                continue
            piece = pieces[name]
            if isinstance(piece, Slot):
                sql.append(f"%s::{piece.db_type}" if piece.db_type else "%s")
                params.append(piece)
            else:
                sql.append(piece.sql)
                params.extend(piece.params)
        return cls("".join(sql), tuple(params))

    @classmethod
    def union_all(cls, parts: list["CompiledQuery | QuerySet"]) -> "CompiledQuery":
        """``(part) UNION ALL (part) ...``"""
        names = [f"part{index}" for index in range(len(parts))]
        template = " UNION ALL ".join(f"({{{name}}})" for name in names)
        return cls.composed(template, **dict(zip(names, parts, strict=True)))

    def bind(self, values: dict) -> list:
        names = {p.name for p in self.params if isinstance(p, Slot)}
        if missing := names - values.keys():
            raise TypeError(f"no value for slot(s) {', '.join(sorted(missing))}")
        # A slot may appear several times (the results' ids, once per count): each value
        # the statement uses is adapted once.
        bound = {name: _bound(values[name]) for name in names}
        return [bound[p.name] if isinstance(p, Slot) else p for p in self.params]

    def rows(self, **values) -> list[dict]:
        """The result rows as dicts, by column name."""
        with reading_connection().cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def instances(self, model: type[Model], **values) -> list[Model]:
        """The result rows as instances of ``model``: its fields from the columns named
        like them, every other column as an attribute. A lighter ``Model.objects.raw``,
        which costs more for the same rows."""
        connection = reading_connection()
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            names = [column.name for column in cursor.description]
            rows = cursor.fetchall()
        fields = {field.attname: field for field in model._meta.concrete_fields}
        loaded = [index for index, name in enumerate(names) if name in fields]
        extra = [(index, name) for index, name in enumerate(names) if name not in fields]
        field_names = [names[index] for index in loaded]
        # What each field makes of a value from the database (JSON, for one), as the ORM does.
        converters = [
            (position, convert, fields[name])
            for position, name in enumerate(field_names)
            for convert in fields[name].get_db_converters(connection)
        ]
        instances = []
        for row in rows:
            field_values = [row[index] for index in loaded]
            for position, convert, field in converters:
                field_values[position] = convert(field_values[position], field, connection)
            instance = model.from_db(connection.alias, field_names, field_values)
            for index, name in extra:
                setattr(instance, name, row[index])
            instances.append(instance)
        return instances

    def estimated_rows(self, **values) -> int:
        """How many rows PostgreSQL's planner expects the statement to return, from its
        statistics: EXPLAIN, which plans the statement without running it."""
        with reading_connection().cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {self.sql}", self.bind(values))
            (plan,) = cursor.fetchone()
        return round(plan[0]["Plan"]["Plan Rows"])

    def column(self, **values) -> list:
        """The first column of the result rows."""
        with reading_connection().cursor() as cursor:
            cursor.execute(self.sql, self.bind(values))
            return [row[0] for row in cursor.fetchall()]


def compiled(
    build: Callable[..., QuerySet | CompiledQuery],
) -> Callable[..., CompiledQuery]:
    """Decorates ``build(*shape)``, which returns a queryset with slots (or a statement
    composed of such querysets' SQL), so that it builds and compiles once per shape
    (hashable arguments)."""

    @functools.lru_cache(maxsize=SHAPES_KEPT)
    def compile_shape(*shape: Hashable) -> CompiledQuery:
        built = build(*shape)
        return built if isinstance(built, CompiledQuery) else CompiledQuery.of(built)

    @functools.wraps(build)
    def wrapper(*shape: Hashable) -> CompiledQuery:
        return compile_shape(*shape)

    wrapper.cache_clear = compile_shape.cache_clear
    return wrapper

"""New rows written with PostgreSQL's COPY: the importer's bulk path.

``bulk_create`` builds one INSERT statement with a parameter per value (twenty thousand for a
thousand articles), which Django compiles and psycopg splits and quotes before PostgreSQL
parses it again: for an import of long texts that is most of the time not spent indexing.
COPY streams the same rows as data. It fires the same triggers as INSERT (the archive
version, the entity tallies) and PostgreSQL computes the generated columns as for any insert.

Values are prepared by each field (``pre_save`` sets ``auto_now`` dates, ``get_db_prep_save``
gives what the database stores), as ``bulk_create`` does.
"""

import contextlib
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, models


def _fields(model: type[models.Model], *, with_pk: bool) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.generated and (with_pk or not field.primary_key)
    ]


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` new primary keys from the table's identity sequence."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_statement(model: type[models.Model], fields: list[models.Field]) -> str:
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    return f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"


def _row(obj: models.Model, fields: list[models.Field], *, adding: bool = True) -> list:
    obj._prepare_related_fields_for_save(operation_name="copy")
    return [field.get_db_prep_save(field.pre_save(obj, adding), connection) for field in fields]


def _mark_saved(objs: Iterable[models.Model]) -> None:
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


@contextlib.contextmanager
def copy_writer(
    model: type[models.Model], *, ids: Iterable[int]
) -> Iterator[Callable[[models.Model], None]]:
    """A function writing new instances of ``model`` one at a time, in one COPY. PostgreSQL
    takes each row as it arrives, so what the caller does between rows overlaps the work of
    the database (indexing the rows before). Each instance gets the next of ``ids`` (see
    ``reserve_ids``) as its primary key, so that rows written later can refer to it."""
    fields = _fields(model, with_pk=True)
    new_ids = iter(ids)
    written: list[models.Model] = []
    with connection.cursor() as cursor, cursor.copy(_copy_statement(model, fields)) as copy:

        def write(obj: models.Model) -> None:
            obj.pk = next(new_ids)
            copy.write_row(_row(obj, fields))
            written.append(obj)

        yield write
    _mark_saved(written)


class PreparedRows:
    """New instances of one model, turned into rows as they are added and written in one
    COPY by ``copy()``, numbered by the database. Turning an instance into a row (each
    field's ``pre_save`` and ``get_db_prep_save``) is most of the Python cost of writing
    it: adding rows while another COPY keeps PostgreSQL busy hides that cost."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = _fields(model, with_pk=False)
        self.objs: list[models.Model] = []
        self.rows: list[list] = []

    def add(self, obj: models.Model) -> None:
        self.rows.append(_row(obj, self.fields))
        self.objs.append(obj)

    def copy(self) -> None:
        if self.rows:
            statement = _copy_statement(self.model, self.fields)
            with connection.cursor() as cursor, cursor.copy(statement) as copy:
                for row in self.rows:
                    copy.write_row(row)
        _mark_saved(self.objs)


@contextlib.contextmanager
def copy_update(model: type[models.Model], objs: list[models.Model], names: list[str]):
    """Writes the fields ``names`` of saved instances of ``model``: their values are
    COPY'd into a temporary table, then one UPDATE joins it on the primary key. The
    UPDATE is sent in pipeline mode, and the caller's block runs while PostgreSQL carries
    it out (recomputing the search vectors, most of an import's time in the database);
    its errors are raised when the block ends.

    ``bulk_update`` builds a CASE of a thousand branches per field (16,000 expressions for
    a thousand articles), which Python takes longer to build and PostgreSQL to parse than
    the update itself takes."""
    if not objs:
        yield
        return
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table, changes = quote(model._meta.db_table), quote(f"{model._meta.db_table}_changes")
    columns = [quote(field.column) for field in [pk, *fields]]
    assignments = ", ".join(f"{column} = changes.{column}" for column in columns[1:])
    # Every name in these statements is the model's own, quoted; the values go by COPY.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {changes} AS SELECT {', '.join(columns)} "  # noqa: S608
            f"FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {changes} ({', '.join(columns)}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([obj.pk, *_row(obj, fields, adding=False)])
    psycopg_connection = connection.connection
    with psycopg_connection.pipeline(), psycopg_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {changes} AS changes "  # noqa: S608
            f"WHERE {table}.{columns[0]} = changes.{columns[0]}"
        )
        yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {changes}")

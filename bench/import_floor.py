"""The importer's floor (bench/run.py): the rows an import wrote to articles_article, COPY'd
again by PostgreSQL alone into a scratch copy of the table whose search vectors are written
by the table's own trigger, with the same indexes. No importer can beat it: it writes those
rows, and more (mentions, revisions, the tallies' triggers), after reading, checking and
tagging files.

The scratch table is made with ``CREATE TABLE ... (LIKE articles_article INCLUDING ALL)``,
given the trigger that computes the vectors (articles/db/sql/vectors.sql; a table without
it is an error), and an index it lacks (whatever its access method, GIN or RUM) is built
from the table's own definition. It starts empty each time, and is dropped afterwards.
"""

import re
import statistics
import time

from django.db import connection, transaction

TABLE = "articles_article"
SCRATCH = "bench_import_floor"
VECTOR_TRIGGER = "articles_article_vectors"
VECTOR_COLUMNS = ("search_vector", "head_vector", "pair_vector")
ROUNDS = 3

# CREATE [UNIQUE] INDEX name ON [ONLY] table USING ...: what follows the table's name.
_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (USING .*)$")


def _index_definitions(cursor, table: str) -> dict[str, str]:
    """The table's indexes by what they index (UNIQUE, method, columns or expressions,
    predicate), whatever their names and table's: -> their full definition."""
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass",
        [table],
    )
    found = {}
    for (definition,) in cursor.fetchall():
        unique, rest = _INDEX.match(definition).groups()
        found[f"{unique or ''}{rest}"] = definition
    return found


def vector_trigger_function(cursor, table: str) -> str | None:
    """The function of the table's trigger that writes its search vectors, if it has one."""
    cursor.execute(
        "SELECT tgfoid::regproc::text FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s",
        [table, VECTOR_TRIGGER],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _written_columns(cursor, table: str) -> list[str]:
    """The columns an insert gives values to: all but the vectors the trigger writes."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
        "AND NOT attisdropped AND attgenerated = '' AND NOT attname = ANY(%s) ORDER BY attnum",
        [table, list(VECTOR_COLUMNS)],
    )
    return [connection.ops.quote_name(name) for (name,) in cursor.fetchall()]


def create_scratch(cursor) -> list[str]:
    """Creates the scratch copy of articles_article; returns the definitions of the
    table's indexes that LIKE did not copy, built for the copy."""
    cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    cursor.execute(f"CREATE TABLE {SCRATCH} (LIKE {TABLE} INCLUDING ALL)")
    return complete_scratch(cursor)


def complete_scratch(cursor) -> list[str]:
    """Gives the scratch table the trigger that writes articles_article's search vectors,
    and builds on it each index of articles_article it lacks; refuses when articles_article
    has no such trigger (the floor would skip the vectors' cost)."""
    function = vector_trigger_function(cursor, TABLE)
    if function is None:
        raise RuntimeError(f"{TABLE} has no trigger {VECTOR_TRIGGER} writing its vectors")
    if vector_trigger_function(cursor, SCRATCH) is None:
        cursor.execute(
            f"CREATE TRIGGER {VECTOR_TRIGGER} BEFORE INSERT ON {SCRATCH} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    copied = _index_definitions(cursor, SCRATCH)
    built = []
    for what, definition in _index_definitions(cursor, TABLE).items():
        if what not in copied:
            unique, rest = _INDEX.match(definition).groups()
            cursor.execute(f"CREATE {unique or ''}INDEX ON {SCRATCH} {rest}")
            built.append(definition)
    return built


def copy_floor(source_file_prefix: str) -> tuple[float, int, list[str]]:
    """The median time of ROUNDS COPYs, each into the empty scratch table and committed,
    of the articles whose source file starts with ``source_file_prefix``; with the number
    of rows and the indexes built beside what LIKE copied."""
    with connection.cursor() as cursor:
        columns = ", ".join(_written_columns(cursor, TABLE))
        written = f"SELECT {columns} FROM {TABLE} WHERE starts_with(source_file, %s)"  # noqa: S608
        rows = bytearray()
        with cursor.copy(f"COPY ({written}) TO STDOUT", [source_file_prefix]) as copy:
            for data in copy:
                rows += data
        cursor.execute(
            f"SELECT count(*) FROM {TABLE} WHERE starts_with(source_file, %s)",  # noqa: S608
            [source_file_prefix],
        )
        (count,) = cursor.fetchone()
        built = create_scratch(cursor)
        try:
            times = []
            for _ in range(ROUNDS):
                cursor.execute(f"TRUNCATE {SCRATCH}")
                started = time.perf_counter()
                copying = cursor.copy(f"COPY {SCRATCH} ({columns}) FROM STDIN")
                with transaction.atomic(), copying as copy:
                    copy.write(rows)
                times.append(time.perf_counter() - started)
        finally:
            cursor.execute(f"DROP TABLE {SCRATCH}")
    return statistics.median(times), count, built

"""The importer's floor (bench/import_floor.py): a scratch copy of articles_article with the
same generated columns and every index, and the rows an import wrote COPY'd into it."""

import pytest
from django.db import connection

from bench import import_floor
from bench.import_floor import SCRATCH, TABLE, complete_scratch, copy_floor, create_scratch
from tests.support.factories import make_article


def indexes(cursor, table):
    return set(import_floor._index_definitions(cursor, table))


def methods(cursor, table):
    cursor.execute(
        "SELECT am.amname FROM pg_index JOIN pg_class c ON c.oid = indexrelid "
        "JOIN pg_am am ON am.oid = c.relam WHERE indrelid = %s::regclass",
        [table],
    )
    return sorted(row[0] for row in cursor.fetchall())


def test_the_scratch_table_has_the_vectors_trigger_and_every_index(db):
    with connection.cursor() as cursor:
        assert create_scratch(cursor) == []
        assert indexes(cursor, SCRATCH) == indexes(cursor, TABLE)
        assert methods(cursor, SCRATCH) == methods(cursor, TABLE)
        assert methods(cursor, SCRATCH).count("rum") == 3  # head, whole text, pairs
        function = import_floor.vector_trigger_function(cursor, SCRATCH)
        assert function == import_floor.vector_trigger_function(cursor, TABLE) is not None


def test_the_floor_writes_the_vectors_as_the_table_does(db):
    article = make_article(source_file="bench-import-1.md", title="Torkham reopens")
    with connection.cursor() as cursor:
        create_scratch(cursor)
        columns = ", ".join(import_floor._written_columns(cursor, TABLE))
        assert "search_vector" not in columns
        cursor.execute(
            f"INSERT INTO {SCRATCH} ({columns}) SELECT {columns} FROM {TABLE} WHERE id = %s",  # noqa: S608 (our own names)
            [article.pk],
        )
        cursor.execute(
            "SELECT s.search_vector = a.search_vector AND s.head_vector = a.head_vector "  # noqa: S608 (our own names)
            f"FROM {SCRATCH} s JOIN {TABLE} a USING (id)"
        )
        assert cursor.fetchone() == (True,)


def test_an_index_the_copy_lacks_is_built_from_the_tables_definition(db):
    with connection.cursor() as cursor:
        create_scratch(cursor)
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = %s::regclass AND pg_get_indexdef(indexrelid) ~ 'USING (gin|rum)'",
            [SCRATCH],
        )
        dropped = [row[0] for row in cursor.fetchall()]
        for name in dropped:
            cursor.execute(f"DROP INDEX {name}")
        built = complete_scratch(cursor)
        # The head's, the whole text's and the pairs' RUM; the GIN of the words' repeats.
        assert len(built) == len(dropped) == 4
        methods = sorted(definition.split(" USING ")[1].split()[0] for definition in built)
        assert methods == ["gin", "rum", "rum", "rum"]
        assert indexes(cursor, SCRATCH) == indexes(cursor, TABLE)


def test_a_table_without_the_vectors_trigger_is_refused(db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {SCRATCH} (LIKE {TABLE})")
        cursor.execute(f"DROP TRIGGER {import_floor.VECTOR_TRIGGER} ON {TABLE}")
        with pytest.raises(RuntimeError, match="no trigger"):
            complete_scratch(cursor)


def test_the_floor_copies_the_imported_rows_and_leaves_no_table(db):
    for number in range(3):
        make_article(source_file=f"bench-import-{number}.md", title=f"Imported {number}")
    make_article(source_file="other.md")
    seconds, rows, built = copy_floor("bench-import-")
    assert seconds > 0
    assert (rows, built) == (3, [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [SCRATCH])
        assert cursor.fetchone() == (None,)

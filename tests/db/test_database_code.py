"""The database's code lives in files: every function, trigger and text search configuration
the migrations leave is defined in articles/db/sql/, exactly as the database holds it, and
migration 0018, which reads the files, left each definition as it was but the one it meant
to change."""

import re
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from articles.db.sql_files import FOLDER, read
from tests.support.databases import database_url
from tests.support.processes import manage

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(path.name for path in FOLDER.glob("*.sql"))

# The project's own objects: functions and aggregates no extension brought, every trigger a
# statement created (not those behind foreign keys), every text search configuration.
CATALOG = """
SELECT 'FUNCTION', p.proname, pg_get_functiondef(p.oid)
FROM pg_proc p
WHERE p.pronamespace = 'public'::regnamespace AND p.prokind <> 'a'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'AGGREGATE', p.proname,
       a.aggtransfn::text || ' ' || format_type(a.aggtranstype, NULL) || ' '
       || coalesce(a.agginitval, '')
FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
WHERE p.pronamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT 'TRIGGER', t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
UNION ALL
SELECT 'TEXT SEARCH CONFIGURATION', c.cfgname,
       p.prsname || ': ' || string_agg(t.alias || ' ' || m.dictionaries, ', ' ORDER BY t.alias)
FROM pg_ts_config c
JOIN pg_ts_parser p ON p.oid = c.cfgparser
JOIN LATERAL (
    SELECT maptokentype, string_agg(mapdict::regdictionary::text, ' ' ORDER BY mapseqno)
    FROM pg_ts_config_map WHERE mapcfg = c.oid GROUP BY maptokentype
) AS m (tokentype, dictionaries) ON true
JOIN ts_token_type(c.cfgparser) t ON t.tokid = m.tokentype
WHERE c.cfgnamespace = 'public'::regnamespace
GROUP BY c.cfgname, p.prsname
"""
CREATED = re.compile(
    r"^\s*CREATE (?:OR REPLACE )?(?:CONSTRAINT )?"
    r"(FUNCTION|AGGREGATE|TRIGGER|TEXT SEARCH CONFIGURATION)"
    r" (\w+)",
    re.MULTILINE,
)
# A definition as PostgreSQL reads it: quoted literals, words and signs, without comments.
TOKEN = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\w+|\S")


def definitions(cursor) -> dict[tuple[str, str], str]:
    cursor.execute(CATALOG)
    return {(kind, name): definition for kind, name, definition in cursor.fetchall()}


def tokens(definition: str) -> list[str]:
    """What a definition says, whatever its layout: PL/pgSQL bodies are kept as written,
    so the same function written on other lines reads alike here."""
    return [token for token in TOKEN.findall(definition) if not token.startswith("--")]


def test_every_function_trigger_and_configuration_is_defined_in_a_file(db):
    in_files = {(kind, name) for file in FILES for kind, name in CREATED.findall(read(file))}
    with connection.cursor() as cursor:
        assert set(definitions(cursor)) == in_files


def test_the_files_hold_the_definitions_the_database_runs(db):
    """Running the files again changes no definition, to the byte: what the database runs
    is what they say."""
    with connection.cursor() as cursor:
        before = definitions(cursor)
        for file in FILES:
            cursor.execute(read(file))
        assert definitions(cursor) == before


@pytest.fixture
def scratch_database():
    """An empty database of its own on the test database's server, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_code_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate(database: str, target: str) -> None:
    result = manage(
        "migrate",
        "articles",
        target,
        "--noinput",
        "-v0",
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": database_url(database),
            "DJANGO_SETTINGS_MODULE": "newsarchive.settings.test",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def read_definitions(database: str) -> dict[tuple[str, str], list[str]]:
    with psycopg.connect(database_url(database)) as db, db.cursor() as cursor:
        return {key: tokens(definition) for key, definition in definitions(cursor).items()}


def search_names(database: str) -> list[str]:
    with psycopg.connect(database_url(database)) as db:
        return [
            name
            for (name,) in db.execute(
                "SELECT search_name FROM articles_entity"
                " UNION ALL SELECT search_name FROM articles_alias ORDER BY 1"
            )
        ]


def archive_state(database: str) -> str | None:
    """The archive's state token, or None if a transaction's write was left pending."""
    with psycopg.connect(database_url(database)) as db:
        (pending,) = db.execute("SELECT count(*) FROM articles_archive_pending").fetchone()
        (token,) = db.execute("SELECT token::text FROM articles_archive_state").fetchone()
        return None if pending else token


FOLD = ("FUNCTION", "newsarchive_fold")
# What later migrations changed in the files 0018 reads (a migration runs a file as it is
# today): the Arabic-script folding of search text (0023), the configuration of the
# languages indexed word for word (0024) and the passages of a headline match (0028).
CHANGED_SINCE = {
    ("FUNCTION", "newsarchive_headline"),
    ("FUNCTION", "newsarchive_search_text"),
    ("FUNCTION", "newsarchive_presentation_forms"),
    ("TEXT SEARCH CONFIGURATION", "newsarchive_simple"),
}


def without(definitions: dict, keys) -> dict:
    return {key: value for key, value in definitions.items() if key not in keys}


def test_migration_0018_changes_no_definition_but_the_name_folding(scratch_database):
    """On a database made by the migrations before it, holding an entity, 0018 re-creates
    every object from the files: each definition says what it said but the name folding's
    (and what later migrations changed in the same files), and the search names are folded
    again. Undone, it leaves all as it was."""
    migrate(scratch_database, "0017")
    with psycopg.connect(database_url(scratch_database)) as db:
        entity_id = db.execute(
            "INSERT INTO articles_entity (kind, name, slug, description, role, country,"
            " start_precision, end_precision, gazetteer_checksum, imported_values)"
            " VALUES ('organisation', 'Inter-Services Intelligence', 'isi', '', '', '',"
            " 'day', 'day', '', '{}') RETURNING id"
        ).fetchone()[0]
        db.execute(
            "INSERT INTO articles_alias (entity_id, name) VALUES (%s, 'آئی ایس آئی')",
            [entity_id],
        )
    written_by_history = read_definitions(scratch_database)
    assert search_names(scratch_database) == ["inter services intelligence", "آئی ایس آئی"]

    state = archive_state(scratch_database)

    migrate(scratch_database, "0018")
    migrated = read_definitions(scratch_database)
    assert migrated.pop(FOLD) != written_by_history[FOLD]
    assert without(migrated, CHANGED_SINCE) == without(written_by_history, {FOLD, *CHANGED_SINCE})
    assert search_names(scratch_database) == ["inter services intelligence", "ایی ایس ایی"]
    # Rewriting the names is a write like any other: the state is renewed as it commits.
    assert archive_state(scratch_database) not in (state, None)

    migrate(scratch_database, "0017")
    assert without(read_definitions(scratch_database), CHANGED_SINCE) == without(
        written_by_history, CHANGED_SINCE
    )
    assert search_names(scratch_database) == [
        # 0017's folding, over today's Arabic-script search folding (0023), which 0018
        # did not make and does not undo.
        "inter services intelligence",
        "ایی ایس ایی",
    ]
    assert archive_state(scratch_database) is not None


def insert_article(db, **text) -> int:
    """A published English article written in SQL, whatever columns the table has at this
    migration: each column that must have a value gets an empty one of its type, but for
    ``text``."""
    columns = db.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = 'articles_article' AND is_nullable = 'NO'"
        " AND column_default IS NULL AND is_generated = 'NEVER' AND is_identity = 'NO'"
    ).fetchall()
    empty = {
        "integer": 0,
        "bigint": 0,
        "smallint": 0,
        "boolean": False,
        "jsonb": "{}",
        "ARRAY": "{}",
        "date": "2025-11-01",
        "timestamp with time zone": "2025-11-01T00:00:00Z",
    }
    values = {name: empty.get(kind, "") for name, kind in columns}
    values.update(slug="aid", language="en", status="published", date_precision="day", **text)
    values["published_at"] = "2025-11-01T00:00:00Z"
    names = sql.SQL(", ").join(map(sql.Identifier, values))
    slots = sql.SQL(", ").join(sql.Placeholder() * len(values))
    statement = sql.SQL("INSERT INTO articles_article ({}) VALUES ({}) RETURNING id")
    return db.execute(statement.format(names, slots), list(values.values())).fetchone()[0]


def vector_texts(database: str, article_id: int) -> dict[str, str]:
    with psycopg.connect(database_url(database)) as db:
        row = db.execute(
            "SELECT to_jsonb(a) FROM (SELECT * FROM articles_article WHERE id = %s) AS a",
            [article_id],
        ).fetchone()[0]
        return {name: value for name, value in row.items() if name.endswith("_vector")}


def test_migration_0029_pairs_every_article_and_undoing_it_takes_the_pairs_away(
    scratch_database,
):
    """An article written before 0029 gains its pairs (in its head vector and its new pair
    vector) as the migration rewrites every article; undone, the pair vector is gone, the
    head vector is as it was, and so is every definition."""
    migrate(scratch_database, "0028")
    with psycopg.connect(database_url(scratch_database)) as db:
        article_id = insert_article(
            db, title="Aid warning", body="The humanitarian situation is dire."
        )
    before = vector_texts(scratch_database, article_id)
    definitions_before = read_definitions(scratch_database)
    assert set(before) == {"search_vector", "head_vector"}

    migrate(scratch_database, "0029")
    migrated = vector_texts(scratch_database, article_id)
    assert migrated["search_vector"] == before["search_vector"]
    assert "'aid warn'" in migrated["head_vector"]
    assert "'humanitarian situat'" in migrated["pair_vector"]
    with psycopg.connect(database_url(scratch_database)) as db:
        found = db.execute(
            "SELECT id FROM articles_article WHERE pair_vector @@"
            " newsarchive_phrase_pairs(newsarchive_query(%s, 'websearch'))",
            ['"humanitarian situation"'],
        ).fetchall()
    assert found == [(article_id,)]

    migrate(scratch_database, "0028")
    assert vector_texts(scratch_database, article_id) == before
    assert read_definitions(scratch_database) == definitions_before


def test_migration_0030_indexes_each_words_repeats_and_undoing_it_takes_them_away(
    scratch_database,
):
    """An article written before 0030 is found by a word it holds three times, as the
    repeats of its class, from the new index; undone, the index and every definition are
    as they were."""
    migrate(scratch_database, "0029")
    with psycopg.connect(database_url(scratch_database)) as db:
        article_id = insert_article(
            db, title="Aid", body="Officials said so. Others said not. Nobody said why."
        )
    definitions_before = read_definitions(scratch_database)

    migrate(scratch_database, "0030")
    with psycopg.connect(database_url(scratch_database)) as db:
        db.execute("SET enable_seqscan = off")
        repeated_three_times = (
            "SELECT id FROM articles_article WHERE newsarchive_repeats(pair_vector) @@"
            " newsarchive_repeats_query(newsarchive_query(%s, 'websearch'), %s)"
        )
        assert db.execute(repeated_three_times, ["said", 3]).fetchall() == [(article_id,)]
        assert db.execute(repeated_three_times, ["said", 2]).fetchall() == []
        plan = db.execute("EXPLAIN " + repeated_three_times, ["said", 3]).fetchall()
        assert "article_repeats" in str(plan)

    migrate(scratch_database, "0029")
    assert read_definitions(scratch_database) == definitions_before

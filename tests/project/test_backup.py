"""Backup and restore: scripts/backup dumps the whole archive (pg_dump, custom format) and
scripts/restore brings it back into an empty database — and over a changed one — with
every article, entity, alias, tag, revision and search column as it was."""

import datetime
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql

from articles.models import Article, Entity
from articles.reader.caching import _RecentState
from tests.conftest import SEEDS
from tests.support import processes
from tests.support.databases import database_url
from tests.support.factories import make_article, make_entity

ROOT = Path(__file__).resolve().parents[2]
# What must come back, row for row (generated columns included: they are restored as
# stored, and the last query checks that search still works on them).
TABLES = {
    "articles": "SELECT id, slug, title, standfirst, body, status, published_at, source_file,"
    " checksum, inferred_fields, version, search_vector::text FROM articles_article",
    "entities": "SELECT id, kind, slug, name, description, latitude, longitude, start_date,"
    " gazetteer_checksum, search_name FROM articles_entity",
    "aliases": "SELECT id, entity_id, name, search_name FROM articles_alias",
    "tags": "SELECT id, article_id, entity_id, count, origin FROM articles_mention",
    "event places": "SELECT from_entity_id, to_entity_id FROM articles_entity_places",
    "revisions": "SELECT article_id, number, snapshot::text FROM articles_revision",
    "editor groups": "SELECT g.name, p.codename FROM auth_group g"
    " JOIN auth_group_permissions gp ON gp.group_id = g.id"
    " JOIN auth_permission p ON p.id = gp.permission_id",
    "search": "SELECT id FROM articles_article"
    " WHERE search_vector @@ websearch_to_tsquery('newsarchive', 'Taliban border')",
    "folded names": "SELECT id FROM articles_entity"
    " WHERE search_name = newsarchive_fold('Faiz Hameed')",
}


def run(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    result = processes.run(
        [str(ROOT / "scripts" / script), *args],
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(database)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def rows(database: str) -> dict[str, list]:
    with psycopg.connect(database_url(database)) as db:
        return {
            name: sorted(map(repr, db.execute(query).fetchall())) for name, query in TABLES.items()
        }


@pytest.fixture
def scratch_database():
    """The name of a database that does not exist yet; dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    yield name
    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def archive(transactional_db):
    """The seeds, with more articles, tags, aliases and an edited revision, committed so
    that pg_dump (another connection) sees them."""
    call_command("import_articles", str(SEEDS), verbosity=0)
    kabul = Entity.objects.get(kind="place", slug="kabul")
    chaman = make_entity(Entity.Kind.PLACE, "Chaman Gate", aliases=["Friendship Gate"])
    clash = make_entity(
        Entity.Kind.EVENT,
        "Chaman clash",
        slug="chaman-clash",
        start_date=datetime.date(2025, 10, 12),
    )
    clash.places.set([chaman, kabul])
    for number in range(5):
        make_article(title=f"Chaman crossing story {number}", tags=[chaman, clash, kabul])
    make_article(title="Unpublished Taliban border draft", status="draft", published_at=None)
    return Article.objects.count()


def test_a_backup_restores_into_an_empty_database_with_everything_in_it(
    archive, scratch_database, tmp_path
):
    test_database = connection.settings_dict["NAME"]
    dump = tmp_path / "archive.dump"
    backup = run("backup", str(dump), database=test_database)
    assert dump.stat().st_size > 0 and not dump.with_suffix(".dump.partial").exists()
    assert f"Backed up {archive} articles" in backup.stdout

    restore = run("restore", str(dump), database=scratch_database)
    assert f"Restored {archive} articles" in restore.stdout
    original, restored = rows(test_database), rows(scratch_database)
    for name in TABLES:
        assert restored[name] == original[name], name
    assert len(original["articles"]) == archive and original["search"] and original["folded names"]
    print(
        "\n" + backup.stdout.strip() + "\n" + restore.stdout.strip() + "\n"
        + ", ".join(f"{len(v)} {k}" for k, v in restored.items())
    )  # fmt: skip

    # Restoring again replaces whatever the database holds by then.
    with psycopg.connect(database_url(scratch_database), autocommit=True) as db:
        db.execute("UPDATE articles_article SET title = 'Vandalised'")
        db.execute("DELETE FROM articles_alias")
    run("restore", str(dump), database=scratch_database)
    assert rows(scratch_database) == original

    with psycopg.connect(database_url(scratch_database)) as db:
        next_id = db.execute("SELECT nextval('articles_article_id_seq')").fetchone()[0]
    assert next_id > max(row[0] for row in Article.objects.values_list("pk"))


def test_a_missing_or_unreadable_dump_is_refused(scratch_database, tmp_path):
    for dump in [tmp_path / "missing.dump", tmp_path / "junk.dump"]:
        if dump.name == "junk.dump":
            dump.write_bytes(b"not a dump")
        result = subprocess.run(  # noqa: S603
            [str(ROOT / "scripts" / "restore"), str(dump)],
            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url(scratch_database)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0
        assert str(dump) in result.stderr
    with psycopg.connect(database_url("postgres")) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [scratch_database]
        ).fetchone()
    assert exists is None, "a refused restore must not even create the database"


# A restore brings back an older state of the archive, while running processes keep the
# pages they cached: none of those may be served for the restored archive.


@pytest.fixture
def withdrawn(transactional_db):
    """A draft, committed, beside an article published after it (so that publishing the
    draft leaves the newest public article, which keys cached pages too, as it was)."""
    make_article(title="Latest story", days_ago=1)
    return make_article(title="Withdrawn story", status="draft", days_ago=3)


def test_no_page_cached_before_a_restore_is_served_after_it(withdrawn, client, tmp_path):
    test_database = connection.settings_dict["NAME"]
    dump = tmp_path / "with-the-draft.dump"
    run("backup", str(dump), database=test_database)
    Article.objects.filter(pk=withdrawn.pk).update(status="published")
    assert client.get(withdrawn.get_absolute_url()).status_code == 200  # now cached

    run("restore", str(dump), database=test_database)
    assert client.get(withdrawn.get_absolute_url()).status_code == 404
    # The case: the restored archive's next, unrelated, save.
    Article.objects.exclude(pk=withdrawn.pk).update(title="Latest story, corrected")
    assert client.get(withdrawn.get_absolute_url()).status_code == 404


def test_a_page_rendered_while_the_archive_changed_is_not_kept_for_the_older_state(
    withdrawn, client, settings, tmp_path
):
    """A process reuses the state it read for a while (ARCHIVE_STATE_SECONDS), and a
    change may commit while a page renders: a page rendered from a newer archive than its
    key's must not be cached under that key, or restoring that older archive serves it."""
    settings.ARCHIVE_STATE_SECONDS = 60
    _RecentState.forget()
    test_database = connection.settings_dict["NAME"]
    dump = tmp_path / "with-the-draft.dump"
    run("backup", str(dump), database=test_database)
    client.get("/")  # the process reads the state: the backup's
    Article.objects.filter(pk=withdrawn.pk).update(status="published")
    assert client.get(withdrawn.get_absolute_url()).status_code == 200

    run("restore", str(dump), database=test_database)
    _RecentState.forget()
    assert client.get(withdrawn.get_absolute_url()).status_code == 404


# The restore drill: back up, change, restore, and the database holds exactly what it
# held when it was backed up, table by table (scripts/table-checksums: each table's rows
# and their checksum, each sequence's position), and the site serves nothing it cached
# from the changed archive.


def checksums(database: str) -> dict[str, str]:
    lines = run("table-checksums", database=database).stdout.splitlines()
    return {line.split(" ")[0]: line for line in lines}


def test_the_restore_drill(archive, client, tmp_path):
    test_database = connection.settings_dict["NAME"]
    dump = tmp_path / "drill.dump"
    started = time.perf_counter()
    backed_up = checksums(test_database)
    run("backup", str(dump), database=test_database)
    backup_seconds = time.perf_counter() - started

    draft = Article.objects.get(status="draft")
    story = Article.objects.filter(title__startswith="Chaman crossing").first()
    Article.objects.filter(pk=story.pk).update(title="Changed after the backup")
    Article.objects.filter(pk=draft.pk).update(status="published", published_at=timezone.now())
    make_article(title="Written after the backup")
    gate = Entity.objects.get(name="Chaman Gate")
    Entity.objects.filter(pk=gate.pk).update(description="Changed after the backup")
    Entity.objects.get(slug="kabul").aliases.all().delete()
    call_command("retag_articles", "--all", verbosity=0)
    changed = checksums(test_database)
    assert {name for name in changed if changed[name] != backed_up[name]} >= {
        "articles_article", "articles_alias", "articles_entity", "articles_revision",
        "articles_article_id_seq",
    }  # fmt: skip
    for address in [
        "/",
        story.get_absolute_url(),
        draft.get_absolute_url(),
        gate.get_absolute_url(),
    ]:
        assert client.get(address).status_code == 200  # cached, from the changed archive

    started = time.perf_counter()
    run("restore", str(dump), database=test_database)
    restore_seconds = time.perf_counter() - started
    assert checksums(test_database) == backed_up
    assert "Written after the backup" not in client.get("/").text
    assert "Changed after the backup" not in client.get(story.get_absolute_url()).text
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Changed after the backup" not in client.get(gate.get_absolute_url()).text
    print(
        f"\nRestore drill: {len(backed_up)} tables and sequences alike; backup "
        f"{backup_seconds:.1f} s, restore {restore_seconds:.1f} s"
    )

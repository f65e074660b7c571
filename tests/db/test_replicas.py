"""Reads on replicas against a real primary and a real streaming replica.

A throwaway PostgreSQL cluster in a temporary folder holds a copy of the test database
(pg_dump of its schema and rows) and is the primary; pg_basebackup -R makes a hot-standby
replica of it, streaming from it: a few seconds, once per session. The scenarios
(tests/db/replica_scenarios.py) run in a process of their own, as an app server does:
DATABASE_URL names that primary and DATABASE_REPLICA_URLS that replica, since this
process's default database is pytest's test database, of which no replica can be made.
"""

import contextlib
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.support.databases import database_url
from tests.support.processes import run

PG_BIN = Path("/usr/lib/postgresql/15/bin")
pytestmark = [
    pytest.mark.skipif(
        not (PG_BIN / "pg_basebackup").exists(), reason="PostgreSQL 15's programs are needed"
    ),
    # The test database must exist: it is what the primary is copied from.
    pytest.mark.django_db,
]


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def checked(command: list[str], **options) -> None:
    done = subprocess.run(  # noqa: S603 (PostgreSQL's programs, fixed arguments)
        command, capture_output=True, text=True, timeout=120, check=False, **options
    )
    assert done.returncode == 0, done.stderr


def start(data: Path, port: int) -> None:
    options = f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1"
    log = str(data.parent / f"{data.name}.log")
    pg_ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", log, "-o", options]
    checked(as_postgres([*pg_ctl, "-w", "start"]))


def stop(data: Path) -> None:
    with contextlib.suppress(AssertionError, subprocess.SubprocessError):
        checked(as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]))


@pytest.fixture(scope="session")
def replication(django_db_setup):
    """URLs of a primary holding the test database's copy and of its streaming replica."""
    folder = Path(tempfile.mkdtemp(prefix="newsarchive-replication-"))
    folder.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    primary, replica = folder / "primary", folder / "replica"
    primary_port, replica_port = free_port(), free_port()
    try:
        initdb = [str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust"]
        checked(as_postgres([*initdb, "-E", "UTF8", "--locale=C.UTF-8"]))
        start(primary, primary_port)
        server = f"postgres://postgres@127.0.0.1:{primary_port}"
        checked([str(PG_BIN / "psql"), f"{server}/postgres", "-Xqc", "CREATE DATABASE archive"])
        # The test database (the settings hold its name once it is made).
        source = database_url(settings.DATABASES["default"]["NAME"])
        dump = [str(PG_BIN / "pg_dump"), "--no-owner", source]
        restore = [str(PG_BIN / "psql"), f"{server}/archive", "-Xq", "-v", "ON_ERROR_STOP=1"]
        checked(["bash", "-o", "pipefail", "-c", f"{shlex.join(dump)} | {shlex.join(restore)}"])
        backup = [str(PG_BIN / "pg_basebackup"), "-d", server, "-D", str(replica), "-R"]
        checked(as_postgres([*backup, "-X", "stream", "-c", "fast"]))
        start(replica, replica_port)
        yield {
            "DATABASE_URL": f"{server}/archive",
            "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{replica_port}/archive",
        }
    finally:
        stop(replica)
        stop(primary)
        shutil.rmtree(folder, ignore_errors=True)


def scenario(name: str, databases: dict, **overrides) -> dict:
    environment = {
        **os.environ,
        **databases,
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings.test",
        # Each request probes the replica afresh: the scenarios change it between requests.
        "REPLICA_CHECK_SECONDS": "0",
        **{name: str(value) for name, value in overrides.items()},
    }
    done = run([sys.executable, "-m", "tests.db.replica_scenarios", name], env=environment)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_public_reads_go_to_the_replica(replication):
    seen = scenario("public_reads", replication)["anonymous"]
    assert seen["status"] == 200 and "Read on the replica" in seen["text"]
    assert seen["replica"] > 0 and seen["primary"] == 0


def test_an_editor_reads_their_own_write_from_the_primary_until_the_replica_replays_it(
    replication,
):
    seen = scenario("editor_reads_own_write", replication, REPLICA_MAX_LAG_SECONDS=600)
    assert seen["posted"] == 302  # the admin's write, on the primary
    # Replay paused: the editor's reads go to the primary, which has the article ...
    assert seen["editor"]["status"] == 200 and "Written just now" in seen["editor"]["text"]
    assert seen["editor"]["primary"] > 0 and seen["editor"]["replica"] == 0
    # ... while a reader without their session is served by the (lagging) replica.
    assert seen["anonymous"]["status"] == 404 and seen["anonymous"]["replica"] > 0
    # Once the replica has replayed past the write, the editor reads from it again.
    after = seen["editor_after_replay"]
    assert after["status"] == 200 and after["replica"] > 0 and after["primary"] == 0


def test_a_replica_lagging_beyond_the_bound_is_skipped(replication):
    seen = scenario("lagging_replica_skipped", replication, REPLICA_MAX_LAG_SECONDS=1)
    anonymous = seen["anonymous"]
    assert anonymous["status"] == 200 and "Beyond a lagging replica" in anonymous["text"]
    assert anonymous["primary"] > 0 and anonymous["replica"] == 0


def test_a_page_from_a_lagging_replica_is_never_cached_as_the_newest_version(replication):
    """The replica's page is keyed by the replica's archive state, not the primary's: once
    the replica catches up, readers get the newest page, not the one it rendered behind."""
    seen = scenario("lagging_page_not_stored_as_newest", replication, REPLICA_MAX_LAG_SECONDS=600)
    behind = seen["anonymous_while_lagging"]
    assert behind["replica"] > 0 and "The story before" in behind["text"]
    assert "The newest story" not in behind["text"]
    assert "The newest story" in seen["editor_while_lagging"]["text"]
    assert "The newest story" in seen["anonymous_after_replay"]["text"]


def test_a_read_that_fails_on_the_replica_is_answered_again_from_the_primary(replication):
    anonymous = scenario("replica_fails_mid_request", replication)["anonymous"]
    assert anonymous["status"] == 200 and "Answered again" in anonymous["text"]
    assert anonymous["primary"] > 0


def test_a_replica_that_is_down_is_skipped_at_once_without_an_error(replication):
    closed_port = free_port()
    nowhere = f"postgres://postgres@127.0.0.1:{closed_port}/archive"
    seen = scenario("replica_down", {**replication, "DATABASE_REPLICA_URLS": nowhere})
    anonymous = seen["anonymous"]
    assert anonymous["status"] == 200 and "Served without the replica" in anonymous["text"]
    assert anonymous["primary"] > 0
    assert seen["healthz"]["code"] == 200
    assert seen["healthz"]["checks"]["replica0"] == "down"
    assert seen["healthz"]["checks"]["primary"] == "ok"


def test_with_the_primary_lost_an_editors_write_is_refused_and_readers_read_the_replica(
    replication,
):
    lost = {**replication, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/archive"}
    seen = scenario("primary_down", lost)
    assert seen["posted"] == 503  # the 503 page, not a 500, though their session is unreadable
    assert seen["home"]["status"] == 200 and seen["home"]["replica"] > 0

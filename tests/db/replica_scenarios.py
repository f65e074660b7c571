"""Scenarios of reads on replicas, run by tests/db/test_replicas.py in a process of their
own, whose default database is a real primary and whose DATABASE_REPLICA_URLS names a real
streaming replica of it (or, for ``replica_down``, a port where nothing listens). Each
prints what it saw as JSON for the test to judge.

    python -m tests.db.replica_scenarios NAME
"""

import contextlib
import json
import sys
import time

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.db import replicas  # noqa: E402
from newsarchive.middleware import WROTE_AT_KEY  # noqa: E402
from tests.support.admin_forms import new_article_form, user_in  # noqa: E402
from tests.support.factories import make_article  # noqa: E402

REPLICA = "replica0"


def archive_reads(captured) -> int:
    return sum("articles_" in query["sql"] for query in captured.captured_queries)


def get(client: Client, path: str, *, replica_up: bool = True, primary_up: bool = True) -> dict:
    """The answer to ``path`` and how many of the archive's reads each database served
    (counted on the databases said to be up: counting opens a connection)."""
    counted = {
        alias: CaptureQueriesContext(connections[alias])
        for alias, up in (("default", primary_up), (REPLICA, replica_up))
        if up
    }
    with contextlib.ExitStack() as stack:
        for capture in counted.values():
            stack.enter_context(capture)
        response = client.get(path)
    return {
        "status": response.status_code,
        "primary": archive_reads(counted["default"]) if primary_up else 0,
        "replica": archive_reads(counted[REPLICA]) if replica_up else 0,
        "text": response.content.decode(),
    }


def replay(paused: bool) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(f"SELECT {'pg_wal_replay_pause' if paused else 'pg_wal_replay_resume'}()")


def wait_until_replayed() -> None:
    target = replicas.wal_position()
    deadline = time.monotonic() + 20
    while replicas.probe(REPLICA).replayed < target:
        if time.monotonic() > deadline:
            raise RuntimeError("the replica did not replay the primary's writes in 20 s")
        time.sleep(0.05)


def logged_in_editor() -> Client:
    client = Client()
    client.force_login(user_in("Editors", f"editor-{time.monotonic_ns()}"))
    return client


def public_reads() -> dict:
    article = make_article(title="Read on the replica", slug="read-on-the-replica")
    wait_until_replayed()
    return {"anonymous": get(Client(), article.get_absolute_url())}


def editor_reads_own_write() -> dict:
    editor = logged_in_editor()
    wait_until_replayed()
    replay(paused=True)
    form = new_article_form(title="Written just now", slug="written-just-now")
    posted = editor.post("/admin/articles/article/add/", form)
    seen = {
        "posted": posted.status_code,
        "editor": get(editor, "/articles/written-just-now/"),
        "anonymous": get(Client(), "/articles/written-just-now/"),
    }
    replay(paused=False)
    wait_until_replayed()
    time.sleep(0.1)  # the probe's next reading
    seen["editor_after_replay"] = get(editor, "/articles/written-just-now/")
    return seen


def lagging_replica_skipped() -> dict:
    wait_until_replayed()
    replay(paused=True)
    article = make_article(title="Beyond a lagging replica", slug="beyond-a-lagging-replica")
    time.sleep(1.5)  # REPLICA_MAX_LAG_SECONDS is 1
    seen = {"anonymous": get(Client(), article.get_absolute_url())}
    replay(paused=False)
    return seen


def lagging_page_not_stored_as_newest() -> dict:
    make_article(title="The story before", slug="the-story-before")
    wait_until_replayed()
    replay(paused=True)
    make_article(title="The newest story", slug="the-newest-story")  # on the primary only, for now
    editor = logged_in_editor()
    session = editor.session
    session[WROTE_AT_KEY] = replicas.wal_position()
    session.save()
    seen = {
        "anonymous_while_lagging": get(Client(), "/"),
        "editor_while_lagging": get(editor, "/"),
    }
    replay(paused=False)
    wait_until_replayed()
    time.sleep(0.1)
    seen["anonymous_after_replay"] = get(Client(), "/")
    return seen


def replica_fails_mid_request() -> dict:
    """The replica's connection is cut after the replica was chosen, before the page's
    queries run on it (as when the replica stops under a request)."""
    article = make_article(title="Answered again", slug="answered-again")
    wait_until_replayed()
    choose = replicas.choose

    def choose_then_lose_the_replica(replayed_past=None):
        alias = choose(replayed_past)
        if alias == REPLICA:
            # Ended from another connection, as a replica's shutdown ends it.
            pid = connections[alias].connection.info.backend_pid
            replica = settings.DATABASES[alias]
            with psycopg.connect(
                host=replica["HOST"], port=replica["PORT"], dbname=replica["NAME"], user="postgres"
            ) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return alias

    replicas.choose = choose_then_lose_the_replica
    return {"anonymous": get(Client(), article.get_absolute_url(), replica_up=False)}


def replica_down() -> dict:
    article = make_article(title="Served without the replica", slug="served-without-the-replica")
    seen = {"anonymous": get(Client(), article.get_absolute_url(), replica_up=False)}
    health = Client().get("/healthz")
    seen["healthz"] = {"code": health.status_code, **health.json()}
    return seen


def primary_down() -> dict:
    """DATABASE_URL names a port where nothing listens; the replica is up."""
    editor = Client()
    editor.cookies["sessionid"] = "a-session-on-the-lost-primary"
    posted = editor.post("/admin/articles/article/add/", new_article_form())
    return {"posted": posted.status_code, "home": get(editor, "/", primary_up=False)}


SCENARIOS = {
    function.__name__: function
    for function in (
        public_reads,
        editor_reads_own_write,
        lagging_replica_skipped,
        lagging_page_not_stored_as_newest,
        replica_fails_mid_request,
        replica_down,
        primary_down,
    )
}

if __name__ == "__main__":
    print(json.dumps(SCENARIOS[sys.argv[1]]()))

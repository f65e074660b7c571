"""Which database a read goes to: the primary ("default") unless the request being served
is a public read that newsarchive.middleware.ReplicaReadsMiddleware sent to a replica.

The choice is made once per request and held in a context variable, so that every read
of that request — the ORM's, through ``ReplicaRouter``, and the compiled statements' and
the page cache's, through ``reading_connection()`` — sees one database, one snapshot of
the archive: a page and the state that keys it in the cache (articles/reader/caching.py)
come from the same place. Writes always go to the primary, and so does every read inside
a transaction on it (only it sees the transaction's own writes), whatever the request.
"""

import contextlib
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

# The archive's own tables (app label "articles") are what public pages read. Sessions,
# users, login attempts and the admin's log are read where they are written: a session
# created a moment ago on the primary may not have reached a replica yet.
PUBLIC_APP = "articles"

_public_reads: ContextVar[str] = ContextVar("public_reads", default=DEFAULT_DB_ALIAS)


def read_alias() -> str:
    """The database this request's public reads go to."""
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return _public_reads.get()


def reading_connection():
    """The connection raw SQL that reads the archive runs on (what the ORM's reads of the
    archive use too)."""
    return connections[read_alias()]


@contextlib.contextmanager
def public_reads_from(alias: str):
    """Sends the archive's reads to ``alias`` within the block."""
    token = _public_reads.set(alias)
    try:
        yield
    finally:
        _public_reads.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS: reads of the archive where the request's public reads go, every
    other read and every write to the primary; migrations on the primary only (replicas
    copy it)."""

    def db_for_read(self, model, **hints):
        return read_alias() if model._meta.app_label == PUBLIC_APP else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Replicas hold the primary's rows: an article read from one and an entity read
        # from the other are rows of one database.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS

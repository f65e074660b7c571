"""Public pages cached, and answered with 304 when the reader already has them.

The archive's state keys every page: a token that every transaction writing what public
pages show replaces as it commits (migration 0017), so readers see a new token together
with the data, however long the writer took; with it, the newest article already public,
so that a scheduled article that goes live changes the key too. Reading both is one query,
made at most once every ARCHIVE_STATE_SECONDS by each process; a cached page costs nothing
else. A page is stored only if the state, read again once the page is rendered, is still
the one its key names, so every stored page shows exactly the archive its key's token
stands for, and restoring a backup (which brings its token back) can only meet pages of
that archive. Drafts never reach these pages, so nothing private is cached.
"""

import functools
import hashlib
import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import quote_etag

from .models import Article

CACHED_HEADERS = ("Content-Type", "Content-Language", "Cache-Control")
CACHE_SECONDS = 60 * 60


@functools.cache
def _archive_state_statement() -> tuple[str, tuple]:
    """Compiled once: the gate's SQL compares with the database's now(), not a constant."""
    # latest_first() is the order the latest-articles index holds: one index probe.
    newest = Article.objects.published().latest_first().values("published_at")[:1]
    newest_sql, params = newest.query.sql_with_params()
    # Only a transaction that has written sees its pending row; _if_assigned() gives a
    # reader none, where pg_current_xact_id() would give every reader a transaction id.
    own_writes = (
        "SELECT format('%%s/%%s', xact, writes) FROM articles_archive_pending"
        " WHERE xact = pg_current_xact_id_if_assigned()"
    )
    current = "SELECT token FROM articles_archive_state"
    return f"SELECT ({current}), ({own_writes}), ({newest_sql})", params


def archive_state() -> str:
    """What every public page depends on, read in one statement: the token of the last
    committed write, the newest public article, and the writes of the current transaction
    if it has written (only it sees them, until it commits)."""
    with connection.cursor() as cursor:
        cursor.execute(*_archive_state_statement())
        token, own_writes, newest_published = cursor.fetchone()
    return f"{token}:{newest_published}:{own_writes or ''}"


class _RecentState:
    """The archive's state as this process last read it, reused for
    ARCHIVE_STATE_SECONDS: at hundreds of cache hits a second, reading it for each one
    is most of a hit's cost, while a page that lags a change by a second harms no one."""

    read_at = -math.inf
    state = ""

    @classmethod
    def get(cls) -> str:
        if time.monotonic() - cls.read_at >= settings.ARCHIVE_STATE_SECONDS:
            cls.read_again()
        return cls.state

    @classmethod
    def read_again(cls) -> str:
        cls.state, cls.read_at = archive_state(), time.monotonic()
        return cls.state


def public_page(view):
    """Caches a public GET view's successful responses and answers conditional requests."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Pages hold absolute links (canonical, permalink), so the host is part of the key.
        page = request.build_absolute_uri()
        state = _RecentState.get()
        key = hashlib.sha256(f"{state}:{page}".encode()).hexdigest()
        etag = quote_etag(key[:32])
        if etag in request.headers.get("If-None-Match", ""):
            return with_validators(HttpResponseNotModified(), etag)
        cached = cache.get(f"page:{key}")
        if cached is not None:
            headers, content = cached
            return with_validators(HttpResponse(content, headers=headers), etag)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200 or response.streaming:
            return response
        # Stored only if no write committed while the page was rendered.
        if _RecentState.read_again() != state:
            return response
        headers = {h: response[h] for h in CACHED_HEADERS if h in response}
        cache.set(f"page:{key}", (headers, response.content), CACHE_SECONDS)
        return with_validators(response, etag)

    return wrapped


def with_validators(response, etag: str):
    response["ETag"] = etag
    # Unless the view says otherwise, shared caches and browsers may keep the page but
    # must ask again before reusing it, which costs one cheap conditional request.
    response.setdefault("Cache-Control", "public, no-cache")
    return response

"""Public pages cached, and answered with 304 when the reader already has them.

A page is keyed by the archive's version (a sequence that database triggers bump whenever
anything a public page shows is written, see migration 0005) and by the newest article
already public, so a scheduled article that goes live changes the key too. Reading both
is one query, made at most once every ARCHIVE_STATE_SECONDS by each process; a cached page
costs nothing else. Drafts never reach these pages, so nothing private is cached.

A writer bumps the version when it writes, before it commits: a reader in between may
cache the old page under the new version. The last write of a transaction comes just
before its commit, so that window is milliseconds, and entries expire within the hour.
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
    return f"SELECT last_value, ({newest_sql}) FROM articles_archive_version", params  # noqa: S608 (ORM-compiled)


def archive_state() -> str:
    """What every public page depends on: the archive's version and newest public article,
    read in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(*_archive_state_statement())
        version, newest_published = cursor.fetchone()
    return f"{version}:{newest_published}"


class _RecentState:
    """The archive's state as this process last read it, reused for
    ARCHIVE_STATE_SECONDS: at hundreds of cache hits a second, reading it for each one
    is most of a hit's cost, while a page that lags a change by a second harms no one."""

    read_at = -math.inf
    state = ""

    @classmethod
    def get(cls) -> str:
        now = time.monotonic()
        if now - cls.read_at >= settings.ARCHIVE_STATE_SECONDS:
            cls.state, cls.read_at = archive_state(), now
        return cls.state


def public_page(view):
    """Caches a public GET view's successful responses and answers conditional requests."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        # Pages hold absolute links (canonical, permalink), so the host is part of the key.
        page = request.build_absolute_uri()
        key = hashlib.sha256(f"{_RecentState.get()}:{page}".encode()).hexdigest()
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

"""Public pages cached, and answered with 304 when the reader already has them.

A page is keyed by the archive's state, by its address (scheme, host, path and the query
parameters it reads) and by the language it is written in: the address's prefix chooses
it (newsarchive/urls.py), and the key names it too, so no page is served in another
language than its address says, whatever chose it. Nothing else a request carries can
change what another reader is served: a view sees only the query parameters its page
declares, in canonical form, and the script prefix is fixed by the settings
(FORCE_SCRIPT_NAME), not taken from the request.

The archive's state is a token that every transaction writing what public pages show
replaces as it commits (articles/db/state.py), so readers see a new token together with
the data, however long the writer took; with it, the newest article already public, so
that a scheduled article that goes live changes the key too. Reading both is one query, made at
most once every ARCHIVE_STATE_SECONDS by each process; a cached page costs nothing else.
A page is stored only if the state, read again once the page is rendered, is still the one
its key names, so every stored page shows exactly the archive its key's token stands for,
and restoring a backup (which brings its token back) can only meet pages of that archive.
Drafts never reach these pages, so nothing private is cached.
"""

import functools
import hashlib
import math
import time
import zlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotModified, QueryDict
from django.middleware.csp import get_nonce
from django.utils import translation
from django.utils.http import quote_etag

from articles.db.routing import read_alias, reading_connection
from articles.db.state import WRITE_STATE_COLUMNS, state_value
from articles.metrics import PAGE_CACHE
from articles.models import Article

CACHE_SECONDS = 60 * 60
# Pages this large (a sitemap page lists 5,000 addresses in about 700 KB) are kept
# compressed, in a tenth of that: MAX_ENTRIES pages of any size fit a worker's memory.
# Smaller ones are kept as they are, served by a hit without work.
COMPRESS_FROM_BYTES = 64 * 1024
READ_METHODS = ("GET", "HEAD", "OPTIONS")
# Says whether the page cache had the page (hit) or rendered it (miss): what a load test,
# or an operator with curl, measures the cache by.
CACHE_HEADER = "X-Cache"


@functools.cache
def _archive_state_statement() -> tuple[str, tuple]:
    """Compiled once: the gate's SQL compares with the database's now(), not a constant."""
    # latest_first() is the order the latest-articles index holds: one index probe.
    newest = Article.objects.published().latest_first().values("published_at")[:1]
    newest_sql, params = newest.query.sql_with_params()
    return f"SELECT {WRITE_STATE_COLUMNS}, ({newest_sql})", params


def archive_state() -> str:
    """What every public page depends on, read in one statement: the archive's write state
    (articles/db/state.py) and the newest public article, where the request's reads go."""
    with reading_connection().cursor() as cursor:
        cursor.execute(*_archive_state_statement())
        token, own_writes, newest_published = cursor.fetchone()
    return f"{state_value(token, own_writes)}:{newest_published}"


class _RecentState:
    """The archive's state as this process last read it from each database, reused for
    ARCHIVE_STATE_SECONDS: at hundreds of cache hits a second, reading it for each one
    is most of a hit's cost, while a page that lags a change by a second harms no one.

    Kept per database: a replica's state and the primary's differ while the replica
    catches up, and a page is keyed by the state of the database it is rendered from, so
    that a page rendered from a lagging replica is stored under that replica's (older)
    state, never as the newest version of the archive."""

    read: dict[str, tuple[float, str]] = {}

    @classmethod
    def get(cls) -> str:
        read_at, state = cls.read.get(read_alias(), (-math.inf, ""))
        if time.monotonic() - read_at >= settings.ARCHIVE_STATE_SECONDS:
            state = cls.read_again()
        return state

    @classmethod
    def read_again(cls) -> str:
        alias, state = read_alias(), archive_state()
        cls.read[alias] = (time.monotonic(), state)
        return state

    @classmethod
    def forget(cls) -> None:
        cls.read.clear()


def public_page(view, *, query=(), page_number: str | None = None):
    """Caches a public view's successful responses and answers conditional requests.

    ``query`` names the query parameters the view reads and ``page_number`` the one that
    is a page number; the view sees no others. A page number is read as Django's paginator
    reads it (``01`` is page 1); a page asked for by a number that is not one, or by one
    the view answered with another page (past the last), is served but not stored.

    GET and HEAD are answered (HEAD without the body), OPTIONS with what is allowed, any
    other method with 405 (after the CSRF check, which refuses a POST without a token).
    """
    names = sorted({*query, *([page_number] if page_number else [])})

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return HttpResponse(headers={"Allow": ", ".join(READ_METHODS), "Content-Length": "0"})
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(READ_METHODS)
        request.GET, asked_page = canonical_query(request.GET, names, page_number)
        if asked_page is False:
            # Not a page number: the view answers (a 404, or the first or last page).
            PAGE_CACHE.labels("uncached").inc()
            return answer(request, rendered(view(request, *args, **kwargs)))
        state = _RecentState.get()
        address = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
        language = translation.get_language()
        key = hashlib.sha256(f"{state}\n{language}\n{address}".encode()).hexdigest()
        etag = quote_etag(key[:32])
        if etag in request.headers.get("If-None-Match", ""):
            PAGE_CACHE.labels("not_modified").inc()
            return answer(request, HttpResponseNotModified(), etag)
        if (cached := cache.get(f"page:{key}")) is not None:
            headers, content, compressed = cached
            content = zlib.decompress(content) if compressed else content
            response = HttpResponse(content, headers=headers)
            response[CACHE_HEADER] = "hit"
            PAGE_CACHE.labels("hit").inc()
            return answer(request, response, etag)
        response = rendered(view(request, *args, **kwargs))
        response[CACHE_HEADER] = "miss"
        if not storable(request, response, asked_page):
            PAGE_CACHE.labels("uncached").inc()
            return answer(request, response)
        if response.streaming:
            PAGE_CACHE.labels("uncached").inc()
            # Made as it is sent (an export), too large to keep; its ETag still spares a
            # reader who asks again for the same archive the whole download.
            return answer(request, response, etag)
        # Stored only if no write committed while the page was rendered.
        if _RecentState.read_again() == state:
            content, compressed = response.content, len(response.content) >= COMPRESS_FROM_BYTES
            content = zlib.compress(content) if compressed else content
            cache.set(f"page:{key}", (dict(response.items()), content, compressed), CACHE_SECONDS)
            PAGE_CACHE.labels("miss").inc()
            return answer(request, response, etag)
        PAGE_CACHE.labels("uncached").inc()
        return answer(request, response)

    return wrapped


def rendered(response):
    if hasattr(response, "render"):
        response.render()
    return response


def canonical_query(given: QueryDict, names: list[str], page_number: str | None):
    """The parameters of ``given`` named in ``names``, each with every value it was given
    but the page number, which has its last (the one views read) written as a plain
    number; and that page number: None when none is asked for, False when it is not one."""
    canonical = QueryDict(mutable=True)
    asked = None
    for name in names:
        values = given.getlist(name)
        if name == page_number and values:
            asked = _page_number(values[-1])
            values = [asked or values[-1]]
        if values:
            canonical.setlist(name, values)
    return QueryDict(canonical.urlencode()), asked


def _page_number(value: str) -> str | bool:
    """``value`` as the paginator reads a page number (int()), or False if it is none."""
    try:
        number = int(value)
    except ValueError:
        return False
    return str(number) if number >= 1 else False


def storable(request, response, asked_page: str | None) -> bool:
    """Whether ``response`` is the same for every reader of its address (a streamed one
    is never stored, but may be answered with 304 all the same)."""
    cache_control = response.get("Cache-Control", "").lower()
    context = getattr(response, "context_data", None) or {}
    served_page = context.get("page_obj")
    return (
        response.status_code == 200
        and not response.cookies
        # Varies with the request's headers, which the key does not hold.
        and not response.has_header("Vary")
        and "private" not in cache_control
        and "no-store" not in cache_control
        # A nonce is for one response: a page holding one cannot be served again.
        and not get_nonce(request)
        and (asked_page is None or served_page is None or str(served_page.number) == asked_page)
    )


def answer(request, response, etag: str | None = None):
    """``response`` as every public page sends it."""
    if etag:
        response["ETag"] = etag
    if response.status_code in (200, 304):
        # Unless the view says otherwise, shared caches and browsers may keep the page but
        # must ask again before reusing it, which costs one cheap conditional request.
        response.setdefault("Cache-Control", "public, no-cache")
    if request.method == "HEAD" and not response.streaming:
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response

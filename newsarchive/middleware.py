"""Answers given before a view runs: a 503 page when the database is unreachable, a 400
when a request holds a NUL byte, a 403 when a form's CSRF token is missing; in JSON for
the API's addresses, as its own errors are. And where a request's reads go: a replica or
the primary (ReplicaReadsMiddleware)."""

import functools
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.csrf import csrf_failure as csrf_failure_page

from articles.db import replicas
from articles.db.routing import public_reads_from

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
# Where newsarchive/urls.py serves the JSON API.
API_PREFIX = "/api/"


def error_response(request, status: int, template: str, detail: str, context=None):
    """An error as a page, or as the API's JSON errors are for its addresses."""
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": detail, "problems": []}, status=status)
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response = HttpResponse(render_to_string(template, context), status=status)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        detail = "The archive is unavailable for a moment: try again shortly."
        response = error_response(request, 503, "503.html", detail)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def nul_byte_in(request) -> str | None:
    """Where ``request`` holds a NUL byte (its address, a parameter's name or value, a
    cookie or a header), or None. No text the archive stores, looks up or records can hold
    one: PostgreSQL refuses it, so a view given one fails. (Uploaded files' names need no
    check: Django drops their unprintable characters.)"""
    if "\x00" in request.path:
        return gettext("The address")
    for parameters in (request.GET, request.POST):
        for name, values in parameters.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return gettext("The parameter “%(name)s”") % {"name": shown(name)}
    for where, pairs in (
        (gettext_lazy("The cookie “%(name)s”"), request.COOKIES),
        (gettext_lazy("The header “%(name)s”"), request.headers),
    ):
        for name, value in pairs.items():
            if "\x00" in name or "\x00" in value:
                return str(where) % {"name": shown(name)}
    return None


def shown(name: str) -> str:
    return name[:60].replace("\x00", "\\0")


class RefuseNulBytesMiddleware:
    """One rule for every page, public or admin, GET or POST: a NUL byte is refused with a
    400 that says where it was, rather than stripped (a silent change of what was sent) or
    left to fail as a 500 wherever it reaches the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = nul_byte_in(request)
        if where is None:
            return self.get_response(request)
        detail = f"{where} holds a NUL byte, which nothing in the archive can."
        return error_response(request, 400, "400.html", detail, {"problem": where})


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. The API only reads, so a request to it that could change
    something is refused as its operations refuse one (405), token or not."""
    if request.path_info.startswith(API_PREFIX):
        response = error_response(request, 405, "", "The API is read-only: GET, HEAD or OPTIONS.")
        response["Allow"] = "GET, HEAD, OPTIONS"
        return response
    return csrf_failure_page(request, reason)


class PathLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, where the address alone chooses the language: the
    public pages are under i18n_patterns without a prefix for English (newsarchive/urls.py),
    so LocaleMiddleware activates the prefix's language, or English where there is none,
    whatever the browser asks for. It would still send ``Vary: Accept-Language`` with
    every unprefixed answer, which tells shared caches to keep a copy of an English page
    for each browser's languages: the header is left off, as nothing here varies by it."""

    def process_response(self, request, response):
        vary = response.get("Vary")
        response = super().process_response(request, response)
        if vary is None:
            del response["Vary"]
        else:
            response["Vary"] = vary
        return response


# Where a session keeps the primary's WAL position after its user's last write.
WROTE_AT_KEY = "wrote_at_wal"
READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ReplicaReadsMiddleware:
    """Public reads on a replica (articles/db/replicas.py chooses one), everything else on
    the primary: writes, the admin, and an editor's reads until a replica has replayed
    their last write. A public read that fails on a replica (stopped while the request ran)
    is answered again from the primary, so the reader sees no error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas.replica_aliases():
            return self.get_response(request)
        alias = self.public_reads_alias(request)
        with public_reads_from(alias):
            response = self.get_response(request)
        if alias != DEFAULT_DB_ALIAS and getattr(request, "replica_failed", False):
            replicas.mark_down(alias)
            with public_reads_from(DEFAULT_DB_ALIAS):
                response = self.get_response(request)
        if request.method not in READ_METHODS:
            note_write(request)
        return response

    def public_reads_alias(self, request) -> str:
        if request.method not in READ_METHODS or request.path.startswith(admin_prefix()):
            return DEFAULT_DB_ALIAS
        wrote_at = None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            try:
                wrote_at = request.session.get(WROTE_AT_KEY)
            except DatabaseError:
                # Sessions live on the primary, which is unreachable: the replicas are the
                # newest archive there is.
                logger.warning("Session unreadable, reads from a replica: %s", request.path)
        return replicas.choose(replayed_past=wrote_at)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            request.replica_failed = True


def note_write(request) -> None:
    """Whatever a logged-in user's request wrote has committed (there are no
    ATOMIC_REQUESTS): it is before the primary's WAL position now, which a replica must
    have replayed to serve this user. With the primary unreachable (their session and user
    cannot even be read), nothing was written."""
    try:
        if request.user.is_authenticated:
            request.session[WROTE_AT_KEY] = replicas.wal_position()
    except DatabaseError as error:
        logger.warning("No WAL position noted after %s %s: %s", request.method, request.path, error)


@functools.cache
def admin_prefix() -> str:
    return reverse("admin:index")

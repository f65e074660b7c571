"""Answers given before a view runs: a 503 page when the database is unreachable, a 400
when a request holds a NUL byte, a 403 when a form's CSRF token is missing; in JSON for
the API's addresses, as its own errors are."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.views.csrf import csrf_failure as csrf_failure_page

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
        return "The address"
    for parameters in (request.GET, request.POST):
        for name, values in parameters.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return f"The parameter “{shown(name)}”"
    for kind, pairs in (("cookie", request.COOKIES), ("header", request.headers)):
        for name, value in pairs.items():
            if "\x00" in name or "\x00" in value:
                return f"The {kind} “{shown(name)}”"
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

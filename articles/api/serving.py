"""What every API address does around its operation: CORS open for reading (a notebook
or another site may call the API), HEAD answered as GET without the body, OPTIONS
answered (a CORS preflight included), any other method refused in JSON; and the schema and
its documentation page."""

import functools
import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import get_script_prefix

from articles.api.endpoints import api

READ_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": ", ".join(READ_METHODS),
    # A client revalidating what it has (If-None-Match) asks first, in a browser.
    "Access-Control-Allow-Headers": "Accept, If-None-Match",
    "Access-Control-Max-Age": "86400",
}


def served(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(headers={**PREFLIGHT_HEADERS, "Allow": ", ".join(READ_METHODS)})
        elif request.method not in READ_METHODS:
            response = JsonResponse(
                {"detail": "The API is read-only: GET, HEAD or OPTIONS.", "problems": []},
                status=405,
            )
            response["Allow"] = ", ".join(READ_METHODS)
        else:
            head, request.method = request.method == "HEAD", "GET"
            response = view(request, *args, **kwargs)
            if head:
                response = without_body(response)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    # ninja exempts its views from the CSRF check; the site exempts none. A write asked
    # without a token is refused all the same (newsarchive.middleware.csrf_failure).
    wrapped.csrf_exempt = False
    return wrapped


def without_body(response):
    if not response.streaming:
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response


@functools.cache
def _schema_text(script_prefix: str) -> bytes:
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False).encode()


def openapi_schema(request):
    """The OpenAPI 3.1 schema of every operation, as ninja writes it from their types."""
    return HttpResponse(_schema_text(get_script_prefix()), content_type="application/json")


def documentation(request):
    """The schema as a page to read and try (Swagger UI, served by the project: the
    site's Content Security Policy allows no other origin)."""
    return render(request, "api/docs.html")

"""The first middleware: gives each request its id, times it and its SQL, counts it for
/metrics, logs it (and says so when it was slow), and serves /metrics itself."""

import logging
import time
from contextlib import ExitStack

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST

from newsarchive.observability import metrics
from newsarchive.observability.logs import begin_request, end_request, request_id

logger = logging.getLogger("newsarchive.requests")

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
METRICS_PATH = "/metrics"


class SqlTimer:
    """Counts and times the statements the request runs, on the primary and the replicas."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - started


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        request_started.connect(begin_request, dispatch_uid="request_id_begin")
        request_finished.connect(end_request, dispatch_uid="request_id_end")

    def __call__(self, request):
        rid = request_id.get() or begin_request(environ=request.META)
        started = time.perf_counter()
        sql = SqlTimer()
        if request.path_info == METRICS_PATH:
            response = self.metrics(request)
        else:
            with ExitStack() as wrapped:
                for alias in connections:
                    wrapped.enter_context(connections[alias].execute_wrapper(sql))
                response = self.get_response(request)
        response["X-Request-ID"] = rid
        self.record(request, response, time.perf_counter() - started, sql)
        return response

    def record(self, request, response, seconds: float, sql: SqlTimer) -> None:
        match = request.resolver_match
        view = match.view_name if match else "unresolved"
        if request.path_info == METRICS_PATH:
            view = "metrics"
        method = request.method if request.method in METHODS else "other"
        metrics.observe_request(
            view, method, response.status_code, seconds, sql.queries, sql.seconds
        )
        slow = seconds * 1000 >= settings.SLOW_REQUEST_MS
        if not slow and not logger.isEnabledFor(logging.INFO):
            return
        details = {
            "method": request.method,
            "path": request.path[:500],
            "status": response.status_code,
            "view": view,
            "duration_ms": round(seconds * 1000, 1),
            "sql_queries": sql.queries,
            "sql_ms": round(sql.seconds * 1000, 1),
        }
        if slow:
            logger.warning(
                "Slow request: %s %s took %.0f ms (view %s, %d SQL queries in %.0f ms)",
                details["method"], details["path"], details["duration_ms"], view,
                sql.queries, details["sql_ms"], extra=details,
            )  # fmt: skip
        else:
            logger.info(
                "%s %s %d %.0f ms", details["method"], details["path"], response.status_code,
                details["duration_ms"], extra=details,
            )  # fmt: skip

    def metrics(self, request) -> HttpResponse:
        """/metrics, answered before any other middleware: a scraper asks gunicorn itself,
        by its address (not a host name ALLOWED_HOSTS lists) and over plain HTTP (which
        production's HTTPS redirect would send elsewhere)."""
        allowed = metrics.may_scrape(request)
        if allowed is None:
            response = HttpResponse("Not found.", status=404, content_type="text/plain")
        elif not allowed:
            response = HttpResponse("Forbidden.", status=403, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        else:
            response = HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
        response["Cache-Control"] = "no-store"
        return response

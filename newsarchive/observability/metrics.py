"""Prometheus metrics of the requests the site serves and of its database, and the
endpoint that shows them with the archive's own (articles/metrics.py).

Each process counts in its memory; under gunicorn, whose workers are separate processes,
PROMETHEUS_MULTIPROC_DIR names a folder where each keeps its values in a file, and a
scrape, whichever worker answers it, adds up every worker's (deploy/gunicorn.conf.py
empties the folder at start and marks exited workers dead)."""

import functools
import hmac
import ipaddress
import os

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.backends.signals import connection_created
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

# Import-time registration of the archive's counters, so that every scrape lists them.
import articles.metrics  # noqa: F401

REQUEST_SECONDS = Histogram(
    "newsarchive_request_duration_seconds",
    "Time to answer a request, by the view's URL name and the method.",
    ["view", "method"],
)
RESPONSES = Counter(
    "newsarchive_responses", "Responses sent, by the view's URL name and status code.",
    ["view", "status"],
)  # fmt: skip
REQUEST_QUERIES = Histogram(
    "newsarchive_request_sql_queries",
    "SQL statements a request ran, by the view's URL name.",
    ["view"],
    buckets=(0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, float("inf")),
)
REQUEST_SQL_SECONDS = Counter(
    "newsarchive_request_sql_seconds",
    "Time requests spent in SQL statements, by the view's URL name.",
    ["view"],
)
CONNECTIONS_OPENED = Counter(
    "newsarchive_database_connections_opened",
    "Database connections opened (each worker keeps one for CONN_MAX_AGE seconds).",
)
CONNECTIONS_HELD = Gauge(
    "newsarchive_database_connections_held",
    "Database connections the workers hold open between requests.",
    multiprocess_mode="livesum",
)


def _count_connection(sender, connection, **kwargs):
    CONNECTIONS_OPENED.inc()


connection_created.connect(_count_connection, dispatch_uid="metrics_connections_opened")


@functools.cache
def _series(view: str, method: str, status: int) -> tuple:
    """A request's series, looked up once (labels() checks and locks at every call)."""
    return (
        REQUEST_SECONDS.labels(view, method),
        RESPONSES.labels(view, str(status)),
        REQUEST_QUERIES.labels(view),
        REQUEST_SQL_SECONDS.labels(view),
    )


def observe_request(view: str, method: str, status: int, seconds: float, queries: int,
                    sql_seconds: float) -> None:  # fmt: skip
    duration, responses, statements, sql_time = _series(view, method, status)
    duration.observe(seconds)
    responses.inc()
    statements.observe(queries)
    sql_time.inc(sql_seconds)
    CONNECTIONS_HELD.set(connection.connection is not None)


class DatabaseCollector:
    """The server's side, read at each scrape: the connections to the archive's database
    by state (all workers, and anything else connected), and the server's limit."""

    def collect(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() GROUP BY 1"
                )
                states = cursor.fetchall()
                cursor.execute("SELECT current_setting('max_connections')::int")
                (limit,) = cursor.fetchone()
        except DatabaseError:
            return  # The database is down: the other metrics still answer.
        backends = GaugeMetricFamily(
            "newsarchive_database_backends",
            "Connections to the archive's database, by state (pg_stat_activity).",
            labels=["state"],
        )
        for state, count in states:
            backends.add_metric([state], count)
        yield backends
        yield GaugeMetricFamily(
            "newsarchive_database_max_connections", "The server's max_connections.", limit
        )


_database = CollectorRegistry(auto_describe=False)
_database.register(DatabaseCollector())


def exposition() -> bytes:
    """Every metric, in Prometheus's text format: every worker's under gunicorn."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(_database)


def may_scrape(request) -> bool | None:
    """Whether ``request`` may read the metrics: it carries METRICS_TOKEN as a bearer
    token, or comes from an address in METRICS_ALLOWED_ADDRESSES (the address gunicorn
    sees: behind a proxy, the proxy's, which is why nginx refuses /metrics). None when
    neither is set: the endpoint is off."""
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_ADDRESSES
    if not token and not networks:
        return None
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in networks)

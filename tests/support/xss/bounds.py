"""A bound on how long each database statement of the hostile tests may run."""

from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection
from django.db.backends.signals import connection_created

# Hostile text can make PostgreSQL's headline and rank functions grow without bound (see
# test_fuzz.py::test_a_phrase_that_matches_often_does_not_exhaust_the_database): every query
# the hostile tests cause is cancelled after this long, so that such a query fails alone,
# as a 503, instead of exhausting the shared server's memory.
STATEMENT_TIMEOUT = "3s"


def bound_statements(timeout: str = STATEMENT_TIMEOUT) -> Callable[[], None]:
    """Bounds every statement of this connection, and of the connections opened from now
    on (a live server's), to ``timeout``; returns the function that lifts the bound."""

    def bound(connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [timeout])

    def lift():
        connection_created.disconnect(bound)
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET statement_timeout")

    connection_created.connect(bound)
    bound(connection)
    return lift


@contextmanager
def bounded_statements(timeout: str = STATEMENT_TIMEOUT):
    lift = bound_statements(timeout)
    try:
        yield
    finally:
        lift()

"""Reaching the test database's server from outside Django: for scripts run as
subprocesses and for a second connection that holds a transaction of its own."""

from django.db import connection


def database_url(database: str | None = None) -> str:
    """A libpq URL for ``database`` (by default the test database) on the test database's
    server."""
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database or settings['NAME']}"

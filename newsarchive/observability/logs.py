"""Log lines that carry their request's id, written as one JSON object a line when
LOG_FORMAT=json (for a log shipper), as plain text otherwise."""

import contextvars
import datetime
import json
import logging
import re
import secrets

# The id of the request this thread (or task) is serving; None outside a request.
request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
# An id a proxy or client sent is kept when it is short and plain (it is logged and sent
# back: no spaces, quotes or control characters to forge a log line or a header with).
GIVEN_ID = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")


def begin_request(sender=None, environ=None, scope=None, **kwargs) -> str:
    """Sets the request's id: the X-Request-ID it came with, if plain, or a new one. On
    Django's request_started signal, so that the lines Django logs after the middleware
    have returned (a 404's "Not Found", an error) and those of a streamed response carry
    it too; request_finished ends it."""
    if environ is not None:
        given = environ.get("HTTP_X_REQUEST_ID", "")
    else:
        headers = dict((scope or {}).get("headers", []))
        given = headers.get(b"x-request-id", b"").decode("latin-1")
    chosen = given if GIVEN_ID.fullmatch(given) else secrets.token_hex(16)
    request_id.set(chosen)
    return chosen


def end_request(sender=None, **kwargs) -> None:
    request_id.set(None)


# What every LogRecord has of its own: anything else on a record came as `extra=`.
_RECORD_FIELDS = {*vars(logging.makeLogRecord({})), "message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Gives each record the id of the request it was logged in (on the handler, so that
    every logger's records have it, Django's and gunicorn's too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id when in a
    request, each `extra=` field by its name, and any exception's traceback as text."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            entry["request_id"] = record.request_id
        entry.update(
            (name, value) for name, value in vars(record).items() if name not in _RECORD_FIELDS
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: Django's records carry the request (and the server's a socket).
        return json.dumps(entry, default=str, ensure_ascii=False)

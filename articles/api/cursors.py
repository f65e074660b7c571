"""Cursors: where a list stopped, as an opaque token a client hands back for the next
page. A token is the position's values as JSON, base64url-encoded; one that does not
decode to a position of the right kind is a client error, answered 400."""

import base64
import binascii
import datetime
import json

MAX_ID = 2**63 - 1


class BadCursor(ValueError):
    pass


def _is_id(value) -> bool:
    return type(value) is int and 0 <= value <= MAX_ID


def encode(*values) -> str:
    text = json.dumps([v.isoformat() if isinstance(v, datetime.datetime) else v for v in values])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _values(token: str, count: int) -> list:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        values = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor("not a cursor this API gave") from error
    if not isinstance(values, list) or len(values) != count:
        raise BadCursor("not a cursor this API gave")
    return values


def decode_moment_and_id(token: str) -> tuple[datetime.datetime, int]:
    """An article list's position: its last article's date and id."""
    moment, pk = _values(token, 2)
    try:
        moment = datetime.datetime.fromisoformat(moment)
    except (TypeError, ValueError) as error:
        raise BadCursor("not a cursor this API gave") from error
    if moment.tzinfo is None or not _is_id(pk):
        raise BadCursor("not a cursor this API gave")
    return moment, pk


def decode_name_and_id(token: str) -> tuple[str, int]:
    """An entity list's position: its last entity's name and id."""
    name, pk = _values(token, 2)
    if not isinstance(name, str) or "\x00" in name or not _is_id(pk):
        raise BadCursor("not a cursor this API gave")
    return name, pk

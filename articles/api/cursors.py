"""Cursors: where a list stopped, as a token a client hands back for the next page.

Every token the schema's pattern allows names a position, so the API can promise (and its
schema test holds it to) that a well-formed cursor is never refused: an article list's is
its last article's time in microseconds since 1970 and its id; an entity list's, its last
entity's id and name (base64url, which any text of its alphabet decodes to, as far as it
is whole). A token someone made up is a position too; it just lists from there.
"""

import base64
import datetime

ARTICLE_CURSOR = r"^-?[0-9]{1,16}\.[0-9]{1,18}$"
ENTITY_CURSOR = r"^[0-9]{1,18}\.[A-Za-z0-9_-]{0,400}$"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def article_cursor(moment: datetime.datetime, pk: int) -> str:
    return f"{(moment - _EPOCH) // datetime.timedelta(microseconds=1)}.{pk}"


def article_position(cursor: str) -> tuple[datetime.datetime, int]:
    """The time and id an ARTICLE_CURSOR names."""
    microseconds, pk = cursor.split(".")
    return _EPOCH + datetime.timedelta(microseconds=int(microseconds)), int(pk)


def entity_cursor(name: str, pk: int) -> str:
    return f"{pk}.{base64.urlsafe_b64encode(name.encode()).decode().rstrip('=')}"


def entity_position(cursor: str) -> tuple[str, int]:
    """The name and id an ENTITY_CURSOR names."""
    pk, encoded = cursor.split(".")
    whole = encoded[: len(encoded) - len(encoded) % 4 if len(encoded) % 4 == 1 else None]
    name = base64.urlsafe_b64decode(whole + "=" * (-len(whole) % 4))
    return name.decode(errors="replace").replace("\x00", ""), int(pk)

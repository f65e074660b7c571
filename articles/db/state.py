"""What the archive holds, as the current transaction sees it, in one short value: what a
process can key something it built from the database by (the gazetteer's tagger), to
build it again only once what it read may have changed.

Every transaction that writes the tables public pages read (articles, their tags,
entities, aliases, redirects, event links: articles/db/sql/archive_state.sql) renews a
token as it commits, and notes its own writes meanwhile in a pending row that only it
sees. The page cache (articles/reader/caching.py) keys its pages by the same two values.
"""

from articles.db.routing import reading_connection

# The pending row counts the transaction's write statements; its row version's xmin (the
# savepoint that last wrote it, if any) tells a count a rolled-back savepoint reached from
# the same count reached again by later writes. Only a transaction that has written sees
# its pending row; _if_assigned() gives a reader none, where pg_current_xact_id() would
# give every reader a transaction id. Two columns of a SELECT, for statements that read
# more beside them (the page cache reads the newest public article too); run with
# parameters, so "%%" stands for "%".
WRITE_STATE_COLUMNS = """(SELECT token FROM articles_archive_state),
       (SELECT format('%%s/%%s/%%s', xact, writes, xmin) FROM articles_archive_pending
        WHERE xact = pg_current_xact_id_if_assigned())"""


def state_value(token, own_writes) -> str:
    """The two columns of WRITE_STATE_COLUMNS as one value."""
    return f"{token}:{own_writes or ''}"


def write_state() -> str:
    """The token of the last committed write and, if the current transaction has written,
    its writes so far: a new value after every write, committed or the transaction's own,
    and the same value only for the same data (a restored backup brings back its token
    with the data it stood for)."""
    with reading_connection().cursor() as cursor:
        cursor.execute(f"SELECT {WRITE_STATE_COLUMNS}", [])
        return state_value(*cursor.fetchone())

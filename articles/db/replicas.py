"""The read replicas (DATABASE_REPLICA_URLS): which of them can serve a public read now.

Each process probes a replica at most once every REPLICA_CHECK_SECONDS and reuses what it
learned: whether it answers, how far behind the primary it is (seconds), and how much of
the primary's WAL it has replayed. A replica that does not answer, or lags more than
REPLICA_MAX_LAG_SECONDS, is skipped until a later probe finds it well again; readers are
served by another replica or by the primary, and see no error. Probing costs a reader
nothing more than the probe itself, once a second per process: the replicas' connections
have a short connect timeout (settings), so a replica that is down costs at most that.

Read-your-writes: after an editor's write, the primary's WAL position (``wal_position()``)
is kept in their session, and their reads go to a replica only once it has replayed that
far (``choose(replayed_past=…)``), to the primary until then.
"""

import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica"

# Lag is 0 when the replica has replayed all it received (an idle primary sends nothing,
# and the last replayed transaction's time then says nothing about lag); otherwise the age
# of the last transaction it replayed. A replica promoted to primary (not in recovery)
# has no lag and no replay position: it serves reads until the app servers are pointed at
# it (docs/cluster.md), but never an editor waiting for a position.
PROBE_SQL = """
SELECT pg_last_wal_replay_lsn()::text,
       CASE WHEN NOT pg_is_in_recovery()
                 OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
            THEN 0
            ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)
       END::float8
"""


def lsn_number(lsn: str) -> int:
    """A WAL position written as PostgreSQL writes one ("16/B374D848") as a number."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


@dataclass
class Probe:
    checked_at: float
    answered: bool
    lag_seconds: float = 0.0
    replayed: int | None = None  # the WAL position replayed, when in recovery


_probes: dict[str, Probe] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


def probe(alias: str) -> Probe:
    """What ``alias`` says of itself now; a replica that does not answer is marked so,
    and its connection closed, so that the next use opens a new one."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(PROBE_SQL)
            replayed, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Replica %s skipped: %s", alias, error)
        connection.close()
        return Probe(time.monotonic(), answered=False)
    return Probe(time.monotonic(), True, lag, lsn_number(replayed) if replayed else None)


def recent_probe(alias: str) -> Probe:
    known = _probes.get(alias)
    if known is None or time.monotonic() - known.checked_at >= settings.REPLICA_CHECK_SECONDS:
        known = _probes[alias] = probe(alias)
    return known


def mark_down(alias: str) -> None:
    """A read on ``alias`` failed: skip it until the next probe is due."""
    _probes[alias] = Probe(time.monotonic(), answered=False)
    connections[alias].close()


def usable(found: Probe, replayed_past: int | None) -> bool:
    if not found.answered or found.lag_seconds > settings.REPLICA_MAX_LAG_SECONDS:
        return False
    return replayed_past is None or (found.replayed is not None and found.replayed >= replayed_past)


def choose(replayed_past: int | None = None) -> str:
    """A replica fit to serve a public read now (one at random when several are), having
    replayed the WAL up to ``replayed_past`` if given; else the primary."""
    fit = [alias for alias in replica_aliases() if usable(recent_probe(alias), replayed_past)]
    return random.choice(fit) if fit else DEFAULT_DB_ALIAS  # noqa: S311 (spreading load)


def wal_position() -> int:
    """Where the primary's WAL ends now: every transaction committed so far is before it."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
        return lsn_number(cursor.fetchone()[0])

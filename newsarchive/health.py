"""/healthz: what a load balancer asks each app server before sending it readers.

It answers 200 when this server can serve pages: the primary or a replica answers a query.
It says, as JSON, what each part answered: the primary, each replica (and how far behind
it is) and the cache. The cache being down does not make the server unhealthy (pages are
rendered without it, newsarchive/cache.py): taking every server out of the load balancer
because Redis restarts would turn a slower site into none. Nothing here is cached, and
each check is one short query or cache round trip.
"""

import os
import socket
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.db import replicas


def primary_answers() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        connections[DEFAULT_DB_ALIAS].close()
        return False
    return True


def cache_answers() -> bool:
    """A value written and read back; the shared cache answers a failure as a miss."""
    # Each process writes its own key: app servers sharing the cache check it at once.
    key, written = f"healthz:{socket.gethostname()}:{os.getpid()}", str(time.time_ns())
    cache.set(key, written, 30)
    return cache.get(key) == written


@never_cache
@require_safe
def healthz(request):
    checks = {"primary": "ok" if primary_answers() else "down"}
    for alias in replicas.replica_aliases():
        found = replicas.probe(alias)
        checks[alias] = f"lag {found.lag_seconds:.1f} s" if found.answered else "down"
    checks["cache"] = "ok" if cache_answers() else "down"
    serving = any(value != "down" for name, value in checks.items() if name != "cache")
    return JsonResponse(
        {"status": "ok" if serving else "down", "checks": checks}, status=200 if serving else 503
    )

"""The address a request came from, when proxies (a load balancer) stand in front."""

from django.conf import settings


def client_address(request) -> str:
    """The reader's address: REMOTE_ADDR when nothing stands in front; behind
    PROXIES_IN_FRONT proxies, each of which appends the address it received from to
    X-Forwarded-For, the entry the outermost of them wrote. Entries before it came from
    the reader, who may write anything there, and are not believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [*(entry.strip() for entry in forwarded.split(",") if entry.strip()), remote]
    if settings.PROXIES_IN_FRONT <= 0 or len(chain) <= settings.PROXIES_IN_FRONT:
        return remote
    return chain[-(settings.PROXIES_IN_FRONT + 1)]

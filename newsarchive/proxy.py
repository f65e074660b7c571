"""What production takes from its proxy (deploy/nginx/newsarchive.conf) about the client."""


def client_address(request) -> str:
    """The client's address, which nginx writes in X-Forwarded-For in place of whatever
    the client sent there (gunicorn listens on 127.0.0.1 only: nothing else reaches it);
    the connection's own address where no proxy set it (a request from this machine)."""
    return request.META.get("HTTP_X_FORWARDED_FOR") or request.META.get("REMOTE_ADDR", "")

"""The site's public URL patterns, found by walking the resolver."""

from django.urls import URLPattern, URLResolver, get_resolver


def public_routes(resolver: URLResolver | None = None, prefix: str = ""):
    """(route, pattern) for every URL pattern outside the admin, walking includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.app_name == "admin":
                continue
            yield from public_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry

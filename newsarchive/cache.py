"""The shared cache: Django's own Redis backend, made to fail soft.

Every app server keeps its rendered pages in one Redis (settings: REDIS_URL), so that a
page rendered once serves them all. The cache holds nothing that is not also somewhere
else (pages can be rendered again; sessions and login attempts live in PostgreSQL), so
Redis being down, slow or restarting must cost pages their speed, never their answer:
each operation that fails is treated as a miss (reads) or as done (writes), and after a
failure the process leaves Redis alone for CACHE_RETRY_SECONDS rather than paying a
connection attempt per request.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _failing_soft(default):
    """Wraps a RedisCache method: ``default`` (called with the method's arguments) is the
    answer while Redis cannot be reached."""

    def decorate(method):
        @functools.wraps(method)
        def wrapped(self, *args, **kwargs):
            if time.monotonic() < self.unreachable_until:
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self.unreachable_until = time.monotonic() + settings.CACHE_RETRY_SECONDS
                logger.warning("Cache unavailable, pages served without it: %s", error)
                return default(*args, **kwargs)

        return wrapped

    return decorate


def _given_default(key, default=None, version=None):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _none_found(keys, version=None):
    return {}


def _none_stored(data, timeout=None, version=None):
    # set_many's answer: the keys it failed to store.
    return list(data)


class SharedRedisCache(RedisCache):
    unreachable_until = 0.0

    get = _failing_soft(_given_default)(RedisCache.get)
    set = _failing_soft(_nothing)(RedisCache.set)
    add = _failing_soft(_false)(RedisCache.add)
    touch = _failing_soft(_false)(RedisCache.touch)
    delete = _failing_soft(_false)(RedisCache.delete)
    has_key = _failing_soft(_false)(RedisCache.has_key)
    get_many = _failing_soft(_none_found)(RedisCache.get_many)
    set_many = _failing_soft(_none_stored)(RedisCache.set_many)
    delete_many = _failing_soft(_nothing)(RedisCache.delete_many)
    clear = _failing_soft(_false)(RedisCache.clear)

"""Production settings for the benchmark, plus a trivial view to compare pages against.

Everything production does (DEBUG off, persistent connections, whitenoise, the security
middleware and CSP, the page cache), except HTTPS redirects, on a scratch database the
runner names. BENCH_PAGE_CACHE=off swaps the cache for a dummy one, so that every request
runs its view: what a page costs on a cache miss.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from newsarchive.settings.prod import *  # noqa: F403
from newsarchive.settings.prod import ALLOWED_HOSTS, INSTALLED_APPS, STORAGES

# The synthetic corpus and its generate_corpus command.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "testserver"]
SECURE_SSL_REDIRECT = False  # served over plain HTTP on the loopback

# bench/run.py collects the static files into a temporary folder, with production's
# manifest storage; without one, plain storage (the test settings' choice) serves them.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
else:
    STORAGES = {
        **STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    WHITENOISE_USE_FINDERS = True

if os.environ.get("BENCH_PAGE_CACHE") == "off":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

"""Tests: the real PostgreSQL (the one `make run` uses unless DATABASE_URL names one), fast
password hashing, production-like static storage."""

from newsarchive.local_database import use_local_database

use_local_database()  # before base.py reads DATABASE_URL

from .base import *  # noqa: E402, F403
from .base import INSTALLED_APPS  # noqa: E402

DEBUG = False
# The synthetic corpus, which its own tests exercise (tests/bench/test_corpus.py).
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
SECRET_KEY = "test-only-key-never-used-elsewhere"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Tests change the archive and look at once; test_caching.py covers the reuse.
ARCHIVE_STATE_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from static/ without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Replicas named in the environment stand for the test database: pytest-django creates no
# test database of their own (tests/db/test_replicas.py starts a real replica).
for _alias in DATABASES:  # noqa: F405
    if _alias != "default":
        DATABASES[_alias]["TEST"] = {"MIRROR": "default"}  # noqa: F405

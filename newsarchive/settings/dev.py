"""Local development: debug on by default, a throwaway key unless one is given, and the
database `make run` uses unless DATABASE_URL names one."""

import os

from newsarchive.local_database import use_local_database

use_local_database()  # before base.py reads DATABASE_URL

from .base import *  # noqa: E402, F403
from .base import INSTALLED_APPS, env_bool, env_list  # noqa: E402

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The synthetic corpus for benchmarks (manage.py generate_corpus); never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]

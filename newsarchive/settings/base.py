"""Settings shared by every environment; the environment supplies what differs."""

import datetime
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

INSTALLED_APPS = [
    "articles.apps.ArchiveAdminConfig",  # Django's admin, with the editors' desk
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "axes",
    # The API's documentation page serves Swagger UI from ninja's static files.
    "ninja",
    "articles",
]

MIDDLEWARE = [
    # First, so that it times everything and every log line has the request's id.
    "newsarchive.observability.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer (a 400, a 503), so that its page is in the
    # language of the address.
    "newsarchive.middleware.PathLanguageMiddleware",
    "newsarchive.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsarchive.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: it reads the session and the user, and sees a failed read before the 503 page
    # of DatabaseUnavailableMiddleware is made of it.
    "newsarchive.middleware.ReplicaReadsMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login attempts are rate-limited: after 10 failures from one address, logins from it are
# refused for 15 minutes (django-axes keeps the count in the database, shared by workers).
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_VERBOSE = False

ROOT_URLCONF = "newsarchive.urls"
# The prefix of every address the site writes comes from here, never from the request:
# gunicorn takes SCRIPT_NAME from a request header (from addresses it trusts), and pages
# cached for every reader would hold the links one request asked for. A deployment under
# a sub-path sets it (e.g. /archive), its proxy passing the path without that prefix. The
# host comes from the Host header alone (USE_X_FORWARDED_HOST stays off), checked against
# ALLOWED_HOSTS.
FORCE_SCRIPT_NAME = os.environ.get("FORCE_SCRIPT_NAME", "")
WSGI_APPLICATION = "newsarchive.wsgi.application"

# The public pages are Jinja2 templates (templates/, newsarchive/jinja2.py); the admin, the
# sitemaps and the forms keep Django's engine and their apps' own templates.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "newsarchive.jinja2.environment"},
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# DATABASE_URL: production requires it (prod.py); dev and test settings find the database
# `make run` uses when it is unset (newsarchive/local_database.py).
DATABASES = {
    "default": dj_database_url.config(conn_max_age=60, conn_health_checks=True),
}
# Fail fast when the server is down, so that pages answer 503 at once rather than hang, and
# stop any statement that runs away (hostile search input) before it takes the server's
# memory; a cancelled statement also answers 503. The memory a sort may take before it
# spills to disk: the RUM index sorts every match of a search's words by relevance, and a
# common word's matches in a large archive outgrow PostgreSQL's 4 MB default (docs/search.md,
# "Ranking every match"). No JIT compilation: the planner prices a search on a large
# archive above jit_above_cost, and compiling its statement then takes longer than the
# statement itself runs.
DATABASES["default"].setdefault("OPTIONS", {}).update(
    connect_timeout=3,
    options=(
        f"-c statement_timeout={int(os.environ.get('DATABASE_STATEMENT_TIMEOUT_MS', 15000))}"
        f" -c work_mem={int(os.environ.get('DATABASE_WORK_MEM_MB', 32))}MB"
        " -c jit=off"
    ),
)
# Read replicas (README, "Running on more than one machine"): public reads of the archive
# go to one of these, comma-separated URLs (aliases replica0, replica1, …), when one is fit;
# writes, the admin and an editor's reads of their own writes go to the primary.
DATABASE_ROUTERS = ["articles.db.routing.ReplicaRouter"]
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
    DATABASES[f"replica{_index}"] = dj_database_url.parse(
        _url, conn_max_age=60, conn_health_checks=True
    )
    # A replica that is down is skipped after one short attempt, not waited for.
    DATABASES[f"replica{_index}"]["OPTIONS"] = {
        **DATABASES[f"replica{_index}"].get("OPTIONS", {}),
        **DATABASES["default"]["OPTIONS"],
        "connect_timeout": int(os.environ.get("REPLICA_CONNECT_TIMEOUT", 1)),
    }
# A replica further behind the primary than this is skipped (articles/db/replicas.py);
# each process checks each replica at most once per REPLICA_CHECK_SECONDS.
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", 5))
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", 1))

# Rendered public pages; keys carry the archive's version, so a change to the archive makes
# every cached page stale at once (articles/reader/caching.py). Per process, unless
# REDIS_URL (or CACHE_URL) names a Redis that every app server shares: a page rendered once
# then serves every server. Redis being down costs pages their cache, nothing more
# (newsarchive/cache.py).
REDIS_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsarchive.cache.SharedRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", 0.25)),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", 0.5)),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# After Redis fails to answer, a process leaves it alone this long before trying again.
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", 1))
# How long a process reuses the archive's state it read for the cache key: a change to the
# archive reaches cached pages within this time (articles/reader/caching.py).
ARCHIVE_STATE_SECONDS = float(os.environ.get("ARCHIVE_STATE_SECONDS", 1))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface speaks British English at /, and Pashto, Dari and Urdu under /ps/, /fa-af/
# and /ur/ (newsarchive/urls.py); articles carry their own language. The address alone
# chooses: a page is the same for every reader of it, so caches may keep it. Each language
# is named in itself, as the switcher shows it. Dari is Persian as Afghanistan writes it
# (fa-AF, as browsers and hreflang name it); Django's Persian catalogue is Iran's, so the
# archive's own catalogue (locale/fa_AF) says what Afghan readers read.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("ps", "پښتو"),
    ("fa-af", "دری"),
    ("ur", "اردو"),
]
# Django knows Persian and Urdu as written right to left, not Pashto.
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ug", "ur", "ps"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Number separators of each language (newsarchive/formats/<locale>/formats.py).
FORMAT_MODULE_PATH = ["newsarchive.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Where collectstatic writes the files the proxy serves (deploy/nginx/newsarchive.conf).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# A strict policy: nothing inline, nothing from elsewhere. Scripts that must run
# carry the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# A request to the API that fails the CSRF check is refused as the API refuses writes.
CSRF_FAILURE_VIEW = "newsarchive.middleware.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

ARTICLES_PER_PAGE = 20

# Natural Earth's country boundaries (1:50m), which the maps are drawn from: the npm package
# world-atlas, installed by `npm ci` (package.json).
WORLD_ATLAS = BASE_DIR / "node_modules" / "world-atlas" / "countries-50m.json"

# Log lines as plain text (the default) or, with LOG_FORMAT=json, one JSON object a line
# for a log shipper; either way each record has its request's id (newsarchive/observability).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT is text or json, not {LOG_FORMAT!r}.")
# A request slower than this is logged as a warning, with its view and its SQL.
SLOW_REQUEST_MS = float(os.environ.get("SLOW_REQUEST_MS", 1000))
# A line for every request (its method, path, status, view, time and SQL) at INFO.
LOG_REQUESTS = env_bool("LOG_REQUESTS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsarchive.observability.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(message)s"},
        "json": {"()": "newsarchive.observability.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Django's own logger comes with a console handler (in DEBUG) of its own: without it,
    # its records reach the console once, through the root's handler.
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "newsarchive.requests": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
    },
}

# /metrics (Prometheus) is off unless one of these is set: a token scrapers send as
# "Authorization: Bearer …", and/or the addresses or networks it is served to.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_ADDRESSES = [
    ipaddress.ip_network(address, strict=False)
    for address in env_list("METRICS_ALLOWED_ADDRESSES", [])
]

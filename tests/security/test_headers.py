"""Security headers as production sends them: a process started with
newsarchive.settings.prod (as gunicorn is) answers a few requests through Django's test
client and reports the headers and cookies; the checks run here. tests/project/test_settings.py
runs `check --deploy` under the same settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

# The marker makes pytest-django create the test database the probe reads.
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOST = "archive.example.org"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "newsarchive.settings.prod",
    "SECRET_KEY": "k3y-" + "y" * 60 + "-only-for-the-header-test-4d1e",
    "ALLOWED_HOSTS": HOST,
}
# Runs in the production process. Static files: the plain storage, as collectstatic has not
# run here (the manifest storage would refuse to name them); headers do not depend on it.
PROBE = """
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings

def report(response):
    cookies = {
        name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
               "samesite": c["samesite"]}
        for name, c in response.cookies.items()
    }
    return {"status": response.status_code, "headers": dict(response.headers),
            "cookies": cookies}

storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
answers = {}
with override_settings(STORAGES=storages), transaction.atomic():
    client = Client(HTTP_HOST=sys.argv[1])
    answers["http"] = report(client.get("/"))
    for name, path in [("home", "/"), ("suggest", "/search/suggest/?q=kab"),
                       ("missing", "/no-such-page/"), ("login", "/admin/login/")]:
        answers[name] = report(client.get(path, secure=True))
    User.objects.create_user("probe", password="a-long-password-0", is_staff=True)
    client.get("/admin/login/", secure=True)
    answers["logged in"] = report(client.post(
        "/admin/login/?next=/admin/",
        {"username": "probe", "password": "a-long-password-0",
         "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        secure=True, HTTP_REFERER=f"https://{sys.argv[1]}/admin/login/"))
    transaction.set_rollback(True)
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers(django_db_setup, django_db_blocker):
    """The production process's answers, against the (migrated, empty) test database."""
    settings = connection.settings_dict
    database = (
        f"postgres://{settings['USER'] or 'postgres'}"
        f"{':' + settings['PASSWORD'] if settings['PASSWORD'] else ''}"
        f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION}
    result = subprocess.run(  # noqa: S603 (our own probe, fixed arguments)
        [sys.executable, "-c", PROBE, HOST],
        cwd=ROOT,
        env=environment | PRODUCTION | {"DATABASE_URL": database},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *values = directive.split()
        parsed[name] = values
    return parsed


def test_plain_http_is_redirected_to_https(answers):
    assert answers["http"]["status"] == 301
    assert answers["http"]["headers"]["Location"] == f"https://{HOST}/"


@pytest.mark.parametrize("page", ["home", "suggest", "missing", "login"])
def test_every_answer_carries_the_security_headers(answers, page):
    answer = answers[page]
    assert answer["status"] == {"missing": 404}.get(page, 200)
    headers = answer["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("page", ["home", "missing", "login"])
def test_pages_send_a_strict_content_security_policy(answers, page):
    policy = directives(answers[page]["headers"]["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    scripts = policy["script-src"]
    assert scripts[0] == "'self'" and all(s.startswith("'nonce-") for s in scripts[1:])
    for name, sources in policy.items():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources)
        # data: only for images (an SVG shown as an image runs no script).
        assert "data:" not in sources or name == "img-src", name
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in answers[page]["headers"]


def test_cookies_are_secure_and_the_session_cookie_is_out_of_scripts_reach(answers):
    csrf = answers["login"]["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    logged_in = answers["logged in"]
    assert logged_in["status"] == 302 and logged_in["headers"]["Location"] == "/admin/"
    session = logged_in["cookies"]["sessionid"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_json_answers_are_not_sniffed_as_html(answers):
    headers = answers["suggest"]["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_suggestions_are_cached_as_every_public_page_is(answers):
    """Browsers and shared caches may keep a public answer but must ask again before using
    it (a cheap 304 while the archive is unchanged): suggestions too, with no max-age."""
    for page in ["home", "suggest"]:
        assert answers[page]["headers"]["Cache-Control"] == "public, no-cache", page
        assert answers[page]["headers"]["ETag"], page

"""Log lines: a request id taken from X-Request-ID (when plain and short) or made, sent
back and in every line logged while serving the request; one JSON object a line with
LOG_FORMAT=json; a line for each slow request with its view and its SQL."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.observability.logs import JsonFormatter, RequestIdFilter
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_lines():
    """What the loggers write during the test, as the console handler of LOG_FORMAT=json
    writes it: a list of the lines' objects, read when called."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root, requests = logging.getLogger(), logging.getLogger("newsarchive.requests")
    level = requests.level
    root.addHandler(handler)
    requests.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        requests.setLevel(level)


def test_a_plain_request_id_is_kept_and_sent_back(client):
    response = client.get("/", HTTP_X_REQUEST_ID="edge-7f3a:42")
    assert response["X-Request-ID"] == "edge-7f3a:42"


@pytest.mark.parametrize(
    "given",
    ["", "two words", "x" * 129, "<script>", 'quote"d', "new\nline", "é"],
    ids=["empty", "space", "too long", "markup", "quote", "newline", "non-ascii"],
)
def test_any_other_request_id_is_replaced_by_a_new_one(client, given):
    response = client.get("/", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_has_an_id_of_its_own(client):
    first, second = client.get("/"), client.get("/")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_every_line_of_a_request_carries_its_id(client, json_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID="req-404")  # Django logs "Not Found"
    client.get("/", HTTP_X_REQUEST_ID="req-home")
    lines = json_lines()
    assert {line["logger"] for line in lines} >= {"django.request", "newsarchive.requests"}
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert not_found and all(line["request_id"] == "req-404" for line in not_found)
    finished = [line for line in lines if line["logger"] == "newsarchive.requests"]
    assert [line["request_id"] for line in finished] == ["req-404", "req-home"]
    home = finished[1]
    assert home["view"] == "articles:article_list"
    assert home["status"] == 200 and home["method"] == "GET" and home["path"] == "/"
    assert home["sql_queries"] >= 1 and home["duration_ms"] > 0
    assert {"time", "level", "message"} <= set(home)


def test_a_slow_request_is_logged_with_its_view_and_sql(client, json_lines, settings):
    article = make_article(title="Slow story")
    settings.SLOW_REQUEST_MS = 0
    client.get(article.get_absolute_url(), HTTP_X_REQUEST_ID="slow-1")
    (slow,) = [line for line in json_lines() if line["message"].startswith("Slow request")]
    assert slow["level"] == "WARNING"
    assert slow["request_id"] == "slow-1"
    assert slow["view"] == "articles:article_detail"
    assert slow["sql_queries"] >= 2
    assert slow["sql_ms"] > 0
    assert "articles:article_detail" in slow["message"]


def test_a_quick_request_is_not_called_slow(client, json_lines, settings):
    settings.SLOW_REQUEST_MS = 60_000
    client.get("/")
    assert not [line for line in json_lines() if line["level"] == "WARNING"]


def test_a_line_outside_any_request_has_no_request_id(json_lines):
    logging.getLogger("newsarchive.test").warning("outside")
    (line,) = json_lines()
    assert "request_id" not in line


def run_logging(env: dict, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django, logging; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsarchive.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_log_format_json_writes_one_object_a_line_with_exceptions_inside():
    code = (
        "log = logging.getLogger('newsarchive.x'); log.warning('two\\nlines', extra={'n': 3})\n"
        "try:\n 1 / 0\nexcept ZeroDivisionError:\n log.exception('failed')"
    )
    result = run_logging({"LOG_FORMAT": "json"}, code)
    assert result.returncode == 0, result.stderr
    first, second = [json.loads(line) for line in result.stderr.splitlines()]
    assert first["message"] == "two\nlines" and first["n"] == 3
    assert first["level"] == "WARNING" and first["logger"] == "newsarchive.x"
    assert second["message"] == "failed" and "ZeroDivisionError" in second["exception"]


def test_plain_text_stays_the_default():
    result = run_logging({"LOG_FORMAT": "text"}, "logging.getLogger('x').warning('plain')")
    assert result.stderr == "plain\n"


def test_an_unknown_log_format_is_refused():
    result = run_logging({"LOG_FORMAT": "xml"}, "pass")
    assert result.returncode != 0
    assert "LOG_FORMAT is text or json" in result.stderr

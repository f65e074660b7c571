"""What the benchmark and the load test measure pages through (bench/servers.py): GETs on
the loopback, and wrk's report read from real runs against the live server."""

import shutil
from urllib.parse import urlsplit

import pytest

from bench.servers import free_port, http_get, run_wrk

WRK = shutil.which("wrk")
needs_wrk = pytest.mark.skipif(WRK is None, reason="needs wrk (apt-get install wrk)")


@pytest.fixture
def port(live_server):
    return urlsplit(live_server.url).port


def test_a_get_answers_the_status_and_body_of_any_page(port):
    assert http_get(port, "/").status == 200
    missing = http_get(port, "/no-such-page/")
    assert missing.status == 404
    assert b"<html" in missing.body.lower()


@needs_wrk
def test_wrk_on_one_page_reports_requests_latency_and_no_errors(port):
    run = run_wrk(WRK, port, ["/"], 1, connections=2)
    assert run.requests > 0
    assert run.rps > 0
    assert 0 < run.p50_ms <= run.p99_ms
    assert (run.non_2xx, run.socket_error_count, run.note) == (0, 0, "")


@needs_wrk
def test_wrk_round_a_list_of_paths_counts_the_pages_that_fail(port):
    run = run_wrk(WRK, port, ["/", "/no-such-page/"], 1, connections=2)
    assert 0 < run.non_2xx < run.requests
    assert run.note == f"{run.non_2xx} non-2xx"


@needs_wrk
def test_wrk_with_nothing_listening_says_it_failed():
    run = run_wrk(WRK, free_port(), ["/"], 1)
    assert run.requests == 0
    assert run.rps is None
    assert run.note == "wrk failed"

"""/healthz, which the load balancer asks every second."""

import socket

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_the_cache(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"primary": "ok", "cache": "ok"}}


def test_healthz_is_never_cached(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    for response in (first, second):
        assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
        assert "X-Cache" not in response and "ETag" not in response


def test_a_server_whose_cache_is_down_stays_in_the_load_balancer(client, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsarchive.cache.SharedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"primary": "ok", "cache": "down"}


def test_healthz_answers_only_reads(client):
    assert client.post("/healthz").status_code == 405

"""The shared cache (newsarchive/cache.py): Django's Redis backend, which pages survive
losing. Redis runs here as a server of the test's own, on a free port."""

import shutil
import socket
import subprocess
import time

import pytest

from tests.support.factories import make_article

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "newsarchive.cache.SharedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_port(tmp_path):
    """A Redis server of this test's own (never the machine's), stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (make cluster installs it)")
    port = free_port()
    command = [
        server,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--dir",
        str(tmp_path),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield port, process
    process.terminate()
    process.wait(timeout=10)


def test_a_page_is_kept_in_redis_and_served_from_it(client, settings, redis_port):
    settings.CACHES = shared_cache(redis_port[0])
    make_article(title="Kept in Redis")
    first, second = client.get("/"), client.get("/")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content


def test_pages_are_served_without_the_cache_when_redis_is_down(client, settings):
    settings.CACHES = shared_cache(free_port())  # nothing listens there
    make_article(title="Served all the same")
    begun = time.monotonic()
    answers = [client.get("/") for _ in range(5)]
    assert all(a.status_code == 200 and "Served all the same" in a.text for a in answers)
    assert {a["X-Cache"] for a in answers} == {"miss"}
    assert time.monotonic() - begun < 5


def test_pages_survive_redis_stopping_and_use_it_again_once_back(client, settings, redis_port):
    port, process = redis_port
    settings.CACHES = shared_cache(port)
    settings.CACHE_RETRY_SECONDS = 0
    make_article(title="Through a restart")
    client.get("/")
    process.terminate()
    process.wait(timeout=10)
    down = client.get("/")
    assert down.status_code == 200 and "Through a restart" in down.text
    assert down["X-Cache"] == "miss"

"""/metrics: off unless configured, then only for the token or the allowed addresses;
after a few requests, imports and re-tags, the counters Prometheus reads have moved (read
with Prometheus's own parser)."""

import ipaddress
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from prometheus_client.parser import text_string_to_metric_families

from articles.importing.retagging import retag_all
from tests.support.factories import make_article

pytestmark = pytest.mark.django_db
TOKEN = "a-long-random-token-for-prometheus"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def with_token(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = []


def scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    assert response["Cache-Control"] == "no-store"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_not_served_unless_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = []
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer ")
    assert response.status_code == 404
    assert b"newsarchive" not in response.content


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}x"},
        {"HTTP_AUTHORIZATION": TOKEN},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        # A proxy's header is no address: only the connection's counts.
        {"HTTP_X_FORWARDED_FOR": "127.0.0.1", "REMOTE_ADDR": "203.0.113.9"},
    ],
    ids=["none", "wrong", "longer", "bare", "basic", "forged address"],
)
def test_without_the_token_metrics_are_refused(client, with_token, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 403
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"newsarchive" not in response.content


def test_an_allowed_address_needs_no_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = [ipaddress.ip_network("192.0.2.0/24")]
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="198.51.100.7").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="not an address").status_code == 403


def test_metrics_answer_on_any_host_name_and_without_https(client, with_token, settings):
    """Prometheus asks gunicorn by its address, over plain HTTP."""
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(
        "/metrics", HTTP_HOST="10.0.0.5:8000", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 200


def test_requests_move_the_request_and_page_cache_metrics(client, with_token):
    article = make_article(title="Counted story")
    before = scrape(client)
    client.get("/")  # rendered and stored
    cached = client.get("/")  # from the cache
    client.get("/", HTTP_IF_NONE_MATCH=cached["ETag"])
    client.get(article.get_absolute_url())
    client.get("/no-such-page/")
    after = scrape(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    home = "articles:article_list"
    assert moved("newsarchive_request_duration_seconds_count", view=home, method="GET") == 3
    assert moved("newsarchive_request_duration_seconds_sum", view=home, method="GET") > 0
    assert moved("newsarchive_responses_total", view=home, status="200") == 2
    assert moved("newsarchive_responses_total", view=home, status="304") == 1
    assert moved("newsarchive_responses_total", view="articles:article_detail", status="200") == 1
    assert moved("newsarchive_responses_total", view="unresolved", status="404") == 1
    assert moved("newsarchive_request_sql_queries_count", view=home) == 3
    # The rendering ran the page's queries; each cached answer only the state's.
    assert moved("newsarchive_request_sql_queries_sum", view=home) >= 4
    assert moved("newsarchive_request_sql_seconds_total", view=home) > 0
    assert moved("newsarchive_page_cache_requests_total", outcome="miss") == 2
    assert moved("newsarchive_page_cache_requests_total", outcome="hit") == 1
    assert moved("newsarchive_page_cache_requests_total", outcome="not_modified") == 1
    assert moved("newsarchive_responses_total", view="metrics", status="200") == 1
    assert value(after, "newsarchive_database_max_connections") > 0
    assert sum(v for (name, _), v in after.items() if name == "newsarchive_database_backends") >= 1
    assert value(after, "newsarchive_database_connections_held") == 1


def test_imports_and_retags_move_their_counters(
    client, with_token, django_capture_on_commit_callbacks
):
    before = scrape(client)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(SEEDS), verbosity=0)
        call_command("import_articles", str(SEEDS), "--dry-run", verbosity=0)
        with pytest.raises(CommandError):
            call_command("import_articles", str(SEEDS / "no-such-file.txt"), verbosity=0)
        retag_all()
    after = scrape(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("newsarchive_imports_total", outcome="committed") == 1
    assert moved("newsarchive_imports_total", outcome="dry_run") == 1
    assert moved("newsarchive_imports_total", outcome="refused") == 1
    assert moved("newsarchive_imported_articles_total", outcome="created") == 1
    # The import's own re-tag for its gazetteer, then every article.
    assert moved("newsarchive_retagged_articles_total", result="read") >= 1

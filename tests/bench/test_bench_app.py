"""The bench app (bench/: the synthetic corpus and generate_corpus, the benchmark, the load
test) is installed by the bench, development and test settings, never by production's; no
module of articles/ or newsarchive/ imports it (import-linter's contract in pyproject.toml)."""

import pytest

from tests.project.test_settings import PRODUCTION, manage


def test_production_has_no_generate_corpus():
    result = manage("help", "generate_corpus", **PRODUCTION)
    assert result.returncode != 0
    assert "Unknown command: 'generate_corpus'" in result.stderr


@pytest.mark.parametrize(
    "settings", ["newsarchive.settings.dev", "newsarchive.settings.test", "bench.settings"]
)
def test_bench_development_and_test_settings_have_generate_corpus(settings):
    result = manage("help", "generate_corpus", DJANGO_SETTINGS_MODULE=settings)
    assert result.returncode == 0, result.stderr
    assert "synthetic" in result.stdout


@pytest.mark.django_db
@pytest.mark.urls("bench.urls")
@pytest.mark.parametrize("path", ["/_bench/trivial/", "/", "/ur/", "/search/?q=border"])
def test_the_bench_serves_the_site_in_every_language_beside_its_floor(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.urls("bench.urls")
def test_the_bench_answers_a_missing_page_as_the_site_does(client, db):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")

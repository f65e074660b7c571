"""A search's articles as CSV and JSON Lines: every match, streamed, each with its
provenance."""

import csv
import io
import json

import pytest

from articles.models import Article, Entity
from articles.reader import exports
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

CSV, JSON_LINES = "/search/export.csv", "/search/export.jsonl"


def read(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content).decode()


def csv_rows(client, params=None) -> list[dict]:
    _response, text = read(client, CSV, params)
    return list(csv.DictReader(io.StringIO(text)))


def json_rows(client, params=None) -> list[dict]:
    _response, text = read(client, JSON_LINES, params)
    return [json.loads(line) for line in text.splitlines()]


def test_each_row_carries_its_provenance(client, seeded):
    [row] = json_rows(client, {"q": "Taliban"})
    assert row["url"] == f"http://testserver{seeded.get_absolute_url()}"
    assert row["title"] == seeded.title and row["body"] == seeded.body
    assert (row["source"], row["source_url"], row["byline"], row["language"]) == (
        "DW", "", "dzc/rr", "en",
    )  # fmt: skip
    assert row["published"] == "2025-11" and row["date_precision"] == "late_month"
    assert (row["date_earliest"], row["date_latest"]) == ("2025-11-21", "2025-11-30")
    assert set(row["inferred_fields"]) >= {"title", "date", "date_precision"}
    assert row["source_file"] == "000_cd8e701d099983cf.txt"
    assert row["checksum"] == seeded.checksum and row["sidecar_checksum"]
    assert row["imported_at"].startswith(str(seeded.created_at.year))
    assert {"slug": "faiz-hameed", "name": "Faiz Hameed"} in row["people"]
    assert {"slug": "khost", "name": "Khost"} in row["places"]
    assert row["events"] and row["organisations"]

    [line] = csv_rows(client, {"q": "Taliban"})
    assert list(line) == exports.FIELDS
    assert line["checksum"] == seeded.checksum
    assert "Faiz Hameed" in line["people"].split("; ")
    assert "title" in line["inferred_fields"].split("; ")


def test_an_export_is_every_match_of_the_search_newest_first(client, monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 3)
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    for number in range(8):
        make_article(title=f"Khost story {number}", tags=[khost], days_ago=number + 1)
    make_article(title="Elsewhere")
    titles = [row["title"] for row in csv_rows(client, {"place": "khost"})]
    assert titles == [f"Khost story {number}" for number in range(8)]
    assert len(json_rows(client)) == 9  # no criteria: the whole archive


def test_an_export_costs_two_queries_a_batch(client, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(exports, "BATCH_SIZE", 5)
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    for number in range(12):
        make_article(tags=[khost, make_entity()], days_ago=number + 1)
    # The archive's state, names, then each of 3 batches' positions and rows (the last
    # batch is short, so no further one is asked for).
    with django_assert_max_num_queries(2 + 3 * 2):
        assert len(csv_rows(client, {"place": "khost"})) == 12


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_a_spreadsheet_would_run_as_a_formula_are_defused(client, start):
    make_article(title=f'{start}HYPERLINK("http://evil.example")', byline=f"{start}1+1")
    [row] = csv_rows(client)
    assert row["title"] == f'\'{start}HYPERLINK("http://evil.example")'
    assert row["byline"] == f"'{start}1+1"
    # JSON Lines hold the text as it is: no spreadsheet runs it.
    assert json_rows(client)[0]["title"].startswith(start)


def test_exports_are_downloads_any_site_may_read_and_answer_304_when_unchanged(client):
    make_article()
    for url, content_type in ((CSV, "text/csv"), (JSON_LINES, "application/jsonl")):
        response, _text = read(client, url)
        assert response["Content-Type"].startswith(content_type)
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Access-Control-Allow-Origin"] == "*"
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        make_article()
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200


def test_drafts_and_scheduled_articles_are_in_no_export(client):
    make_article(title="Public story")
    make_article(title="Draft story", status=Article.Status.DRAFT)
    make_article(title="Scheduled story", days_ago=-1)
    for params in ({}, {"q": "story"}):
        assert [row["title"] for row in csv_rows(client, params)] == ["Public story"]
        assert [row["title"] for row in json_rows(client, params)] == ["Public story"]


def test_the_search_page_and_entity_pages_link_their_exports_and_feed(client, seeded):
    search = client.get("/search/", {"q": "Taliban"}).text
    assert 'href="/search/export.csv?q=Taliban"' in search
    assert 'href="/search/export.jsonl?q=Taliban"' in search
    assert (
        'href="/search/feed/?q=Taliban" type="application/atom+xml">Follow this search</a>'
        in search
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" href="/search/feed/?q=Taliban"' in search
    )
    person = client.get("/people/faiz-hameed/").text
    assert 'href="/search/export.csv?person=faiz-hameed"' in person
    assert 'href="/search/export.jsonl?person=faiz-hameed"' in person

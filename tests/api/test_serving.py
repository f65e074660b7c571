"""What every API address does around its operation: the page cache and 304, CORS, HEAD
and OPTIONS, and errors in JSON."""

import pytest
from django.test import Client

from tests.support.factories import make_article

pytestmark = pytest.mark.django_db

ADDRESSES = ["/api/v1/", "/api/v1/articles", "/api/v1/people", "/api/v1/openapi.json"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_answers_are_cached_until_the_archive_changes_and_answer_304(
    client, address, django_assert_num_queries
):
    make_article(title="First story")
    first = client.get(address)
    assert first.status_code == 200 and first["ETag"]
    assert first["Cache-Control"] == "public, no-cache"
    with django_assert_num_queries(1):  # the archive's state
        assert client.get(address).content == first.content
    with django_assert_num_queries(1):
        assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    make_article(title="Second story")
    assert client.get(address, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_unknown_parameters_are_ignored_and_do_not_split_the_cache(client):
    make_article()
    first = client.get("/api/v1/articles", {"limit": 5})
    again = client.get("/api/v1/articles", {"limit": 5, "utm_source": "x"})
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("address", ["/api/v1/articles", "/api/v1/articles/none", "/api/v1/x"])
def test_any_site_may_read_the_api(client, address):
    response = client.get(address, HTTP_ORIGIN="https://notebook.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    if address != "/api/v1/x":  # an address of no operation has no ETag to show
        assert "ETag" in response["Access-Control-Expose-Headers"]


def test_a_preflight_is_answered_for_reading_only(client):
    response = client.options(
        "/api/v1/articles",
        HTTP_ORIGIN="https://notebook.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_head_answers_as_get_without_the_body(client):
    make_article()
    get = client.get("/api/v1/articles")
    head = client.head("/api/v1/articles")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get.content)) and head["ETag"] == get["ETag"]


@pytest.mark.parametrize("csrf_checks", [False, True], ids=["with a token", "without"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(method, csrf_checks):
    client = Client(enforce_csrf_checks=csrf_checks)
    response = getattr(client, method)("/api/v1/articles", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["detail"].startswith("The API is read-only")
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_errors_before_any_view_are_json_too(client):
    response = client.get("/api/v1/articles", {"q": "nul\x00byte"})
    assert response.status_code == 400
    assert "NUL byte" in response.json()["detail"]
    # The site's pages keep their HTML page.
    assert "text/html" in client.get("/search/", {"q": "nul\x00byte"})["Content-Type"]


def test_unknown_addresses_are_404_in_json(client):
    for address in ("/api/v1/nothing", "/api/v1/articles/a/b", "/api/v2/"):
        response = client.get(address)
        assert response.status_code == 404, address
        if address.startswith("/api/v1/"):
            assert response.json() == {"detail": "Not found.", "problems": []}


def test_the_schema_is_openapi_3_1_and_declares_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    paths = schema["paths"]
    for path in ("/api/v1/articles", "/api/v1/articles/{slug}", "/api/v1/search",
                 "/api/v1/people", "/api/v1/places/{slug}", "/api/v1/events",
                 "/api/v1/organisations/{slug}"):  # fmt: skip
        assert "get" in paths[path], path
    parameters = {p["name"] for p in paths["/api/v1/articles"]["get"]["parameters"]}
    assert parameters == {
        "q", "person", "place", "event", "organisation", "year", "source", "from", "to",
        "language", "cursor", "limit",
    }  # fmt: skip
    assert "400" in paths["/api/v1/articles"]["get"]["responses"]


def test_the_documentation_page_is_served_by_the_project(client):
    page = client.get("/api/v1/docs/").text
    assert 'data-openapi-url="/api/v1/openapi.json"' in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "https://" not in page  # nothing from another origin
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    assert 'href="/api/v1/docs/"' in client.get("/").text  # linked from every page

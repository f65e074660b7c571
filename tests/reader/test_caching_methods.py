"""Public pages answer GET and HEAD, OPTIONS with what they allow, and any other method
with 405; a page served from the cache carries the headers it had when it was made."""

import pytest

from articles.models import Entity
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/articles/border-story/",
    "/search/?q=border",
    "/search/suggest/?q=kho",
    "/feed/",
    "/places/",
    "/places/khost/",
    "/places/khost/feed/",
    "/sitemap.xml",
    "/sitemap-articles.xml",
]
ALLOWED = "GET, HEAD, OPTIONS"


@pytest.fixture
def archive(db):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_article(title="Border story", slug="border-story", tags=[khost])


@pytest.mark.parametrize("path", PATHS)
def test_options_says_what_a_page_allows_without_a_body(client, archive, path):
    response = client.options(path)
    assert response.status_code == 200
    assert response["Allow"] == ALLOWED
    assert response.content == b"" and response["Content-Length"] == "0"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "trace"])
def test_other_methods_are_not_allowed(client, archive, path, method):
    # The test client skips the CSRF check, which refuses a real POST without a token first.
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == ALLOWED
    assert response.content == b""


def same_response_headers(response) -> dict:
    """The headers two answers to one address share: all but its length, whether the cache
    answered (X-Cache) and the request id, which is each request's own."""
    return {
        k: v for k, v in response.items() if k not in {"Content-Length", "X-Cache", "X-Request-ID"}
    }


@pytest.mark.parametrize("path", PATHS)
def test_head_answers_as_get_does_without_the_body(client, archive, path):
    head_first = client.head(path)  # made on a miss, and stored
    get = client.get(path)
    head_again = client.head(path)  # from the cache
    assert get.status_code == head_first.status_code == head_again.status_code == 200
    for head in (head_first, head_again):
        assert head.content == b""
        assert head["Content-Length"] == str(len(get.content))
        assert same_response_headers(head) == same_response_headers(get)


@pytest.mark.parametrize("path", PATHS)
def test_a_page_from_the_cache_has_the_headers_it_was_made_with(client, archive, path):
    made = client.get(path)
    cached = client.get(path)
    assert made.status_code == cached.status_code == 200
    assert (made["X-Cache"], cached["X-Cache"]) == ("miss", "hit")
    assert same_response_headers(cached) == same_response_headers(made)
    assert cached["X-Request-ID"] != made["X-Request-ID"]
    assert cached["Cache-Control"] == "public, no-cache"
    assert cached.content == made.content


def test_sitemaps_tell_robots_not_to_index_them_from_the_cache_too(client, archive):
    for _ in range(2):
        assert client.get("/sitemap-articles.xml")["X-Robots-Tag"] == "noindex, noodp, noarchive"


def test_feeds_say_when_they_last_changed_from_the_cache_too(client, archive):
    made, cached = client.get("/feed/"), client.get("/feed/")
    assert cached["Last-Modified"] == made["Last-Modified"]


@pytest.mark.urls("tests.support.caching_urls")
def test_a_page_holding_a_csp_nonce_is_never_served_again(client):
    nonces = set()
    for _ in range(2):
        response = client.get("/script/")
        nonce = response.text.split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.add(nonce)
    assert len(nonces) == 2


@pytest.mark.urls("tests.support.caching_urls")
def test_a_page_that_varies_with_a_request_header_is_not_kept(client):
    assert client.get("/language/", HTTP_ACCEPT_LANGUAGE="ps").text == "ps"
    assert client.get("/language/", HTTP_ACCEPT_LANGUAGE="ur").text == "ur"

"""A cached page is keyed by what it shows, and nothing a request carries beyond its address
changes what another reader is served: not its headers, not the WSGI environ a server fills
from them, not query parameters the page does not read."""

import pytest
from django.core.handlers.wsgi import get_script_name
from django.db import connection
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, set_script_prefix

from articles.models import Entity
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def queries_for(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(path, params or {})
    return len(captured.captured_queries)


def canonical_link(response) -> str:
    html = response.text
    start = html.index('<link rel="canonical" href="') + len('<link rel="canonical" href="')
    return html[start : html.index('"', start)]


# Script prefix, hosts and schemes.


class ServerHandler(ClientHandler):
    """The test client's handler, setting the script prefix from the environ as Django's
    WSGI handler (the one gunicorn calls) does: reverse() then writes links under it."""

    def __call__(self, environ):
        set_script_prefix(get_script_name(environ))
        return super().__call__(environ)


@pytest.fixture
def server():
    """A client served as gunicorn serves the site."""
    client = Client()
    client.handler = ServerHandler(enforce_csrf_checks=False)
    yield client
    clear_script_prefix()  # a thread-local the test client otherwise never sets


def test_a_script_name_sent_by_one_reader_changes_no_other_readers_page(server):
    """gunicorn takes SCRIPT_NAME from a request header (from addresses it trusts) and
    strips it from the path: /people/ with SCRIPT_NAME /people reaches Django as / ."""
    make_entity(name="Faiz Hameed")
    make_article(title="Border story")
    sent = server.get("/people/", SCRIPT_NAME="/people", PATH_INFO="/")
    assert "/people/articles/" not in sent.text
    plain = server.get("/people/")
    assert "Faiz Hameed" in plain.text and "Border story" not in plain.text
    assert "/people/articles/" not in plain.text


def test_a_deployment_under_a_sub_path_sets_its_prefix_in_the_settings(server, settings):
    settings.FORCE_SCRIPT_NAME = "/archive"
    article = make_article(title="Border story")
    page = server.get("/", SCRIPT_NAME="/elsewhere")
    assert f'href="/archive/articles/{article.slug}/"' in page.text
    assert canonical_link(page) == "http://testserver/archive/"


def test_a_forwarded_host_header_is_not_believed(client):
    make_article(title="Border story")
    sent = client.get("/", HTTP_X_FORWARDED_HOST="evil.example")
    assert "evil.example" not in sent.text
    assert "evil.example" not in client.get("/").text


@pytest.mark.parametrize(
    ("host", "scheme"),
    [
        ("testserver", "http"),
        ("testserver", "https"),
        ("localhost", "http"),
        ("localhost", "https"),
    ],
)
def test_each_scheme_and_host_has_its_own_pages(client, settings, host, scheme):
    """Pages hold absolute links, made from the scheme (which production takes from the
    proxy's X-Forwarded-Proto) and the host: both are part of the key."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    make_article(title="Border story")
    for other_host in ["testserver", "localhost"]:
        for other_scheme in ["http", "https"]:
            client.get("/", HTTP_HOST=other_host, HTTP_X_FORWARDED_PROTO=other_scheme)
    page = client.get("/", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO=scheme)
    assert canonical_link(page) == f"{scheme}://{host}/"


# Query parameters.


@pytest.fixture
def archive(db):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    for number in range(21):  # two pages of the home page
        make_article(title=f"Khost border story {number}", tags=[khost])
    return khost


PAGES = {
    "home": ("/", {"page": "2"}),
    "article": ("/articles/article-x/", {}),
    "entity": ("/places/khost/", {"page": "1"}),
    "entity list": ("/places/", {}),
    "search": ("/search/", {"q": "border", "place": "khost", "page": "1"}),
    "suggest": ("/search/suggest/", {"q": "kho"}),
    "feed": ("/feed/", {}),
    "entity feed": ("/places/khost/feed/", {}),
    "sitemap": ("/sitemap.xml", {}),
    "sitemap page": ("/sitemap-articles.xml", {"p": "1"}),
}


@pytest.mark.parametrize("name", PAGES)
def test_parameters_a_page_does_not_read_make_no_new_cache_entries(client, archive, name):
    path, params = PAGES[name]
    if name == "article":
        path = archive.mentions.first().article.get_absolute_url()
    first = client.get(path, {**params, "junk": "1"})
    assert first.status_code == 200
    # A cached page costs one query (the archive's state): the second is served from cache.
    assert queries_for(client, path, {"utm_source": "mail", **params, "junk": "2"}) == 1
    assert queries_for(client, path, params) == 1


@pytest.mark.parametrize(
    ("path", "params", "page", "same_page"),
    [
        ("/", {}, "2", "02"),
        ("/places/khost/", {}, "1", "+1"),
        ("/sitemap-articles.xml", {}, "1", " 1"),
        ("/search/", {"q": "border"}, "1", "001"),
    ],
)
def test_a_page_number_written_two_ways_is_one_cache_entry(
    client, archive, path, params, page, same_page
):
    name = "p" if "sitemap" in path else "page"
    first = client.get(path, {**params, name: page})
    assert first.status_code == 200
    assert queries_for(client, path, {**params, name: same_page}) == 1


@pytest.mark.parametrize(
    ("path", "params", "page"),
    [
        ("/places/khost/", {}, "abc"),
        ("/places/khost/", {}, "999"),
        ("/search/", {"q": "border"}, "0"),
        ("/search/", {"q": "border"}, "7"),
    ],
)
def test_a_page_number_the_view_does_not_serve_as_asked_is_not_cached(
    client, archive, path, params, page
):
    """Each of these is answered with the first or the last page, which has an address of
    its own: kept under every such number, they would fill the cache with copies."""
    assert client.get(path, {**params, "page": page}).status_code == 200
    assert queries_for(client, path, {**params, "page": page}) > 1


def test_a_page_shows_no_parameter_it_does_not_read(client, archive):
    """What a page shows depends only on what keys it: its canonical address too."""
    first = client.get("/", {"page": "2", "utm_source": "<mail>"})
    assert canonical_link(first) == "http://testserver/?page=2"
    again = client.get("/", {"page": "2"})
    assert canonical_link(again) == "http://testserver/?page=2"
    assert "mail" not in again.text


def test_every_filter_of_a_search_keys_its_page(client, archive):
    """Repeated parameters (filters) key the page with every value."""
    other = make_entity(Entity.Kind.PLACE, "Gardez", slug="gardez")
    one = client.get("/search/", {"q": "border", "place": "khost"})
    both = client.get("/search/", {"q": "border", "place": ["khost", "gardez"]})
    assert one["ETag"] != both["ETag"]
    assert "Gardez" in both.text and other.name not in one.text

"""A NUL byte anywhere in a request (a parameter's name or value, GET or POST, a file name,
the path, a cookie, a header) is refused with a 400 that says so, on every page: PostgreSQL
text cannot hold one, so letting it through made some pages fail with a 500."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.security.test_access import admin_urls
from tests.support.factories import make_article, make_entity
from tests.support.xss.routes import public_routes

pytestmark = pytest.mark.django_db

REFUSAL = "contains a NUL byte"


@pytest.fixture
def chief(db):
    """A superuser, who may open every admin page."""
    client = Client()
    client.force_login(User.objects.create_superuser("chief", password="a-long-password"))
    return client


def every_url():
    """Every admin and public URL pattern, its converters filled with values that exist."""
    entity, article = make_entity(slug="x-1"), make_article(slug="x-1")
    urls = [
        url.replace("/1/", f"/{article.pk}/")
        for pattern, url in admin_urls()
        if pattern.name != "logout"  # a POST there would end the session the test uses
    ]
    urls += [re.sub(r"<(?:\w+:)?\w+>", "x-1", "/" + route) for route, _ in public_routes()]
    assert entity.pk and len(urls) > 50
    return urls


def assert_refused(response, named):
    assert response.status_code == 400, response.status_code
    if response["Content-Type"].startswith("application/json"):  # the API's addresses
        detail = response.json()["detail"]
        assert "holds a NUL byte" in detail and named in detail
    else:
        assert REFUSAL in response.text and named in response.text
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "query",
    ["language=%00", "status=%00", "source_name=%00", "source_name=Da%00wn", "q=%00", "o=%00"],
)
def test_a_nul_in_an_admin_list_filter_is_refused(editor_client, query):
    make_article(source_name="Dawn")
    response = editor_client.get(f"/admin/articles/article/?{query}")
    assert_refused(response, query.partition("=")[0])


def test_a_nul_in_any_parameter_of_any_page_is_refused(chief):
    for url in every_url():
        assert_refused(chief.get(url, {"page": "2\x00"}), "page")
        assert_refused(chief.get(url, {"fi\x00eld": "x"}), "fi")
        assert_refused(chief.post(url, {"title": "a\x00b"}), "title")


def test_the_refusal_shows_a_hostile_parameter_name_as_text(client):
    response = client.get("/", {"<script>alert(1)</script>\x00": "x"})
    assert_refused(response, "&lt;script&gt;alert(1)&lt;/script&gt;\\0")
    assert "<script>alert" not in response.text


@pytest.mark.parametrize(
    "url", ["/search/?q=%00", "/search/?source=%00", "/search/suggest/?q=%20%00%20"]
)
def test_the_public_search_refuses_a_nul_as_every_page_does(client, url):
    assert_refused(client.get(url), "q" if "q=" in url else "source")


def test_a_nul_in_the_path_is_refused(client):
    make_entity(slug="khost")
    for url in ["/people/kh%00ost/", "/articles/%00/", "/search%00/", "/admin/%00/"]:
        assert_refused(client.get(url), "address")


def test_a_nul_in_a_login_is_refused_and_not_recorded(client):
    response = client.post("/admin/login/", {"username": "ed\x00", "password": "x"})
    assert_refused(response, "username")


def test_a_nul_in_an_uploaded_file_name_is_dropped_by_django(editor_client):
    upload = SimpleUploadedFile("chaman\x00.md", b"---\ntitle: T\n---\nText.\n")
    response = editor_client.post("/admin/articles/article/import/", {"files": [upload]})
    assert response.status_code == 200 and "<td>chaman.md</td><td>created</td>" in response.text


@pytest.mark.parametrize(
    "cookie", ["sessionid=\x00\x00\x00\x00\x00\x00\x00\x00", "csrftoken=a\x00b"]
)
def test_a_nul_in_a_cookie_is_refused(client, cookie):
    make_article()
    assert_refused(client.get("/", HTTP_COOKIE=cookie), "cookie")
    assert_refused(client.get("/admin/", HTTP_COOKIE=cookie), "cookie")


def test_a_nul_in_a_header_is_refused(client):
    response = client.post(
        "/admin/login/", {"username": "ed", "password": "x"}, HTTP_USER_AGENT="curl\x00"
    )
    assert_refused(response, "User-Agent")


def test_text_without_a_nul_passes(editor_client, client):
    make_article(source_name="Dawn")
    assert editor_client.get("/admin/articles/article/?source_name=Dawn").status_code == 200
    assert client.get("/search/?q=%01khost%0A").status_code == 200

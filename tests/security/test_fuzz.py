"""No 5xx from any input: hypothesis throws arbitrary slugs, page numbers, filters, search
text (any Unicode, NUL bytes, invalid UTF-8 and percent-encodings), methods and headers at
every public URL pattern — found by walking the URL resolver, so pages added later are
fuzzed too — and every answer must be 2xx, 3xx or 4xx."""

import datetime
import time
from urllib.parse import quote_from_bytes

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles.models import Article, Entity
from tests.conftest import SEEDS
from tests.support.factories import make_article, make_entity
from tests.support.xss.bounds import bound_statements
from tests.support.xss.routes import public_routes

ROUTES = {route: pattern for route, pattern in public_routes()}
EXAMPLES_PER_ROUTE = 60
KNOWN_PARAMETERS = [
    "page", "q", "person", "place", "event", "organisation", "year", "source", "sort",
    "format", "kind", "slug", "csrfmiddlewaretoken", "next",
]  # fmt: skip
SPECIAL_VALUES = [
    "", "0", "-1", "1", "2", "3.5", "1e9", "99999999999999999999999999", "last", "NaN", "inf",
    "\x00", "%", "%00", "%zz", "'", '"', "\\", "--", "'; SELECT pg_sleep(5); --", "../../etc",
    "\u202e", "\ufeff", "\ud800", "a" * 400, " ", "\t\n", "khost", "faiz-hameed", "pakistan",
    '"phrase', "-", "or", "OR OR", "!", "&", "|", "<->", ":*", "(", ")", "*",
]  # fmt: skip
SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789-_ABCXYZ"


def encode(value: str | bytes) -> str:
    data = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(data, safe="")


values = (
    st.sampled_from(SPECIAL_VALUES)
    | st.text(max_size=60)
    | st.binary(max_size=40)
    | st.integers(min_value=-(10**30), max_value=10**30).map(str)
)
names = st.sampled_from(KNOWN_PARAMETERS) | st.text(min_size=1, max_size=12)
query_strings = st.one_of(
    st.just(""),
    st.lists(st.tuples(names, values), max_size=6).map(
        lambda pairs: "&".join(f"{encode(n)}={encode(v)}" for n, v in pairs)
    ),
    st.sampled_from(["%", "%%", "&&&", "=", "==&=", "q", "q=%ff%fe", "page=%00", "q=%ed%a0%80"]),
)
methods = st.sampled_from(["GET"] * 6 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.sampled_from(["ps", "fa-AF", "*", "x" * 300, "ps;q=nan"]),
        "HTTP_COOKIE": st.sampled_from(
            ["sessionid=garbage", "csrftoken=\x7f", "sessionid=" + "a" * 5000, "=;=;"]
        ),
        "HTTP_IF_MODIFIED_SINCE": st.sampled_from(["yesterday", "Mon, 99 Foo 9999 99:99:99"]),
        "HTTP_IF_NONE_MATCH": st.sampled_from(['"x"', "*", "W/"]),
        "HTTP_RANGE": st.sampled_from(["bytes=0-0", "bytes=-1", "bytes=9-1"]),
        "HTTP_ACCEPT": st.sampled_from(["application/json", "*/*;q=abc", ""]),
        "HTTP_X_FORWARDED_PROTO": st.sampled_from(["https", "gopher"]),
    },
)


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The seeds and a few more articles (published, draft, scheduled) tagged with the
    seeds' entities, committed once for the module and removed afterwards; the slugs."""
    with django_db_blocker.unblock():
        last_article = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
        last_entity = Entity.objects.order_by("-pk").values_list("pk", flat=True).first()
        call_command("import_articles", str(SEEDS), verbosity=0)
        people = list(Entity.objects.filter(kind="person")[:3])
        event = make_entity(Entity.Kind.EVENT, "Fuzz event", start_date=datetime.date(2025, 1, 1))
        for number in range(25):
            make_article(title=f"Fuzz story {number}", tags=[*people[: number % 3 + 1], event])
        make_article(title="Fuzz draft", status="draft", published_at=None)
        make_article(title="Fuzz scheduled", published_at=timezone.now() + datetime.timedelta(1))
        slugs = {"article": list(Article.objects.values_list("slug", flat=True))}
        for kind in Entity.Kind.values:
            slugs[kind] = list(Entity.objects.filter(kind=kind).values_list("slug", flat=True))
        lift_bound = bound_statements()
    yield slugs
    with django_db_blocker.unblock():
        lift_bound()
        Article.objects.filter(pk__gt=last_article or 0).delete()
        Entity.objects.filter(pk__gt=last_entity or 0).delete()


def fill(route: str, pattern, data, known_slugs: list[str]) -> str:
    """``route`` with each converter replaced by a drawn value: often a real slug, else
    anything (percent-encoded)."""
    path = "/" + route
    for name in pattern.pattern.converters:
        value = data.draw(
            st.sampled_from(known_slugs or ["x"])
            | st.text(alphabet=SLUG_ALPHABET, min_size=1, max_size=300)
            | st.text(min_size=1, max_size=40).map(encode)
            | st.sampled_from(["..", "%2e%2e", "%00", "%ff", "a%2fb", "-", "_" * 250]),
            label=name,
        )
        start = path.index("<")
        end = path.index(">", start)
        path = path[:start] + value + path[end + 1 :]
    return path


def known_slugs_for(pattern, archive) -> list[str]:
    name = pattern.name or ""
    for key, slugs in archive.items():
        if name.startswith(key):
            return slugs
    return []


def request(client: Client, method: str, url: str, extra: dict):
    """The response, with whatever the request did to the database rolled back."""
    savepoint = transaction.savepoint_create()
    try:
        return client.generic(method, url, **extra)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda route: f"/{route}")
@settings(
    max_examples=EXAMPLES_PER_ROUTE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_public_url_answers_any_input_without_a_server_error(archive, route, data):
    pattern = ROUTES[route]
    path = fill(route, pattern, data, known_slugs_for(pattern, archive))
    query = data.draw(query_strings, label="query")
    method = data.draw(methods, label="method")
    extra = data.draw(headers, label="headers")
    client = Client(raise_request_exception=False)
    response = request(client, method, f"{path}?{query}" if query else path, extra)
    event(f"{method} → {response.status_code}")  # pytest --hypothesis-show-statistics
    assert response.status_code < 500, (method, path, query, extra, response.status_code)


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    segments=st.lists(
        st.sampled_from(["articles", "people", "search", "suggest", "static", "admin", "..",
                         ".", "", "%00", "%ff", "%2f", "index.html", "😀"])
        | st.text(max_size=20).map(encode),
        max_size=5,
    )
)  # fmt: skip
def test_any_path_answers_without_a_server_error(archive, segments):
    client = Client(raise_request_exception=False)
    path = "/" + "/".join(segments)
    response = request(client, "GET", path, {})
    assert response.status_code < 500, (path, response.status_code)


@pytest.mark.django_db
def test_a_phrase_that_matches_often_does_not_exhaust_the_database(archive):
    """ts_headline over a long phrase of repeated words that matches a document hundreds of
    times took PostgreSQL gigabytes (a server process was killed for memory, and with it
    every connection). The statement timeout of these tests keeps that from happening
    here; the search must stay well inside it."""
    entity = make_entity(Entity.Kind.ORGANISATION, "Pakistan Taliban " * 6)
    make_article(title="Chant", body="Pakistan Taliban " * 400, tags=[entity])
    client = Client(raise_request_exception=False)
    # The process's first page loads its templates, catalogues and the modules they import:
    # that is not the search's time, so it is spent before the clock starts.
    assert request(client, "GET", f"{reverse('articles:search')}?q=chant", {}).status_code == 200
    for query in ['"' + "pakistan taliban " * 12 + '"', "Pakistan Taliban " * 6]:
        started = time.monotonic()
        response = request(client, "GET", f"{reverse('articles:search')}?q={encode(query)}", {})
        assert response.status_code == 200, response.status_code
        assert time.monotonic() - started < 2

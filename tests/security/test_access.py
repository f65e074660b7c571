"""Access: drafts and scheduled articles are invisible to anonymous readers on every
surface (pages, search, suggestions, entity pages, counts, facets); every admin page
requires a staff login; CSRF protection covers every view. URL patterns are found by
walking the resolver, so pages added later are covered too."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from articles.models import Entity
from tests.support.factories import make_article, make_entity
from tests.support.xss.routes import public_routes

pytestmark = pytest.mark.django_db

HIDDEN_WORDS = {"draft": "Zarghunword", "scheduled": "Paktikword"}


@pytest.fixture
def hidden():
    """A published article, a draft and a scheduled one. Some entities are mentioned only
    by the hidden ones, and the hidden ones carry their own words, source and year."""
    shared = make_entity(Entity.Kind.PLACE, "Torkham", slug="torkham")
    only_hidden = make_entity(Entity.Kind.PERSON, "Hidden Person", aliases=["Zarghun Khan"])
    only_scheduled = make_entity(
        Entity.Kind.EVENT, "Scheduled Event", start_date=datetime.date(2030, 1, 1)
    )
    visible = make_article(title="Torkham reopens", source_name="Dawn", tags=[shared])
    draft = make_article(
        title=f"{HIDDEN_WORDS['draft']} draft about Torkham",
        body=f"{HIDDEN_WORDS['draft']} at Torkham.",
        status="draft",
        published_at=None,
        source_name="Draft Desk",
        tags=[shared, only_hidden],
    )
    scheduled = make_article(
        title=f"{HIDDEN_WORDS['scheduled']} scheduled about Torkham",
        body=f"{HIDDEN_WORDS['scheduled']} at Torkham.",
        published_at=timezone.now() + datetime.timedelta(days=400),
        source_name="Future Desk",
        tags=[shared, only_hidden, only_scheduled],
    )
    return {
        "visible": visible,
        "articles": [draft, scheduled],
        "entities": [shared, only_hidden, only_scheduled],
        "only hidden": [only_hidden, only_scheduled],
    }


def public_urls(hidden) -> list[str]:
    """Every public page and answer that could show the hidden articles."""
    entities, articles = hidden["entities"], hidden["articles"]
    urls = []
    for route, pattern in public_routes():
        if not pattern.pattern.converters:
            urls.append("/" + route)
        elif pattern.name == "article_detail":
            urls.append(hidden["visible"].get_absolute_url())
        elif pattern.name.endswith("_detail"):
            urls += [e.get_absolute_url() for e in entities if pattern.name == f"{e.kind}_detail"]
    search, suggest = reverse("articles:search"), reverse("articles:search_suggest")
    queries = [*HIDDEN_WORDS.values(), "Torkham", "Zarghun Khan", "Hidden Person", "Scheduled"]
    urls += [f"{search}?q={q}" for q in queries] + [f"{suggest}?q={q}" for q in queries]
    urls += [f"{search}?person={entities[1].slug}", f"{search}?event={entities[2].slug}"]
    urls += [
        f"{search}?source=Draft+Desk",
        f"{search}?q=Torkham&year={articles[1].published_at.year}",
    ]
    return urls


def test_hidden_articles_appear_on_no_public_surface(client, hidden):
    leaks = {}
    markers = [*HIDDEN_WORDS.values(), "Draft Desk", "Future Desk"]
    markers += [a.slug for a in hidden["articles"]] + [
        str(a.published_at) for a in hidden["articles"] if a.published_at
    ]
    for url in public_urls(hidden):
        response = client.get(url)
        assert response.status_code == 200, url
        # What was asked is shown back (in the box, the heading, the filters): no leak.
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode().lower()
        for asked in response.wsgi_request.GET.values():
            text = text.replace(asked.lower(), "")
        found = [m for m in markers if m.lower() in text]
        if found:
            leaks[url] = found
    assert not leaks, leaks
    for article in hidden["articles"]:
        assert client.get(article.get_absolute_url()).status_code == 404


def test_hidden_articles_count_nowhere(client, hidden):
    shared, only_hidden, only_scheduled = hidden["entities"]
    # Entity pages and lists count published articles only.
    assert "(1)" in client.get(shared.get_absolute_url()).text
    for entity in hidden["only hidden"]:
        page = client.get(entity.get_absolute_url()).text
        assert "(0)" in page and "No published article mentions" in page
        listing = client.get(reverse(f"articles:{entity.kind}_list")).text
        assert re.search(rf">{entity.name}</a> <span class=\"count\">0 articles", listing)
    # Nor are entities "mentioned alongside" through hidden articles only.
    alongside = client.get(shared.get_absolute_url()).text
    assert only_hidden.name not in alongside and only_scheduled.name not in alongside
    # Search: no results, no facet, no count.
    search = client.get(reverse("articles:search"), {"q": "Torkham"}).text
    assert ">1 article</p>" in search
    assert 'class="search-facets"' in search
    for hidden_name in [only_hidden.name, only_scheduled.name, "Draft Desk", "Future Desk"]:
        assert hidden_name not in search
    for word in HIDDEN_WORDS.values():
        assert ">0 articles</p>" in client.get(reverse("articles:search"), {"q": word}).text
    for name in ["Zarghun", "Scheduled Ev"]:
        results = client.get(reverse("articles:search_suggest"), {"q": name}).json()["results"]
        assert results and all(r["article_count"] == 0 for r in results)


def admin_urls():
    """Every admin URL, its converters filled with a plausible value."""

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                yield entry, re.sub(r"<(?:\w+:)?\w+>", "1", prefix + route)

    return list(walk(admin.site.urls[0], "/admin/"))


# The login page is public; logging out shows nothing.
PUBLIC_ADMIN_VIEWS = {"login", "logout"}


def test_every_admin_page_requires_a_staff_login(client, hidden):
    ordinary = User.objects.create_user("reader", password="a-long-password")
    as_reader = Client()
    as_reader.force_login(ordinary)
    checked = 0
    for pattern, url in admin_urls():
        if pattern.name in PUBLIC_ADMIN_VIEWS:
            continue
        for who, visitor in [("anonymous", client), ("non-staff", as_reader)]:
            response = visitor.get(url)
            assert response.status_code == 302, (who, url, response.status_code)
            assert response["Location"].startswith("/admin/login/"), (who, url)
        checked += 1
    assert checked > 40
    print(f"\n{checked} admin URL patterns refuse anonymous and non-staff visitors")


def test_no_view_is_exempt_from_csrf_protection():
    exempt = []
    routes = [(f"/{r}", p) for r, p in public_routes()] + [(u, p) for p, u in admin_urls()]
    for url, pattern in routes:
        callback = pattern.callback
        if getattr(callback, "csrf_exempt", False):
            exempt.append(url)
    assert not exempt


def test_a_post_without_a_csrf_token_is_refused_everywhere(hidden):
    staff = User.objects.create_superuser("chief", password="a-long-password")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    urls = [f"/{r}" for r, p in public_routes() if not p.pattern.converters]
    urls += [url for pattern, url in admin_urls() if "<" not in url]
    urls += [reverse("admin:articles_article_add"), reverse("admin:articles_import")]
    for url in urls:
        response = client.post(url, {"title": "x"})
        # The API refuses any write, token or not (newsarchive.middleware.csrf_failure).
        refusal = 405 if url.startswith("/api/") else 403
        assert response.status_code == refusal, (url, response.status_code)

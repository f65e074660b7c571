"""Drafts and scheduled articles appear in no format the archive publishes: the API, the
exports, the feeds, citations and structured data. One test per format, each with a
public article beside them that it does show."""

import pytest

from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

PUBLIC, DRAFT, SCHEDULED = "Khost public story", "Khost secret draft", "Khost scheduled story"

FORMATS = {
    "API article list": "/api/v1/articles",
    "API article list, filtered": "/api/v1/articles?place=khost&q=Khost",
    "API search": "/api/v1/search?q=Khost",
    "API search by entity": "/api/v1/search?place=khost",
    "CSV export": "/search/export.csv?q=Khost",
    "JSON Lines export": "/search/export.jsonl?place=khost",
    "search feed": "/search/feed/?q=Khost",
    "entity feed": "/places/khost/feed/",
    "site feed": "/feed/",
    "entity page (JSON-LD, OpenGraph)": "/places/khost/",
    "search page": "/search/?q=Khost",
}


@pytest.fixture
def articles(db):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    public = make_article(title=PUBLIC, slug="public", tags=[khost])
    draft = make_article(title=DRAFT, slug="draft", status=Article.Status.DRAFT, tags=[khost])
    scheduled = make_article(title=SCHEDULED, slug="scheduled", days_ago=-2, tags=[khost])
    return public, draft, scheduled


@pytest.mark.parametrize("address", FORMATS.values(), ids=FORMATS.keys())
def test_no_format_shows_a_draft_or_scheduled_article(client, articles, address):
    response = client.get(address)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode()
    assert DRAFT not in text and SCHEDULED not in text
    assert "/draft" not in text and "/scheduled" not in text
    assert PUBLIC in text


@pytest.mark.parametrize(
    "suffix",
    ["/api/v1/articles/{slug}", "/articles/{slug}/", "/articles/{slug}/cite.bib",
     "/articles/{slug}/cite.ris", "/articles/{slug}/cite.json"],
)  # fmt: skip
def test_a_draft_or_scheduled_article_has_no_address_in_any_format(client, articles, suffix):
    public, draft, scheduled = articles
    assert client.get(suffix.format(slug=public.slug)).status_code == 200
    for hidden in (draft, scheduled):
        assert client.get(suffix.format(slug=hidden.slug)).status_code == 404


def test_entity_counts_in_the_api_leave_them_out(client, articles):
    assert client.get("/api/v1/places/khost").json()["article_count"] == 1
    [place] = client.get("/api/v1/places").json()["items"]
    assert place["article_count"] == 1

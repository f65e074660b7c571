import datetime
import re

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article, Entity
from articles.reader.sitemaps import ArticleSitemap
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def test_the_feed_lists_published_articles_with_sanitised_bodies(client):
    make_article(title="Published story", body="Hello <script>alert(1)</script>**world**")
    make_article(title="Secret draft", status=Article.Status.DRAFT)
    make_article(title="Scheduled story", published_at=timezone.now() + datetime.timedelta(days=1))
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "Published story" in feed
    assert "Secret draft" not in feed and "Scheduled story" not in feed
    assert "&lt;strong&gt;world&lt;/strong&gt;" in feed
    assert "script" not in feed


def test_each_entity_has_a_feed_of_its_articles(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_article(title="Market day in Khost", tags=[khost])
    make_article(title="Elsewhere")
    feed = client.get("/places/khost/feed/").content.decode()
    assert "Market day in Khost" in feed and "Elsewhere" not in feed
    assert client.get("/people/khost/feed/").status_code == 404


def test_the_sitemap_lists_published_articles_and_entities_only(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_article(slug="published-story", tags=[khost])
    make_article(slug="secret-draft", status=Article.Status.DRAFT)
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-\w+\.xml)</loc>", index)
    assert sections == ["/sitemap-pages.xml", "/sitemap-articles.xml", "/sitemap-entities.xml"]
    sitemap = "".join(client.get(section).content.decode() for section in sections)
    assert "/articles/published-story/" in sitemap
    assert "secret-draft" not in sitemap
    assert "/places/khost/" in sitemap and "/places/</loc>" in sitemap
    assert "/timeline/</loc>" in sitemap and "/map/</loc>" in sitemap
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_every_article_is_in_a_page_of_the_sitemap_at_a_constant_cost(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for number in range(5):
        make_article(slug=f"story-{number}", days_ago=number + 1)
    make_entity(Entity.Kind.PLACE, "Khost")
    make_entity(Entity.Kind.PERSON, "Faiz Hameed", slug="faiz-hameed")
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-articles.xml?p=3" in index and "?p=4" not in index
    listed = []
    for page in (1, 2, 3):
        with django_assert_max_num_queries(4):  # with the archive's state, read twice
            response = client.get("/sitemap-articles.xml", {"p": page})
        listed += re.findall(r"/articles/(story-\d)/", response.content.decode())
    assert listed == [f"story-{number}" for number in range(5)]  # newest first
    assert client.get("/sitemap-articles.xml", {"p": 4}).status_code == 404
    with django_assert_max_num_queries(4):
        assert "/people/faiz-hameed/" in client.get("/sitemap-entities.xml").text


def test_pages_announce_the_feed(client):
    assert 'type="application/atom+xml" href="/feed/"' in client.get("/").text


def test_control_characters_in_titles_do_not_break_the_feed(client):
    make_article(title="Vertical\x0btab and \x1bescape", body="Body\x0c text.")
    response = client.get("/feed/")
    assert response.status_code == 200
    assert "Verticaltab and escape" in response.content.decode()


# Alert feeds for any search, and every feed read by a feed reader's parser.


def parsed(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_a_search_has_a_feed_of_its_newest_matches(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_article(title="Khost market", tags=[khost], days_ago=3)
    make_article(title="Khost school", body="A school in Khost.", days_ago=1)
    make_article(title="Kabul traffic", days_ago=2)
    make_article(title="Khost draft", status=Article.Status.DRAFT)
    make_article(title="Khost scheduled", days_ago=-1)
    feed = parsed(client, "/search/feed/", {"q": "Khost"})
    assert [entry.title for entry in feed.entries] == ["Khost school", "Khost market"]
    assert feed.feed.title == "Newsarchive search: Khost"
    assert feed.feed.link == "http://testserver/search/?q=Khost"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link == "http://testserver/search/feed/?q=Khost"
    filtered = parsed(client, "/search/feed/", {"place": "khost"})
    assert [entry.title for entry in filtered.entries] == ["Khost market"]


def test_every_feed_parses_without_errors(client, seeded):
    make_article(title="Vertical\x0btab & <angle> \x1bescape", body="Body\x0c & <b>x</b>.")
    feeds = [
        "/feed/", "/people/faiz-hameed/feed/", "/places/khost/feed/",
        "/events/doha-ceasefire-2025/feed/", "/organisations/taliban/feed/",
        "/search/feed/?q=Taliban", "/search/feed/?q=vertical", "/search/feed/",
    ]  # fmt: skip
    for path in feeds:
        feed = parsed(client, path)
        assert feed.version == "atom10" and feed.entries, path


def test_a_search_feed_costs_the_same_queries_whatever_it_lists(
    client, django_assert_max_num_queries
):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    for count in (2, 40):
        for _ in range(count):
            make_article(title="Khost story", tags=[khost, make_entity()])
        # The archive's state (twice), names, the newest matches, their articles.
        with django_assert_max_num_queries(5):
            parsed(client, "/search/feed/", {"q": "Khost", "place": "khost"})

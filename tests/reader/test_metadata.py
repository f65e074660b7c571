"""What article and entity pages tell machines: schema.org JSON-LD and OpenGraph and
Twitter-card tags, read with extruct, the library search engines' tooling is modelled on."""

import datetime
import re

import extruct
import pytest

from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def structured(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    return extruct.extract(
        response.text,
        base_url="http://testserver/",
        syntaxes=["json-ld", "opengraph"],
        uniform=True,
        with_og_array=True,
    )


def twitter_tags(client, path: str) -> dict:
    page = client.get(path).text

    return dict(re.findall(r'<meta name="(twitter:[a-z]+)" content="([^"]*)">', page))


def test_an_article_is_a_news_article_about_what_it_is_tagged_with(client, seeded):
    data = structured(client, seeded.get_absolute_url())
    [article] = data["json-ld"]
    url = f"http://testserver{seeded.get_absolute_url()}"
    assert article["@type"] == "NewsArticle" and article["@id"] == url
    assert article["headline"] == seeded.title
    assert article["description"] == seeded.standfirst
    assert article["inLanguage"] == "en"
    # Late November 2025: the day is not known, so it is published as the month.
    assert article["datePublished"] == "2025-11"
    assert datetime.datetime.fromisoformat(article["dateModified"])
    assert article["author"] == {"@type": "Person", "name": "dzc/rr"}
    assert article["publisher"] == {"@type": "Organization", "name": "DW"}
    # The events its file declared are what it is about; what its text names, mentioned.
    about = {(e["@type"], e["name"]) for e in article["about"]}
    assert ("Event", "2025 Doha ceasefire") in about
    mentions = {(e["@type"], e["name"]) for e in article["mentions"]}
    assert {("Person", "Faiz Hameed"), ("Place", "Khost"), ("Organization", "Taliban")} <= mentions
    faiz = next(e for e in article["mentions"] if e["name"] == "Faiz Hameed")
    assert faiz["@id"] == faiz["url"] == "http://testserver/people/faiz-hameed/"


def test_an_article_has_link_preview_tags(client, seeded):
    [og] = structured(client, seeded.get_absolute_url())["opengraph"]
    assert og["@type"] == "article"
    assert og["og:title"] == seeded.title and og["og:site_name"] == "Newsarchive"
    assert og["og:url"] == f"http://testserver{seeded.get_absolute_url()}"
    assert og["og:description"].startswith("Afghans cheered")
    assert og["article:published_time"] == "2025-11"
    assert "Faiz Hameed" in og["article:tag"]
    twitter = twitter_tags(client, seeded.get_absolute_url())
    assert twitter["twitter:card"] == "summary"
    assert twitter["twitter:title"] == seeded.title.replace("'", "&#39;")


@pytest.mark.parametrize(
    ("precision", "published"),
    [("day", "2025-11-03"), ("early_month", "2025-11"), ("month", "2025-11"), ("year", "2025")],
)
def test_a_date_is_published_no_more_precisely_than_it_is_known(client, precision, published):
    moment = datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC)
    article = make_article(published_at=moment, date_precision=precision)
    data = structured(client, article.get_absolute_url())
    assert data["json-ld"][0]["datePublished"] == published
    assert data["opengraph"][0]["article:published_time"] == published


def test_an_article_without_byline_is_by_its_outlet(client):
    article = make_article(byline="", source_name="Dawn", source_url="https://dawn.example/a")
    [data] = structured(client, article.get_absolute_url())["json-ld"]
    assert data["author"] == data["publisher"] == {"@type": "Organization", "name": "Dawn"}
    assert data["isBasedOn"] == "https://dawn.example/a"


@pytest.mark.parametrize(
    ("path", "schema_type", "fields"),
    [
        ("/people/faiz-hameed/", "Person", {"jobTitle", "alternateName", "description"}),
        ("/places/khost/", "Place", {"geo", "containedInPlace", "alternateName"}),
        ("/organisations/tehrik-i-taliban-pakistan/", "Organization", {"alternateName"}),
        ("/events/doha-ceasefire-2025/", "Event", {"startDate", "location", "attendee"}),
    ],
)
def test_each_kind_of_entity_is_its_schema_org_type(client, seeded, path, schema_type, fields):
    data = structured(client, path)
    [entity] = data["json-ld"]
    assert entity["@type"] == schema_type
    assert entity["@id"] == f"http://testserver{path}"
    assert fields <= set(entity)
    [og] = data["opengraph"]
    assert og["og:title"] == entity["name"] and og["og:url"] == entity["url"]


def test_a_place_has_its_coordinates_and_an_event_its_dates_and_places(client, db):
    kabul = make_entity(Entity.Kind.PLACE, "Kabul", slug="kabul", latitude=34.5, longitude=69.2)
    clashes = make_entity(
        Entity.Kind.EVENT,
        "Clashes",
        slug="clashes",
        start_date=datetime.date(2025, 11, 30),
        start_precision="late_month",
        end_date=datetime.date(2025, 12, 2),
    )
    clashes.places.add(kabul)
    [place] = structured(client, "/places/kabul/")["json-ld"]
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 34.5, "longitude": 69.2}
    [event] = structured(client, "/events/clashes/")["json-ld"]
    assert (event["startDate"], event["endDate"]) == ("2025-11", "2025-12-02")
    assert event["location"] == [
        {"@type": "Place", "@id": "http://testserver/places/kabul/", "name": "Kabul",
         "url": "http://testserver/places/kabul/"}
    ]  # fmt: skip


def test_json_ld_cannot_close_its_script_element(client):
    article = make_article(title="</script><script>alert(1)</script>", standfirst="<!-- x")
    page = client.get(article.get_absolute_url()).text
    block = page[page.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "<" not in block.removeprefix('<script type="application/ld+json">')
    [data] = structured(client, article.get_absolute_url())["json-ld"]
    assert data["headline"] == "</script><script>alert(1)</script>"


def test_drafts_are_in_no_entitys_structured_data(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    draft = make_article(title="Secret", status=Article.Status.DRAFT, tags=[khost])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret" not in client.get("/places/khost/").text

"""The API's entities, by kind: lists by name paged by cursor, and each one whole."""

import datetime

import pytest

from articles import kinds
from articles.editorial.merging import merge_entities
from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db


def test_every_kind_has_a_list_by_name_paged_by_cursor(client, seeded):
    for kind in kinds.KINDS:
        expected = list(
            Entity.objects.of_kind(kind.value).order_by("name", "pk").values_list("slug", flat=True)
        )
        seen, answer = [], client.get(f"/api/v1/{kind.url_prefix}", {"limit": 7}).json()
        while True:
            assert len(answer["items"]) <= 7
            seen += [item["slug"] for item in answer["items"]]
            if answer["next"] is None:
                break
            answer = client.get(answer["next"]).json()
        assert seen == expected


def test_a_person_with_every_spelling_and_published_article_count(client, seeded):
    make_article(
        slug="faiz-draft",
        status=Article.Status.DRAFT,
        tags=[seeded.entities.get(slug="faiz-hameed")],
    )
    person = client.get("/api/v1/people/faiz-hameed").json()
    assert person["name"] == "Faiz Hameed" and person["kind"] == "person"
    assert "Faiz Hamid" in person["aliases"]
    assert any(not alias.isascii() for alias in person["aliases"])  # a native script
    assert person["article_count"] == 1  # the draft does not count
    assert person["role"]
    assert person["feed_url"] == "http://testserver/people/faiz-hameed/feed/"
    assert person["exports"]["csv"] == "http://testserver/search/export.csv?person=faiz-hameed"
    assert "coordinates" not in person and "start" not in person


def test_a_place_has_its_country_and_coordinates(client, seeded):
    place = client.get("/api/v1/places/khost").json()
    assert place["country"] == "Afghanistan"
    assert place["coordinates"] == {"latitude": 33.3395, "longitude": 69.9204}


def test_an_event_has_its_dates_with_their_precision_places_and_participants(client, db):
    kabul = make_entity(Entity.Kind.PLACE, "Kabul", slug="kabul")
    taliban = make_entity(Entity.Kind.ORGANISATION, "Taliban", slug="taliban")
    event = make_entity(
        Entity.Kind.EVENT,
        "Clashes",
        slug="clashes",
        start_date=datetime.date(2025, 11, 30),
        start_precision="late_month",
        end_date=datetime.date(2025, 12, 1),
        end_precision="month",
    )
    event.places.add(kabul)
    event.participants.add(taliban)
    answer = client.get("/api/v1/events/clashes").json()
    assert answer["start"] == {
        "date": "2025-11",
        "precision": "late_month",
        "text": "late November 2025",
        "earliest": "2025-11-21",
        "latest": "2025-11-30",
    }
    assert answer["end"]["date"] == "2025-12" and answer["end"]["latest"] == "2025-12-31"
    assert [place["slug"] for place in answer["places"]] == ["kabul"]
    assert answer["participants"][0]["api_url"] == "http://testserver/api/v1/organisations/taliban"


def test_an_entity_of_another_kind_or_none_is_404_and_a_merged_one_redirects(client, db):
    kept = make_entity(name="Faiz Hameed", slug="faiz-hameed")
    gone = make_entity(name="Faiz Hamid", slug="faiz-hamid")
    merge_entities(kept, [gone])
    assert client.get("/api/v1/places/faiz-hameed").status_code == 404
    assert client.get("/api/v1/people/nobody").json()["detail"] == "Not found."
    moved = client.get("/api/v1/people/faiz-hamid")
    assert moved.status_code == 301
    assert moved["Location"] == "http://testserver/api/v1/people/faiz-hameed"


@pytest.mark.parametrize("entities", [3, 40])
def test_a_list_costs_the_same_queries_whatever_its_entities(
    client, db, entities, django_assert_max_num_queries
):
    event_places = [make_entity(Entity.Kind.PLACE, f"Place {n}") for n in range(3)]
    for number in range(entities):
        event = make_entity(Entity.Kind.EVENT, f"Event {number}", aliases=[f"E{number}"])
        event.places.add(*event_places)
        make_article(tags=[event])
    with django_assert_max_num_queries(3):  # the archive's state (twice), the list
        assert client.get("/api/v1/events", {"limit": 100}).status_code == 200

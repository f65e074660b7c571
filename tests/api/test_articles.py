"""The API's articles: the list with the search page's filters, paged by cursor, and one
article whole."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles"


def slugs(answer: dict) -> list[str]:
    return [item["slug"] for item in answer["items"]]


def read_all(client, **params) -> list[str]:
    """Every page of a list, following ``next``."""
    seen, url = [], LIST
    response = client.get(url, params)
    while True:
        answer = response.json()
        seen += slugs(answer)
        if not answer["next"]:
            return seen
        response = client.get(answer["next"])


def test_the_list_is_every_published_article_newest_first(client):
    for days_ago in range(5):
        make_article(slug=f"story-{days_ago}", days_ago=days_ago + 1)
    make_article(slug="a-draft", status=Article.Status.DRAFT)
    answer = client.get(LIST).json()
    assert slugs(answer) == [f"story-{n}" for n in range(5)]
    assert answer["next"] is None and answer["next_cursor"] is None


def test_a_cursor_reaches_every_article_once_while_articles_are_added(client):
    for number in range(7):
        make_article(slug=f"story-{number}", days_ago=number + 1)
    first = client.get(LIST, {"limit": 3}).json()
    assert slugs(first) == ["story-0", "story-1", "story-2"]
    make_article(slug="breaking", days_ago=0)  # newer than everything listed
    second = client.get(first["next"]).json()
    assert slugs(second) == ["story-3", "story-4", "story-5"]
    assert (
        client.get(LIST, {"limit": 3, "cursor": second["next_cursor"]}).json()["items"][0]["slug"]
        == "story-6"
    )
    assert read_all(client, limit=2) == ["breaking", *(f"story-{n}" for n in range(7))]


def test_articles_published_at_the_same_moment_are_paged_by_id(client):
    moment = timezone.now() - datetime.timedelta(days=1)
    made = [make_article(slug=f"same-{n}", published_at=moment).slug for n in range(5)]
    assert read_all(client, limit=2) == made[::-1]


def test_the_list_takes_the_search_pages_filters(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    faiz = make_entity(name="Faiz Hameed", slug="faiz-hameed", aliases=["Faiz Hamid"])
    make_article(slug="khost-market", title="Market day", tags=[khost], source_name="DW")
    make_article(slug="faiz-talks", title="Talks", tags=[faiz], tag_origin="editor", language="ps")
    make_article(
        slug="old-khost",
        title="Khost in 2019",
        tags=[khost],
        published_at=datetime.datetime(2019, 5, 1, tzinfo=datetime.UTC),
    )
    assert read_all(client, place="khost") == ["khost-market", "old-khost"]
    assert read_all(client, place="khost", year=2019) == ["old-khost"]
    assert read_all(client, source="DW") == ["khost-market"]
    assert read_all(client, language="ps") == ["faiz-talks"]
    # Words in websearch syntax, and a name in another spelling finds the tagged article.
    assert read_all(client, q="market -talks") == ["khost-market"]
    assert read_all(client, q="Faiz Hamid") == ["faiz-talks"]
    assert read_all(client, person="nobody-at-all") == []


def test_an_article_list_item_says_how_precisely_its_date_is_known(client, seeded):
    item = client.get(LIST).json()["items"][0]
    assert item["published"] == {
        "date": "2025-11",
        "precision": "late_month",
        "text": "late November 2025",
        "earliest": "2025-11-21",
        "latest": "2025-11-30",
    }
    assert item["source"] == {"name": "DW", "url": ""}
    assert "title" in item["inferred_fields"]
    assert item["url"] == f"http://testserver{seeded.get_absolute_url()}"
    assert item["api_url"] == f"http://testserver/api/v1/articles/{seeded.slug}"
    assert {person["kind"] for person in item["main_people"]} == {"person"}


def test_an_article_whole_with_its_tags_provenance_and_citation(client, seeded):
    answer = client.get(f"/api/v1/articles/{seeded.slug}").json()
    assert answer["title"] == seeded.title
    assert answer["body"] == seeded.body
    assert "<h2" in answer["body_html"]
    faiz = next(tag for tag in answer["tags"]["person"] if tag["slug"] == "faiz-hameed")
    assert faiz["url"] == "http://testserver/people/faiz-hameed/"
    assert faiz["mentions"] >= 1 and faiz["origin"] == "text"
    assert {tag["origin"] for tag in answer["tags"]["event"]} >= {"declared"}
    provenance = answer["provenance"]
    assert provenance["source_file"] == "000_cd8e701d099983cf.txt"
    assert provenance["checksum"] == seeded.checksum and len(provenance["checksum"]) == 64
    assert provenance["imported_at"] is not None
    assert answer["citation"]["type"] == "article-newspaper"
    assert answer["citation"]["issued"] == {"date-parts": [[2025, 11]]}
    assert answer["formats"]["bibtex"].endswith(f"/articles/{seeded.slug}/cite.bib")


def test_an_article_written_in_the_admin_has_no_import_time(client):
    article = make_article(slug="written-here")
    provenance = client.get(f"/api/v1/articles/{article.slug}").json()["provenance"]
    assert provenance["source_file"] == "" and provenance["imported_at"] is None


def test_drafts_and_scheduled_articles_are_not_in_the_list_nor_found(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_article(slug="public", tags=[khost])
    make_article(slug="draft", status=Article.Status.DRAFT, tags=[khost])
    make_article(slug="scheduled", days_ago=-2, tags=[khost])
    for params in ({}, {"place": "khost"}, {"q": "Body"}):
        assert read_all(client, **params) == ["public"]
    assert client.get("/api/v1/articles/draft").status_code == 404
    assert client.get("/api/v1/articles/scheduled").status_code == 404


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"year": "1066"}, "year"),
        ({"year": "soon"}, "year"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "1.2.3"}, "cursor"),
        ({"person": "not a slug"}, "person"),
        ({"person": [f"p{n}" for n in range(6)]}, "person"),
        ({"language": "english!"}, "language"),
        ({"q": "x" * 301}, "q"),
    ],
)
def test_bad_parameters_are_answered_400_saying_which(client, params, parameter):
    response = client.get(LIST, params)
    assert response.status_code == 400
    answer = response.json()
    assert answer["detail"] and parameter in [p["parameter"] for p in answer["problems"]]


@pytest.mark.parametrize("params", [{}, {"q": "border"}, {"q": "Faiz Hamid", "place": "p-0"}])
def test_the_list_costs_the_same_queries_for_few_or_many_articles(
    client, params, django_assert_max_num_queries
):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    places = [make_entity(Entity.Kind.PLACE, f"Place {n}", slug=f"p-{n}") for n in range(4)]

    def add(count):
        for number in range(count):
            make_article(body="Faiz Hameed at the border.", tags=[faiz, *places[number % 4 :]])

    def queries():
        # The archive's state (twice), names, the page's positions, its articles.
        with django_assert_max_num_queries(6) as captured:
            assert client.get(LIST, params).status_code == 200
        return len(captured.captured_queries)

    add(2)
    few = queries()
    add(40)
    assert queries() == few

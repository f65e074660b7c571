"""The API's search: the search page's results, as JSON."""

import pytest

from articles.models import Article, Entity
from articles.search.results import FEW_RESULTS
from tests.support.factories import make_article, make_entity
from tests.support.searching import at

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/search"


def test_the_search_answers_what_the_page_shows(client, seeded):
    answer = client.get(SEARCH, {"q": "Faiz Hamid"}).json()
    assert answer["count"] == 1 and answer["count_kind"] == "exact" and not answer["facets_count"]
    assert answer["page"] == 1 and answer["pages"] == 1
    hit = answer["results"][0]
    assert hit["slug"] == seeded.slug and "<mark>" in hit["snippet_html"]
    named = answer["named_entities"][0]
    assert (named["slug"], named["spelling"]) == ("faiz-hameed", "Faiz Hamid")
    people = next(facet for facet in answer["facets"] if facet["name"] == "person")
    value = people["values"][0]
    assert value["url"].startswith("http://testserver/search/?q=Faiz+Hamid&person=")
    assert value["api_url"].startswith("http://testserver/api/v1/search?q=Faiz+Hamid&person=")
    # Following a facet's api_url searches with that filter.
    narrowed = client.get(value["api_url"]).json()
    assert narrowed["count"] == 1
    assert next(f for f in narrowed["facets"] if f["name"] == "person")["values"][0]["active"]


def test_pages_and_did_you_mean(client, db):
    for number in range(25):
        make_article(title=f"Torkham crossing {number}", published_at=at(2020, 1, number + 1))
    first = client.get(SEARCH, {"q": "Torkham"}).json()
    assert first["pages"] == 2 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert "page=1" in second["previous"]
    assert client.get(SEARCH, {"q": "Torkham", "page": 3}).status_code == 404
    make_entity(Entity.Kind.PLACE, "Jalalabad", slug="jalalabad")
    misspelt = client.get(SEARCH, {"q": "Jalalbad"}).json()
    assert misspelt["did_you_mean"][0]["text"] == "Jalalabad"
    assert misspelt["did_you_mean"][0]["api_url"] == "http://testserver/api/v1/search?q=Jalalabad"


def test_without_words_or_a_filter_nothing_is_searched(client, db):
    make_article()
    for params in ({}, {"q": "   "}):
        answer = client.get(SEARCH, params).json()
        assert answer["count"] == 0 and answer["results"] == [] and answer["facets"] == []


def test_drafts_and_scheduled_articles_are_not_found_nor_counted(client, db):
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost")
    make_article(title="Khost market", tags=[khost])
    make_article(title="Khost draft", status=Article.Status.DRAFT, tags=[khost])
    make_article(title="Khost scheduled", days_ago=-3, tags=[khost])
    answer = client.get(SEARCH, {"q": "Khost"}).json()
    assert [hit["title"] for hit in answer["results"]] == ["Khost market"]
    assert answer["count"] == 1 and answer["named_entities"][0]["article_count"] == 1
    facet = next(facet for facet in answer["facets"] if facet["name"] == "place")
    assert facet["values"][0]["count"] == 1


@pytest.mark.parametrize("text", ["border", "Faiz Hamid border"])
def test_the_search_costs_the_same_queries_as_the_page(
    client, db, text, django_assert_max_num_queries
):
    faiz = make_entity(name="Faiz Hameed", aliases=["Faiz Hamid"])
    places = [make_entity(Entity.Kind.PLACE, f"Place {n}", slug=f"p-{n}") for n in range(5)]

    def add(count):
        for number in range(count):
            tags = [faiz, places[0], *places[1 + number % 4 :]]
            make_article(body="Faiz Hameed at the border.", tags=tags)

    def queries():
        # The archive's state (twice), names, the ranked results, the page, the counts.
        with django_assert_max_num_queries(6) as captured:
            assert client.get(SEARCH, {"q": text, "place": "p-0"}).status_code == 200
        return len(captured.captured_queries)

    add(FEW_RESULTS)  # as few as a page shows without asking for names like the words
    few = queries()
    add(40)
    assert queries() == few

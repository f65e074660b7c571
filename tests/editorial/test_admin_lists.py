"""The editors' lists as an archive of 100,000 articles needs them: found by index, counted
from the tallies, never a read of a whole table."""

import pytest

from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity
from tests.support.plans import statement_plans, whole_table_reads

pytestmark = pytest.mark.django_db

ARTICLE_LIST = "/admin/articles/article/"
ENTITY_LIST = "/admin/articles/entity/"


def listed_titles(response) -> list[str]:
    return [article.title for article in response.context["cl"].result_list]


def test_the_article_search_finds_words_and_their_beginnings_in_the_heading(editor_client):
    make_article(title="Refugees return to Khost", slug="refugees-return")
    make_article(title="Talks in Doha", standfirst="Refugee numbers rise", status="draft")
    make_article(title="Border reopens", body="Refugees crossed at Torkham.")
    response = editor_client.get(ARTICLE_LIST, {"q": "refug"})
    assert sorted(listed_titles(response)) == ["Refugees return to Khost", "Talks in Doha"]
    response = editor_client.get(ARTICLE_LIST, {"q": "refugee khost"})
    assert listed_titles(response) == ["Refugees return to Khost"]


def test_the_article_search_finds_an_article_by_its_slug(editor_client):
    make_article(title="Talks resume", slug="talks-resume-7")
    make_article(title="Talks resume", slug="talks-resume-8")
    response = editor_client.get(ARTICLE_LIST, {"q": "talks-resume-8"})
    assert [a.slug for a in response.context["cl"].result_list] == ["talks-resume-8"]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "the", "\x01", "':*&|!()<->\"", "a" * 5000, "خوست", "ـ", "🙂 refug", "%_\\"],
)
def test_any_article_search_answers_with_a_list(editor_client, text):
    make_article(title="Refugees return to Khost")
    response = editor_client.get(ARTICLE_LIST, {"q": text})
    assert response.status_code == 200
    assert "cl" in response.context


def test_the_filters_list_the_sources_and_languages_there_are(editor_client):
    make_article(source_name="Dawn", language="en")
    make_article(source_name="Pajhwok", language="ps")
    response = editor_client.get(ARTICLE_LIST)
    choices = {
        spec.title: [choice["display"] for choice in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert choices["source"] == ["All", "Dawn", "Pajhwok"]
    assert choices["language"] == ["All", "en", "ps"]


def test_the_entity_list_counts_each_ones_published_articles(editor_client):
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    kabul = make_entity(Entity.Kind.PLACE, "Kabul")
    make_article(tags=[khost, kabul])
    make_article(tags=[khost])
    make_article(tags=[khost], status=Article.Status.DRAFT)
    response = editor_client.get(ENTITY_LIST, {"o": "-4"})
    assert [(e.name, e.published_articles) for e in response.context["cl"].result_list] == [
        ("Khost", 2),
        ("Kabul", 1),
    ]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        (ARTICLE_LIST, {}),
        (ARTICLE_LIST, {"q": "refug khost"}),
        (ARTICLE_LIST, {"source_name": "Dawn", "language": "en"}),
        (ARTICLE_LIST, {"published_at__year": "2025"}),
        (ARTICLE_LIST, {"p": "2"}),
        (ENTITY_LIST, {}),
        (ENTITY_LIST, {"o": "-4"}),
    ],
)
def test_the_editors_lists_read_no_large_table_whole(editor_client, path, params):
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    for number in range(3):
        make_article(title=f"Refugees in Khost {number}", source_name="Dawn", tags=[khost])
    plans = statement_plans(editor_client, path, params)
    assert plans
    assert whole_table_reads(plans) == []

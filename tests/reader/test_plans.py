"""Every public page finds its rows by index: none reads a large table whole, whatever
the archive holds."""

import pytest

from articles.models import Article, Entity
from tests.support.factories import make_article, make_entity
from tests.support.plans import statement_plans, whole_table_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    """A few articles, tagged, with a draft and a scheduled one."""
    khost = make_entity(Entity.Kind.PLACE, "Khost", slug="khost", aliases=["Khowst", "خوست"])
    hameed = make_entity(Entity.Kind.PERSON, "Faiz Hameed", slug="faiz-hameed", aliases=["Hamid"])
    for number in range(30):
        make_article(
            title=f"Refugees return to Khost {number}",
            slug=f"refugees-{number}",
            body="Refugees crossed at Torkham, said Faiz Hameed.",
            source_name="Dawn",
            days_ago=number,
            tags=[khost, hameed],
        )
    make_article(title="A draft", slug="a-draft", status=Article.Status.DRAFT, tags=[khost])
    make_article(title="Scheduled", slug="scheduled", days_ago=-3, tags=[khost])


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/", {}),
        ("/", {"page": "2"}),
        ("/articles/refugees-3/", {}),
        ("/places/", {}),
        ("/places/khost/", {}),
        ("/places/khost/", {"page": "2"}),
        ("/people/faiz-hameed/", {}),
        ("/search/", {"q": "refugees"}),
        ("/search/", {"q": '"refugees return" -torkham'}),
        ("/search/", {"q": "Hamid"}),
        ("/search/", {"q": "خوست"}),
        ("/search/", {"q": "Jalalbad"}),
        ("/search/", {"q": "attack", "place": "khost", "year": "2026", "source": "Dawn"}),
        ("/search/", {"person": "faiz-hameed"}),
        ("/search/suggest/", {"q": "kho"}),
        ("/feed/", {}),
        ("/places/khost/feed/", {}),
        ("/sitemap-articles.xml", {}),
        ("/sitemap-entities.xml", {}),
    ],
)
def test_a_public_page_reads_no_large_table_whole(client, archive, path, params):
    plans = statement_plans(client, path, params)
    assert plans
    assert whole_table_reads(plans) == []

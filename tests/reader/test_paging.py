"""Long lists of articles, page by page: every card once, in order, and a deep page
computed for its own cards only."""

import re

import pytest

from articles.models import Article, Entity
from articles.reader.paging import ArchivePaginator
from tests.reader.test_views import card_titles
from tests.support.factories import make_article, make_entity
from tests.support.plans import queryset_plan

pytestmark = pytest.mark.django_db


def test_the_pages_of_the_archive_hold_every_card_once_newest_first(client):
    khost = make_entity(Entity.Kind.PLACE, "Khost")
    for days_ago in range(45):
        make_article(title=f"Story {days_ago}", days_ago=days_ago, tags=[khost])
    make_article(title="A draft", status=Article.Status.DRAFT, tags=[khost])
    expected = [f"Story {days_ago}" for days_ago in range(45)]
    for url in ("/", khost.get_absolute_url()):
        pages = [client.get(url, {"page": number}).text for number in (1, 2, 3)]
        assert [title for page in pages for title in card_titles(page)] == expected
        # The cards' main places, on the deep pages too.
        assert f'href="{khost.get_absolute_url()}">Khost</a>' in pages[2]
        assert "Page 3 of 3" in pages[2]


def test_a_deep_page_computes_the_cards_it_shows_and_no_others():
    for days_ago in range(50):
        make_article(days_ago=days_ago)
    paginator = ArchivePaginator(Article.objects.published().cards(), 20, count=50)
    page = paginator.page(3)
    plan = queryset_plan(page.object_list, analyze=True, priced_out=())
    # Each card's main people and places are a subquery: how often each one ran.
    runs = [int(n) for n in re.findall(r"SubPlan \d+\n\s*->\s*.*?loops=(\d+)\)", plan)]
    assert len(runs) >= 2
    assert max(runs) == 10
    assert len(page) == 10

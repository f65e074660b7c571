"""Helpers for the search tests: results as titles, and the results page as HTML."""

import datetime

from django.urls import reverse

from articles.search.criteria import Criteria
from articles.search.results import search

SEARCH_URL = reverse("articles:search")
SUGGEST_URL = reverse("articles:search_suggest")


def at(year, month=6, day=1):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def titles(criteria: Criteria) -> list[str]:
    """Result titles, best first: the first page of the search production runs."""
    results = search(criteria)
    return [article.title for article in results.page.object_list] if results.page else []


def found(text: str, **criteria) -> set[str]:
    return set(titles(Criteria(text=text, **criteria)))


def page_html(client, **params) -> str:
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return response.content.decode()

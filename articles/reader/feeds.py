"""Atom feeds of the latest published articles: for the whole archive, per entity, and
for any search."""

import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from articles.models import Article, Entity
from articles.search.forms import SearchForm
from articles.search.listing import Matches

FEED_LENGTH = 30
# XML 1.0 has no place for most control characters, which editors' text may still hold.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_IN_XML.sub("", text)


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Newsarchive: latest articles")
    subtitle = gettext_lazy("News on the Afghanistan–Pakistan border tensions.")

    def link(self):
        return reverse("articles:article_list")

    def items(self):
        return Article.objects.published().latest_first()[:FEED_LENGTH]

    def item_title(self, article):
        return xml_text(article.title)

    def item_description(self, article):
        return xml_text(article.body_html)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return xml_text(article.source_name) or None


class EntityFeed(LatestArticlesFeed):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_object(self, request, slug):
        return get_object_or_404(Entity, kind=self.kind, slug=slug)

    def title(self, entity):
        return xml_text(gettext("Newsarchive: %(name)s") % {"name": entity.name})

    def link(self, entity):
        return entity.get_absolute_url()

    def items(self, entity):
        return Article.objects.published().mentioning(entity).latest_first()[:FEED_LENGTH]


class SearchFeed(LatestArticlesFeed):
    """An alert feed for any search (the search page's own parameters): its newest
    matches, whatever their rank, so that a feed reader shows each new match once."""

    def get_object(self, request):
        return SearchForm(request.GET).criteria()

    def title(self, criteria):
        asked = [criteria.text] if criteria.text else []
        asked += [f"{kind}: {slug}" for kind, slug in criteria.entities]
        asked += [str(criteria.year)] if criteria.year is not None else []
        asked += [criteria.source] if criteria.source else []
        asked_for = gettext(", ").join(asked) or gettext("every article")
        return xml_text(gettext("Newsarchive search: %(asked)s") % {"asked": asked_for})

    def link(self, criteria):
        return criteria.url()

    def feed_url(self, criteria):
        query = criteria.query_dict().urlencode()
        return reverse("articles:search_feed") + (f"?{query}" if query else "")

    def items(self, criteria):
        ids = [position.pk for position in Matches(criteria).positions(None, FEED_LENGTH)]
        return Article.objects.published().filter(pk__in=ids).latest_first()

"""Atom feeds of the latest published articles, for the whole archive and per entity."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article, Entity

FEED_LENGTH = 30


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "Newsarchive: latest articles"
    subtitle = "News on the Afghanistan–Pakistan border tensions."

    def link(self):
        return reverse("articles:article_list")

    def items(self):
        return Article.objects.published().latest_first()[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.body_html

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.source_name or None


class EntityFeed(LatestArticlesFeed):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def get_object(self, request, slug):
        return get_object_or_404(Entity, kind=self.kind, slug=slug)

    def title(self, entity):
        return f"Newsarchive: {entity.name}"

    def link(self, entity):
        return entity.get_absolute_url()

    def items(self, entity):
        return Article.objects.published().mentioning(entity).latest_first()[:FEED_LENGTH]

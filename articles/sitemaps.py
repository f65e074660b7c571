"""Sitemaps of published articles and of entities, for search engines."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Entity


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, article):
        return article.updated_at


class EntitySitemap(Sitemap):
    limit = 5000

    def items(self):
        return Entity.objects.only("kind", "slug").order_by("kind", "slug")


class PageSitemap(Sitemap):
    def items(self):
        return ["articles:article_list", *(f"articles:{kind}_list" for kind in Entity.Kind)]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "entities": EntitySitemap}

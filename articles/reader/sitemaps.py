"""Sitemaps of published articles and of entities, for search engines: an index at
/sitemap.xml and one sitemap per section, each paged by ``limit`` (so every article is
listed, however large the archive), each page in a constant number of queries."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Entity
from articles.reader.paging import ArchivePaginator


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        # The latest-articles index gives each page without sorting the archive.
        return Article.objects.published().only("slug", "updated_at").latest_first()

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Sitemap's default reads every article's lastmod; the index does without it.
        return None

    @property
    def paginator(self):
        articles = super().paginator.object_list
        return ArchivePaginator(articles, self.limit, count=Article.objects.public_count())


class EntitySitemap(Sitemap):
    limit = 5000

    def items(self):
        # An entity's URL is built from its kind, slug and name (EntityLink).
        return Entity.objects.only("kind", "slug", "name").order_by("kind", "slug")


class PageSitemap(Sitemap):
    def items(self):
        return [
            "articles:article_list",
            *(f"articles:{kind}_list" for kind in Entity.Kind),
            "articles:timeline",
            "articles:map",
        ]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "entities": EntitySitemap}

"""Links to entities and articles by their slugs, without a model instance."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation

from articles import languages

# URLs kept resolved (slug_url): lists and search results link the same entities, and the
# newest articles, on page after page.
URLS_KEPT = 10_000


@dataclass(frozen=True)
class EntityLink:
    """Enough of an entity to name and link it, as lists read it from their own query: a
    page of cards links dozens, and a model instance costs far more to make."""

    kind: str
    slug: str
    name: str

    def get_absolute_url(self):
        return slug_url(f"articles:{self.kind}_detail", self.slug)


@dataclass(frozen=True)
class VersionLink:
    """Another language's version of an article's story (its original or a translation),
    as an article page and a search result list them: "Also in: اردو · English"."""

    slug: str
    language: str
    title: str

    @property
    def language_name(self) -> str:
        """The language's name in its own script."""
        return languages.named(self.language).own_name

    @property
    def is_right_to_left(self) -> bool:
        return languages.is_right_to_left(self.language)

    def get_absolute_url(self):
        return slug_url("articles:article_detail", self.slug)


def slug_url(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})``, resolved once per URLconf, script
    prefix and language (the public pages' addresses start with the language's prefix):
    ``reverse`` is slow beside a lookup, and a results page links a hundred entities and
    articles."""
    return _slug_url(
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        translation.get_language(),
        viewname,
        slug,
    )


@functools.lru_cache(maxsize=URLS_KEPT)
def _slug_url(urlconf: str, script_prefix: str, language: str, viewname: str, slug: str) -> str:
    return reverse(viewname, urlconf=urlconf, kwargs={"slug": slug})

"""A search as a reader asks for it (words, filters, days, language, order) and the links
that change it: the canonical query string every results page, feed and export link is
built on. Read from a request by articles/search/forms.py; run by
articles/search/queries.py."""

import datetime
import functools
from dataclasses import dataclass, replace

from django.http import QueryDict
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from articles import kinds

MAX_QUERY_LENGTH = 300
MAX_FILTERS_PER_KIND = 5
# The orders a reader can choose, named in the reader's language.
SORTS = {
    "relevance": pgettext_lazy("order", "Relevance"),
    "newest": pgettext_lazy("order", "Newest first"),
    "oldest": pgettext_lazy("order", "Oldest first"),
}


# Criteria: what the reader asked for, and links that change it.


@dataclass(frozen=True)
class Criteria:
    """A search: words, filters by entity (``(kind, slug)`` pairs), year, source, days
    (``since`` and ``until``, both included) and language (a code as articles store it,
    articles/languages.py), and an order (``sort``: "" for the default, relevance for words
    and newest first without)."""

    text: str = ""
    entities: tuple[tuple[str, str], ...] = ()
    year: int | None = None
    source: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
    sort: str = ""
    language: str = ""

    def __post_init__(self):
        # One order for the filters (by kind, then as given), so links are canonical.
        unique = dict.fromkeys(self.entities)
        ordered = sorted(unique, key=lambda e: kinds.VALUES.index(e[0]))
        object.__setattr__(self, "entities", tuple(ordered))
        # The default order is not written, so that a link has one form; relevance needs
        # words.
        if (
            self.sort not in SORTS
            or self.sort == self.default_order
            or (self.sort == "relevance" and not self.text)
        ):
            object.__setattr__(self, "sort", "")

    @property
    def default_order(self) -> str:
        return "relevance" if self.text else "newest"

    @property
    def order(self) -> str:
        """How results are ordered: relevance needs words."""
        return self.sort or self.default_order

    @property
    def is_empty(self) -> bool:
        return not (
            self.text
            or self.entities
            or self.year is not None
            or self.source
            or self.since
            or self.until
            or self.language
        )

    def params(self) -> list[tuple[str, str]]:
        params = [("q", self.text)] if self.text else []
        params += list(self.entities)
        if self.year is not None:
            params.append(("year", str(self.year)))
        if self.source:
            params.append(("source", self.source))
        if self.since:
            params.append(("from", self.since.isoformat()))
        if self.until:
            params.append(("to", self.until.isoformat()))
        if self.language:
            params.append(("language", self.language))
        if self.sort:
            params.append(("sort", self.sort))
        return params

    def query_dict(self) -> QueryDict:
        """The canonical query string: what ``{% querystring %}`` builds page links on."""
        query = QueryDict(mutable=True)
        for name, value in self.params():
            query.appendlist(name, value)
        return query

    def url(self) -> str:
        query = urlencode(self.params())
        path = _search_path(get_script_prefix(), translation.get_language())
        return path + (f"?{query}" if query else "")

    def with_text(self, text: str) -> "Criteria":
        return replace(self, text=text)

    def adding_entity(self, kind: str, slug: str) -> "Criteria":
        if (kind, slug) in self.entities:
            return self
        return replace(self, entities=(*self.entities, (kind, slug)))

    def removing_entity(self, kind: str, slug: str) -> "Criteria":
        return replace(self, entities=tuple(e for e in self.entities if e != (kind, slug)))


@functools.cache
def _search_path(script_prefix: str, language: str) -> str:
    """The search page's path, resolved once per prefix and language (/ps/search/): a
    results page links to it from every facet."""
    return reverse("articles:search")

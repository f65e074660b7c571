"""The search results page: what it shows (the page of articles, the named entities,
facets that add or remove filters, active filters, did-you-mean) and ``search``, which
gathers it from the queries of articles/search/queries.py."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.paginator import Page, Paginator

from articles import kinds
from articles.db.alongside import alongside
from articles.models import Entity
from articles.search import queries
from articles.search.names import Recognition, recognise
from articles.search.queries import YEAR_FACET_LIMIT, Criteria

# Fewer hits than this, and the page offers "did you mean".
FEW_RESULTS = 3
DID_YOU_MEAN_LIMIT = 3


@dataclass
class FacetValue:
    label: str
    # None: not counted (older years of capped results).
    count: int | None
    url: str
    active: bool = False


@dataclass
class Facet:
    name: str
    title: str
    values: list[FacetValue]


@dataclass
class ActiveFilter:
    name: str
    label: str
    remove_url: str


@dataclass
class Suggestion:
    text: str
    url: str


@dataclass
class NamedEntity:
    """An entity the query names, the spelling that named it, and its article count."""

    kind: str
    slug: str
    name: str
    spelling: str
    article_count: int

    @property
    def kind_label(self) -> str:
        return kinds.BY_VALUE[self.kind].title

    @property
    def url(self) -> str:
        return Entity(kind=self.kind, slug=self.slug).get_absolute_url()

    @property
    def other_spelling(self) -> str:
        """The spelling the reader used, when it is not the entity's own name."""
        return "" if self.spelling == self.name else self.spelling


@dataclass
class SearchPage:
    criteria: Criteria
    page: Page | None = None
    # More articles match than the results list (CANDIDATES): the count is a lower bound.
    capped: bool = False
    named_entities: list[NamedEntity] = field(default_factory=list)
    active_filters: list[ActiveFilter] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    did_you_mean: list[Suggestion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def limit(self) -> int:
        return queries.CANDIDATES


def entity_facets(rows: dict[str, list[dict]], criteria: Criteria) -> list[Facet]:
    facets = []
    for kind in kinds.VALUES:
        values = []
        for row in sorted(rows.get(kind, []), key=lambda r: r["position"]):
            slug = row["value"]
            active = (kind, slug) in criteria.entities
            changed = (
                criteria.removing_entity(kind, slug)
                if active
                else criteria.adding_entity(kind, slug)
            )
            values.append(FacetValue(row["label"], row["n"], changed.url(), active))
        facets.append(Facet(kind, kinds.BY_VALUE[kind].plural, values))
    return facets


def year_facet(rows: dict[str, list[dict]], criteria: Criteria, capped: bool) -> Facet:
    """Years of the results, latest first. When the results are capped (so the newest
    dominate), every older year of the archive too, without a count, so that a reader can
    still reach it."""
    years = {int(row["value"]): row["n"] for row in rows.get("year", [])}
    counted: dict[int, int | None] = dict(years)
    first_year = next((int(r["value"]) for r in rows.get("first_year", []) if r["value"]), None)
    if capped and years and first_year is not None:
        counted.update(dict.fromkeys(range(first_year, min(years))))
    values = []
    for year in sorted(counted, reverse=True)[:YEAR_FACET_LIMIT]:
        active = criteria.year == year
        changed = replace(criteria, year=None if active else year)
        values.append(FacetValue(str(year), counted[year], changed.url(), active))
    return Facet("year", "Years", values)


def source_facet(rows: dict[str, list[dict]], criteria: Criteria) -> Facet:
    values = []
    for row in sorted(rows.get("source", []), key=lambda r: (-r["n"], r["value"])):
        active = criteria.source == row["value"]
        changed = replace(criteria, source="" if active else row["value"])
        values.append(FacetValue(row["label"], row["n"], changed.url(), active))
    return Facet("source", "Sources", values)


# The results page.


def active_filters(criteria: Criteria, recognition: Recognition) -> list[ActiveFilter]:
    filters = []
    for kind, slug in criteria.entities:
        _id, name = recognition.filtered.get((kind, slug), (None, f"{slug} (not found)"))
        label = f"{kinds.BY_VALUE[kind].title}: {name}"
        filters.append(ActiveFilter(kind, label, criteria.removing_entity(kind, slug).url()))
    if criteria.year is not None:
        filters.append(
            ActiveFilter("year", f"Year: {criteria.year}", replace(criteria, year=None).url())
        )
    if criteria.source:
        label = f"Source: {criteria.source}"
        filters.append(ActiveFilter("source", label, replace(criteria, source="").url()))
    return filters


def named_entities(recognition: Recognition, counted: dict[int, int]) -> list[NamedEntity]:
    """The entities the query names, in the order named, with their article counts."""
    return [
        NamedEntity(*names, article_count=counted.get(pk, 0))
        for pk, names in recognition.named.items()
    ]


def did_you_mean(criteria: Criteria, recognition: Recognition) -> list[Suggestion]:
    """The entity names closest to the words, best first, one per entity."""
    suggestions, seen = [], set()
    for row in sorted(recognition.near_misses, key=lambda r: -r["score"]):
        if row["e_id"] not in seen and len(suggestions) < DID_YOU_MEAN_LIMIT:
            seen.add(row["e_id"])
            name = row["e_name"]
            suggestions.append(Suggestion(name, criteria.with_text(name).url()))
    return suggestions


def search(criteria: Criteria, page_number=None) -> SearchPage:
    """Everything the results page shows, in at most four queries whatever the number of
    hits: names, the ranked results, then the page's articles and, beside them on another
    connection (articles/db/alongside.py), the counts."""
    if criteria.is_empty:
        return SearchPage(criteria)
    recognition = recognise(criteria.text, criteria.entities)
    search_plan = queries.plan(criteria, recognition)
    ids = queries.ranked_ids(search_plan) if search_plan else []
    capped = len(ids) > queries.CANDIDATES
    page = Paginator(ids, settings.ARTICLES_PER_PAGE).get_page(page_number)
    counting = alongside(queries.counts, ids, recognition.named, capped)
    page.object_list = queries.page_articles(page.object_list, search_plan) if search_plan else []
    rows = counting.result()
    named_counts = {int(row["value"]): row["n"] for row in rows.get("named", [])}
    result = SearchPage(
        criteria,
        page,
        capped=capped,
        named_entities=named_entities(recognition, named_counts),
        active_filters=active_filters(criteria, recognition),
    )
    if ids:
        result.facets = [
            *entity_facets(rows, criteria),
            year_facet(rows, criteria, capped),
            source_facet(rows, criteria),
        ]
    if criteria.text and len(ids) < FEW_RESULTS:
        result.did_you_mean = did_you_mean(criteria, recognition)
    return result

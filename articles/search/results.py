"""The search results page: what it shows (the page of articles, the named entities,
facets that add or remove filters, active filters, did-you-mean) and ``search``, which
gathers it from the queries of articles/search/queries.py and ranking.py."""

from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext

from articles import kinds, languages, numerals
from articles.dates import DatePrecision, format_with_precision
from articles.db.alongside import alongside
from articles.models import Entity
from articles.numerals import digits
from articles.search import counts, queries, ranking
from articles.search.criteria import SORTS, Criteria
from articles.search.names import Recognition, near_misses, recognise
from articles.search.queries import YEAR_FACET_LIMIT

# Fewer hits than this, and the page offers "did you mean".
FEW_RESULTS = 3
DID_YOU_MEAN_LIMIT = 3
# Page numbers beyond this are read as this: with twenty articles a page, two million
# results.
MAX_PAGE = 100_000


@dataclass
class FacetValue:
    label: str
    # None: not counted (years before the matches the facets count).
    count: int | None
    url: str
    active: bool = False
    # The label's language, when it is written in one (a language's own name), and its
    # name in English beside it.
    lang: str = ""
    gloss: str = ""


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
        return str(kinds.BY_VALUE[self.kind].shown)

    @property
    def url(self) -> str:
        return Entity(kind=self.kind, slug=self.slug).get_absolute_url()

    @property
    def other_spelling(self) -> str:
        """The spelling the reader used, when it is not the entity's own name."""
        return "" if self.spelling == self.name else self.spelling


@dataclass
class SortLink:
    label: str
    url: str
    active: bool


class ResultsPaginator(Paginator):
    """Pages of results whose number is known (or estimated) before any is read: each
    page is read by its own query (articles/search/ranking.py), never by slicing."""

    def __init__(self, count: int, per_page: int):
        super().__init__((), per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@dataclass
class SearchPage:
    criteria: Criteria
    page: Page | None = None
    # How the number of results is known: "exact", "about" (the planner's estimate, for
    # one word) or "more" (more than the exact limit).
    count_kind: str = "exact"
    # What the facets count when it is not every match: "the newest 1,000 matches", "2,001
    # of the matches".
    sample: str = ""
    named_entities: list[NamedEntity] = field(default_factory=list)
    active_filters: list[ActiveFilter] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    did_you_mean: list[Suggestion] = field(default_factory=list)
    # Names the query is part of, when it is part of several: offered, not guessed.
    ambiguous: list[Suggestion] = field(default_factory=list)
    sorts: list[SortLink] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page else 0

    @property
    def exact_limit(self) -> int:
        return queries.EXACT_LIMIT


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
        facets.append(Facet(kind, str(kinds.BY_VALUE[kind].shown_plural), values))
    return facets


def year_facet(rows: dict[str, list[dict]], criteria: Criteria, capped: bool) -> Facet:
    """Years of the results, latest first. When the counts are of the newest matches only
    (``capped``), every older year of the archive too, without a count, so that a reader
    can see at once how far back the results go."""
    years = {int(row["value"]): row["n"] for row in rows.get("year", [])}
    counted: dict[int, int | None] = dict(years)
    first_year = next((int(r["value"]) for r in rows.get("first_year", []) if r["value"]), None)
    if capped and years and first_year is not None:
        counted.update(dict.fromkeys(range(first_year, min(years))))
    values = []
    for year in sorted(counted, reverse=True)[:YEAR_FACET_LIMIT]:
        active = criteria.year == year
        changed = replace(criteria, year=None if active else year)
        values.append(FacetValue(digits(str(year)), counted[year], changed.url(), active))
    return Facet("year", gettext("Years"), values)


def source_facet(rows: dict[str, list[dict]], criteria: Criteria) -> Facet:
    values = []
    for row in sorted(rows.get("source", []), key=lambda r: (-r["n"], r["value"])):
        active = criteria.source == row["value"]
        changed = replace(criteria, source="" if active else row["value"])
        values.append(FacetValue(row["label"], row["n"], changed.url(), active))
    return Facet("source", gettext("Sources"), values)


def language_facet(rows: dict[str, list[dict]], criteria: Criteria) -> Facet:
    """The results' languages, most articles first, each named in its own script."""
    counts: dict[str, int] = {}
    for row in rows.get("language", []):  # the counted matches', then their translations'
        counts[row["value"]] = counts.get(row["value"], 0) + row["n"]
    values = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        active = criteria.language == code
        changed = replace(criteria, language="" if active else code)
        language = languages.named(code)
        gloss = language.name if language.name != language.own_name else ""
        values.append(
            FacetValue(language.own_name, count, changed.url(), active, language.code, gloss)
        )
    return Facet("language", gettext("Languages"), values)


# The results page.


def active_filters(criteria: Criteria, recognition: Recognition) -> list[ActiveFilter]:
    filters = []
    for kind, slug in criteria.entities:
        missing = gettext("%(slug)s (not found)") % {"slug": slug}
        _id, name = recognition.filtered.get((kind, slug), (None, missing))
        label = _filter_label(str(kinds.BY_VALUE[kind].shown), name)
        filters.append(ActiveFilter(kind, label, criteria.removing_entity(kind, slug).url()))
    if criteria.year is not None:
        label = _filter_label(gettext("Year"), digits(str(criteria.year)))
        filters.append(ActiveFilter("year", label, replace(criteria, year=None).url()))
    if criteria.source:
        label = _filter_label(gettext("Source"), criteria.source)
        filters.append(ActiveFilter("source", label, replace(criteria, source="").url()))
    if criteria.since:
        day = format_with_precision(criteria.since, DatePrecision.DAY)
        label = _filter_label(pgettext("date range", "From"), day)
        filters.append(ActiveFilter("from", label, replace(criteria, since=None).url()))
    if criteria.until:
        day = format_with_precision(criteria.until, DatePrecision.DAY)
        label = _filter_label(pgettext("date range", "To"), day)
        filters.append(ActiveFilter("to", label, replace(criteria, until=None).url()))
    if criteria.language:
        label = _filter_label(gettext("Language"), languages.named(criteria.language).own_name)
        filters.append(ActiveFilter("language", label, replace(criteria, language="").url()))
    return filters


def _filter_label(name: str, value: str) -> str:
    # Translators: an active filter of the search, as "Place: Khost".
    return gettext("%(name)s: %(value)s") % {"name": name, "value": value}


def named_entities(recognition: Recognition, counted: dict[int, int]) -> list[NamedEntity]:
    """The entities the query names, in the order named, with their article counts."""
    return [
        NamedEntity(*names, article_count=counted.get(pk, 0))
        for pk, names in recognition.named.items()
    ]


def did_you_mean(criteria: Criteria, rows: list[dict]) -> list[Suggestion]:
    """The entity names closest to the words, one per entity: its best-scored name among
    ``rows`` (articles/search/names.py: near_misses, best first)."""
    suggestions, seen = [], set()
    for row in rows:
        if row["e_id"] not in seen and len(suggestions) < DID_YOU_MEAN_LIMIT:
            seen.add(row["e_id"])
            name = row["e_name"]
            suggestions.append(Suggestion(name, criteria.with_text(name).url()))
    return suggestions


def sort_links(criteria: Criteria) -> list[SortLink]:
    """The orders a reader can choose: relevance needs words."""
    orders = [order for order in SORTS if order != "relevance" or criteria.text]
    return [
        SortLink(str(SORTS[order]), replace(criteria, sort=order).url(), order == criteria.order)
        for order in orders
    ]


def ambiguous_names(recognition: Recognition, criteria: Criteria) -> list[Suggestion]:
    return [
        Suggestion(name, criteria.with_text(name).url()) for name in recognition.ambiguous_names
    ]


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass
class Counted:
    """What the counts of a search found, beside its page (articles/db/alongside.py)."""

    # For one word, the planner's estimate of its matches.
    estimate: int | None
    # How many match, counting at most EXACT_LIMIT + 1; None for a word estimated far
    # above the exact limit, which is not counted.
    counted: int | None
    # The counts statement's rows by dimension (articles/search/counts.py).
    rows: dict[str, list[dict]]
    # The names like the words, best first, when they are wanted and the words find fewer
    # than FEW_RESULTS articles (articles/search/names.py: near_misses).
    near_misses: list[dict] = field(default_factory=list)


def _estimated_and_counted(
    search_plan: queries.Plan, criteria: Criteria, recognition: Recognition
) -> Counted:
    """The estimate (one word), the counts, and the near misses when they are wanted: one
    query after another on the helper connection."""
    estimate = queries.estimated_matches(search_plan) if search_plan.estimable else None
    bounded = estimate is None or not queries.too_many_to_count(estimate, recognition.published)
    rows = counts.counts(search_plan, recognition.named, bounded)
    result = Counted(estimate, rows["total"][0]["n"] if bounded else None, rows)
    few = result.counted is not None and result.counted < FEW_RESULTS
    if recognition.near_misses_wanted and few:
        result.near_misses = near_misses(criteria.text)
    return result


def search(criteria: Criteria, page_number=None) -> SearchPage:
    """Everything the results page shows, in at most five queries whatever the number of
    hits: names; then the page's articles, ranked, and beside them on another connection
    (articles/db/alongside.py), one after the other, for one word the planner's estimate
    of its matches, the counts and, when the words find almost nothing, the names like
    them.

    Results are counted exactly up to EXACT_LIMIT (a count that stops there); beyond it
    the count is the estimate for one word (close, from the planner's statistics of each
    word) and "more than" otherwise, and the facets count the newest FACET_SAMPLE. A word
    estimated far above the limit is not counted at all."""
    if criteria.is_empty:
        return SearchPage(criteria)
    recognition = recognise(criteria.text, criteria.entities)
    result = SearchPage(
        criteria,
        named_entities=named_entities(recognition, {}),
        active_filters=active_filters(criteria, recognition),
        ambiguous=ambiguous_names(recognition, criteria),
        sorts=sort_links(criteria),
    )
    search_plan = queries.plan(criteria, recognition)
    per_page = settings.ARTICLES_PER_PAGE
    if search_plan is None:
        result.page = ResultsPaginator(0, per_page).page(1)
        return result
    number = _page_number(page_number)
    counting = alongside(_estimated_and_counted, search_plan, criteria, recognition)
    articles = ranking.page_articles(search_plan, (number - 1) * per_page, per_page + 1)
    more, articles = len(articles) > per_page, articles[:per_page]
    found = counting.result()
    counted = found.counted
    if counted is not None and counted <= queries.EXACT_LIMIT:
        total, result.count_kind = counted, "exact"
    elif found.estimate is not None:
        total, result.count_kind = max(found.estimate, queries.EXACT_LIMIT + 1), "about"
    else:
        total, result.count_kind = queries.EXACT_LIMIT + 1, "more"
    if counted is None:
        result.sample = gettext("the newest %(count)s matches") % {
            "count": numerals.number(queries.FACET_SAMPLE)
        }
    elif counted > queries.EXACT_LIMIT:
        result.sample = gettext("%(count)s of the matches") % {"count": numerals.number(counted)}
    offset = (number - 1) * per_page
    if result.count_kind != "exact" and articles:
        if more:  # at least one more page, whatever was estimated
            total = max(total, offset + per_page + 1)
        else:  # the last page: now the total is known
            total, result.count_kind = offset + len(articles), "exact"
    paginator = ResultsPaginator(total, per_page)
    if not articles and number > paginator.num_pages:
        # Beyond the last page: the last page instead, as Django's get_page does.
        number = paginator.num_pages
        if total:
            articles = ranking.page_articles(search_plan, (number - 1) * per_page, per_page)
    result.page = Page(articles, number, paginator)
    rows = found.rows
    named_counts = {int(row["value"]): row["n"] for row in rows.get("named", [])}
    result.named_entities = named_entities(recognition, named_counts)
    if total:
        result.facets = [
            *entity_facets(rows, criteria),
            year_facet(rows, criteria, bool(result.sample)),
            source_facet(rows, criteria),
            language_facet(rows, criteria),
        ]
    if criteria.text and total < FEW_RESULTS:
        result.did_you_mean = did_you_mean(criteria, found.near_misses)
    return result

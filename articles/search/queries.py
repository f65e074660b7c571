"""Search in PostgreSQL: matching, ranking, headlines and the counts behind the facets
(what the results page makes of them: articles/search/results.py).

Everything starts from the public gate: ``Article.objects.published()`` for articles, and
``Entity.objects.with_article_counts()`` for counts, so drafts and scheduled articles never
appear or count.

Words are matched against ``Article.search_vector``, a weighted tsvector the database keeps
(title A, standfirst B, body C) with a GIN index. Queries use ``websearch_to_tsquery``, which
understands "phrases", OR and -exclusion and never raises on odd input.

A query, or a run of its words, that names an entity in any spelling (articles/search/names.py)
also finds the articles tagged with it, whatever spelling their text uses.

The results are a ranked list of at most about twice CANDIDATES articles (``ranked_ids``):
ranking reads every candidate's search vector, so a bounded list keeps a word found in most
of the archive as fast as a rare one. Its page, facets and counts come from that list. The
results page costs four queries whatever the number of hits: names, the ranked list, the
page's articles with their highlighted passages and main tags, and counts (the entities,
years and sources of the list, the named entities' articles, and when capped the archive's
first year).
"""

import datetime
import functools
import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Cast, Concat, ExtractYear, RowNumber
from django.db.models.lookups import Exact
from django.http import QueryDict
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from articles import kinds
from articles.db.compiled import IsAnyOf, Slot, compiled, ids_slot, is_any_of
from articles.db.functions import SEARCH_CONFIG, search_text
from articles.models import Article, Entity, Mention
from articles.search.names import Recognition, is_plain

MAX_QUERY_LENGTH = 300
MAX_FILTERS_PER_KIND = 5
FACET_LIMIT = 10
YEAR_FACET_LIMIT = 30
# The query that ranks and highlights is an OR of at most this many words.
MAX_RANK_WORDS = 32
# A passage to highlight is looked for where one of the words begins: at least this many
# letters of it.
WORD_BEGINNING = 4
# The results list at most this many of a search's newest matches, plus as many of its newest
# matches in a headline or standfirst (see ranked_ids).
CANDIDATES = 300
# Entities tagging at most this many articles are matched from their tags first (_tagged).
SPARSE_TAGS = 5_000
NO_LIMIT = 2**62


# Private-use characters mark the matches in headlines: the headline is escaped first and
# only then are these replaced by <mark> tags.
_START, _STOP = "\ue000", "\ue001"
# Markdown syntax that would show as noise in a plain-text snippet: backslash escapes (kept
# as the escaped character), links and images (kept as their text), heading and quote
# markers, emphasis and code markers.
_MARKDOWN_NOISE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|!?\[(?P<link>[^\]\n]*)\]\([^)\n]*\)"
    r"|(?:^|(?<=\s))(?:#{1,6}|>)(?=\s)"
    r"|\*{1,3}|`+"
)
# The characters every piece of that syntax holds: a passage without them is left as it is.
_MARKDOWN_MARKERS = re.compile(r"[\\\[#>*`]")
_WORD = re.compile(r"\w+")


# Criteria: what the reader asked for, and links that change it.


@dataclass(frozen=True)
class Criteria:
    """A search: words, and filters by entity (``(kind, slug)`` pairs), year and source."""

    text: str = ""
    entities: tuple[tuple[str, str], ...] = ()
    year: int | None = None
    source: str = ""

    def __post_init__(self):
        # One order for the filters (by kind, then as given), so links are canonical.
        unique = dict.fromkeys(self.entities)
        ordered = sorted(unique, key=lambda e: kinds.VALUES.index(e[0]))
        object.__setattr__(self, "entities", tuple(ordered))

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.entities or self.year is not None or self.source)

    def params(self) -> list[tuple[str, str]]:
        params = [("q", self.text)] if self.text else []
        params += list(self.entities)
        if self.year is not None:
            params.append(("year", str(self.year)))
        if self.source:
            params.append(("source", self.source))
        return params

    def query_dict(self) -> QueryDict:
        """The canonical query string: what ``{% querystring %}`` builds page links on."""
        query = QueryDict(mutable=True)
        for name, value in self.params():
            query.appendlist(name, value)
        return query

    def url(self) -> str:
        query = urlencode(self.params())
        return _search_path(get_script_prefix()) + (f"?{query}" if query else "")

    def with_text(self, text: str) -> "Criteria":
        return replace(self, text=text)

    def adding_entity(self, kind: str, slug: str) -> "Criteria":
        if (kind, slug) in self.entities:
            return self
        return replace(self, entities=(*self.entities, (kind, slug)))

    def removing_entity(self, kind: str, slug: str) -> "Criteria":
        return replace(self, entities=tuple(e for e in self.entities if e != (kind, slug)))


@functools.cache
def _search_path(script_prefix: str) -> str:
    """The search page's path, resolved once per prefix: a results page links to it from
    every facet."""
    return reverse("articles:search")


# Articles: filtering and ranking. Each query is built from a search's Plan: its shape,
# with slots where its values go, compiled once per shape (articles/db/compiled.py) and
# run with the plan's values.


@dataclass(frozen=True)
class Shape:
    """What a search's SQL depends on beside its values."""

    filters: int = 0
    year: bool = False
    source: bool = False
    # How the words match: "" (no words), "text", "name" (the whole query names entities)
    # or "names" (runs of it do, ``runs`` of them, with or without other words).
    words: str = ""
    runs: int = 0
    rest: bool = False
    plain: bool = True
    # For each tag condition ("name", or each run of "names"): whether its entities tag
    # few enough articles to be read from the tags first (see _tagged).
    sparse: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Plan:
    shape: Shape
    values: dict


def _ids(name: str) -> Slot:
    return ids_slot(name)


def _moment(name: str) -> Slot:
    return Slot(name, DateTimeField())


def plan(criteria: Criteria, recognition: Recognition) -> Plan | None:
    """The shape and values of a search; None when a filter names no entity (nothing can
    match)."""
    values: dict = {}
    for index, entity in enumerate(criteria.entities):
        if entity not in recognition.filtered:
            return None
        entity_id, _name = recognition.filtered[entity]
        values[f"filter{index}"] = [entity_id]
    if criteria.year is not None:
        zone = timezone.get_current_timezone()
        values["year_start"] = datetime.datetime(criteria.year, 1, 1, tzinfo=zone)
        values["year_end"] = datetime.datetime(criteria.year + 1, 1, 1, tzinfo=zone)
    if criteria.source:
        values["source"] = criteria.source
    shape = Shape(len(criteria.entities), criteria.year is not None, bool(criteria.source))
    if not criteria.text:
        return Plan(shape, values)
    values["text"] = criteria.text
    words = rank_words(criteria, recognition)
    values["rank_words"] = " or ".join(words)
    values["passage_starts"] = word_beginnings(words)
    shape = replace(shape, words="text", plain=is_plain(criteria.text))
    segments = recognition.segments
    named = [s for s in segments if s.entity_ids]
    sparse = tuple(
        sum(recognition.tagged.get(entity_id, 0) for entity_id in run.entity_ids) <= SPARSE_TAGS
        for run in named
    )
    if named and len(segments) == 1:  # the whole query is a name: keep its own syntax
        values["name_ids"] = named[0].entity_ids
        shape = replace(shape, words="name", sparse=sparse)
    elif named:
        values["every_word"] = " ".join(word for s in segments for word in s.words)
        for index, run in enumerate(named):
            values[f"run{index}"] = run.entity_ids
        rest = " ".join(word for s in segments if not s.entity_ids for word in s.words)
        values["rest"] = rest
        shape = replace(shape, words="names", runs=len(named), rest=bool(rest), sparse=sparse)
    return Plan(shape, values)


def _query(text, search_type: str = "websearch") -> SearchQuery:
    return SearchQuery(search_text(text), search_type=search_type, config=SEARCH_CONFIG)


def _constrains_nothing(query: SearchQuery) -> Exact:
    """True when a query has no lexemes (only stop words), so it should constrain nothing;
    the planner folds this to a constant."""
    return Exact(Func(query, function="numnode", output_field=IntegerField()), 0)


def _tagged(entity_ids, sparse: bool) -> Q:
    """Tagged with any of ``entity_ids`` (an array expression).

    Looking for the newest such articles, PostgreSQL walks the latest-articles index and
    probes the tags of each article, which is right for an entity in most articles and
    slow for one in a few percent (tens of thousands of probes). For those (``sparse``),
    their tags are read first, from the mention index: the LIMIT, far above any count,
    keeps the planner from turning the subquery back into a probe per article."""
    tags = Mention.objects.filter(IsAnyOf(F("entity_id"), entity_ids))
    if sparse:
        return Q(pk__in=tags.values("article_id")[:NO_LIMIT])
    return Q(Exists(tags.filter(article=OuterRef("pk"))))


@dataclass(frozen=True)
class Matching:
    """How articles match a search's words: by their text (``words``), or, when the words
    name entities, by their tags (every name as a tag, the other words in the text). An
    article matching either way matches; each way alone is served by an index."""

    words: SearchQuery
    tags: Q | None = None

    @property
    def text(self) -> Q:
        return Q(search_vector=self.words)

    def ways(self) -> list[Q]:
        return [self.text] if self.tags is None else [self.text, self.tags]


def match_words(shape: Shape) -> Matching | None:
    """The words as text, and as tags for the runs that name entities ("Hamid Kabul":
    the text has both words, or the article is tagged Faiz Hameed and its text says
    Kabul)."""
    if shape.words == "text":
        return Matching(_query(Slot("text")))
    if shape.words == "name":
        return Matching(_query(Slot("text")), _tagged(_ids("name_ids"), *shape.sparse))
    if shape.words != "names":
        return None
    runs = zip(range(shape.runs), shape.sparse, strict=True)
    tags = Q(*(_tagged(_ids(f"run{index}"), sparse) for index, sparse in runs))
    if shape.rest:
        rest_query = _query(Slot("rest"), "plain")
        tags &= Q(search_vector=rest_query) | _constrains_nothing(rest_query)
    return Matching(_query(Slot("every_word"), "plain"), tags)


def filter_by_facets(queryset: QuerySet, shape: Shape) -> QuerySet:
    """``queryset`` narrowed to the search's entities, year and source. Entities are
    filtered by id, which lets the planner know how many articles each one tags."""
    for index in range(shape.filters):
        queryset = queryset.filter(_tagged(_ids(f"filter{index}"), sparse=False))
    if shape.year:
        start, end = _moment("year_start"), _moment("year_end")
        queryset = queryset.filter(published_at__gte=start, published_at__lt=end)
    if shape.source:
        queryset = queryset.filter(source_name=Slot("source"))
    return queryset


def rank_words(criteria: Criteria, recognition: Recognition) -> list[str]:
    """What articles are ranked and highlighted by: any of the words, or of the names of
    the entities the words name (so an article tagged Faiz Hameed ranks and is marked by
    how it names him).

    It has no phrase: ts_rank ignores phrases anyway, and ts_headline with long phrases of
    repeated words over long documents can take gigabytes. Excluded words may be in it:
    the results cannot contain them."""
    texts = [criteria.text]
    for _kind, _slug, name, spelling in recognition.named.values():
        texts += [name, spelling]
    words = dict.fromkeys(word.casefold() for text in texts for word in _WORD.findall(text))
    return list(words)[:MAX_RANK_WORDS]


def word_beginnings(words: Iterable[str]) -> str:
    """Where a passage to highlight may start: each word less up to three letters of
    ending ("refug" finds refugee and refugees), so that most forms of it are found."""
    return " ".join(word[: max(WORD_BEGINNING, len(word) - 3)] for word in words)


def rank(queryset: QuerySet, shape: Shape) -> QuerySet:
    """Best first: by rank (title weighs more than standfirst, standfirst than body), then
    latest first; without words, latest first."""
    if not shape.words:
        return queryset.latest_first()
    return queryset.annotate(
        rank=SearchRank(F("search_vector"), _query(Slot("rank_words")))
    ).order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")


# Headlines.


def highlight(headline: str) -> SafeString:
    """A headline from ``ts_headline`` as safe HTML: its Markdown syntax dropped, escaped,
    and only then its match markers turned into <mark> elements."""

    def plain(match: re.Match) -> str:
        return match["escaped"] or match["link"] or ""

    text = html.unescape(headline)
    if _MARKDOWN_MARKERS.search(text):
        text = _MARKDOWN_NOISE.sub(plain, text)
    text = html.escape(" ".join(text.split()), quote=False)
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


class Passage(SearchHeadline):
    """``ts_headline`` over the part of the text around the first of ``starts`` (a text of
    word beginnings; see word_beginnings), or over all of it when that part does not
    match: newsarchive_headline, articles/db/sql/headline.sql."""

    function = "newsarchive_headline"

    def __init__(self, expression, query, starts, *, config, start_sel, **options):
        super().__init__(expression, query, config=config, start_sel=start_sel, **options)
        mark = Value(start_sel, output_field=TextField())
        self.set_source_expressions([*self.get_source_expressions(), starts, mark])


def _with_headlines(queryset: QuerySet, query: SearchQuery, starts) -> QuerySet:
    """Headlines for the page only: PostgreSQL computes them after sorting and LIMIT."""
    return queryset.annotate(
        headline=Passage(
            Concat("standfirst", Value("\n\n"), "body", output_field=TextField()),
            query,
            starts,
            config=SEARCH_CONFIG,
            start_sel=_START,
            stop_sel=_STOP,
            max_fragments=2,
            max_words=30,
            min_words=12,
            fragment_delimiter=" … ",
        )
    )


# The results: a bounded, ranked list of ids.


@compiled
def _ranked_ids_query(shape: Shape, limit: int) -> QuerySet:
    """Ranking reads each candidate's whole search vector, so ranking every match of a
    common word (two thirds of the archive for "refugees") would take seconds. The
    candidates are therefore the newest ``limit`` matches of each way of matching (text,
    tags), and the newest ``limit`` that match in their headline or standfirst (the
    best-ranked kind, so kept even when older). Each part comes straight off an index: the
    latest-articles index for common words and entities, the GIN or mention indexes for
    rare ones."""
    filtered = filter_by_facets(Article.objects.published(), shape)
    matching = match_words(shape)
    if matching is None:
        return filtered.latest_first().values_list("pk", flat=True)[:limit]
    newest = [filtered.filter(way).latest_first().values("pk") for way in matching.ways()]
    # The search vector holds the head vector's positions, so a head match is a match,
    # unless the query excludes a word (which the body may hold).
    in_head = filtered.filter(head_vector=matching.words).latest_first().values("pk")
    if not shape.plain:
        in_head = Article.objects.filter(matching.text, pk__in=in_head[:limit])
    first, *rest = [part[:limit] for part in [*newest, in_head]]
    candidates = first.union(*rest)
    ranked = rank(Article.objects.filter(pk__in=candidates), shape)
    return ranked.values_list("pk", flat=True)


def ranked_ids(search_plan: Plan) -> list[int]:
    """The results, best first, as article ids: one query. More than CANDIDATES ids means
    there are more matches than the list holds; fewer, and the list holds them all."""
    return _ranked_ids_query(search_plan.shape, CANDIDATES + 1).column(**search_plan.values)


@compiled
def _page_query(with_words: bool) -> QuerySet:
    articles = Article.objects.published().filter(is_any_of("pk", "ids")).defer("body")
    articles = articles.with_main_tags()
    if with_words:
        query = _query(Slot("rank_words"))
        articles = _with_headlines(articles, query, Slot("passage_starts"))
    return articles


def page_articles(ids: Sequence[int], search_plan: Plan) -> list[Article]:
    """The page's articles in the order of ``ids``, with their main tags and, for words,
    their highlighted passage: one query."""
    if not ids:
        return []
    with_words = bool(search_plan.shape.words)
    statement = _page_query(with_words)
    by_id = {}
    for article in statement.instances(Article, **search_plan.values, ids=ids):
        # Raw rows leave the JSON of the main tags as text.
        article.main_people_data = [json.loads(tag) for tag in article.main_people_data]
        article.main_places_data = [json.loads(tag) for tag in article.main_places_data]
        article.snippet = highlight(article.headline) if with_words else ""
        by_id[article.pk] = article
    return [by_id[pk] for pk in ids if pk in by_id]


# Counts: facets of the results, the named entities' articles, the archive's first year.


def _entity_facet_rows() -> QuerySet:
    """People, places, events and organisations tagged in the results, most tagged first,
    at most FACET_LIMIT of each kind (by a window function)."""
    return (
        Mention.objects.filter(is_any_of("article_id", "ids"))
        .values(dimension=F("entity__kind"), value=F("entity__slug"), label=F("entity__name"))
        .annotate(n=Count("pk"))
        .annotate(
            position=Window(
                RowNumber(), partition_by=F("entity__kind"), order_by=[F("n").desc(), "label"]
            )
        )
        .filter(position__lte=FACET_LIMIT)
    )


def _named_counts() -> QuerySet:
    """How many published articles are tagged with each entity (the database's tallies)."""
    return (
        Entity.objects.filter(is_any_of("pk", "named"))
        .with_article_counts()
        .values(dimension=Value("named"), value=Cast("pk", TextField()), label=Value(""))
        .annotate(n=F("article_count"), position=Value(0))
    )


def _first_year() -> QuerySet:
    """The year of the oldest public article: one probe of the latest-articles index."""
    year = Cast(ExtractYear("published_at"), TextField())
    return (
        Article.objects.published()
        .order_by(F("published_at").asc(nulls_first=True), "id")
        .values(dimension=Value("first_year"), value=year, label=year)
        .annotate(n=Value(0), position=Value(0))[:1]
    )


def _year_and_source_rows() -> list[QuerySet]:
    """Years of the results (latest first) and their sources (most articles first)."""
    results = Article.objects.filter(is_any_of("pk", "ids"))
    year = Cast(ExtractYear("published_at"), TextField())
    years = (
        results.values(dimension=Value("year"), value=year, label=year)
        .annotate(n=Count("pk"), position=Value(0))
        .order_by("-value")[:YEAR_FACET_LIMIT]
    )
    sources = (
        results.exclude(source_name="")
        .values(dimension=Value("source"), value=F("source_name"), label=F("source_name"))
        .annotate(n=Count("pk"), position=Value(0))
        .order_by("-n", "value")[:FACET_LIMIT]
    )
    return [years, sources]


@compiled
def _counts_query(results: bool, named: bool, capped: bool) -> QuerySet:
    """One query (a UNION ALL) of the parts asked for; every part selects dimension, value,
    label, n and position, in that order."""
    parts = [_entity_facet_rows(), *_year_and_source_rows()] if results else []
    if named:
        parts.append(_named_counts())
    if capped:
        parts.append(_first_year())
    first, *rest = parts
    # The union must not inherit a model's default ordering (by columns it lacks).
    return first.union(*rest, all=True).order_by()


def counts(ids: Sequence[int], named: Iterable[int], capped: bool) -> dict[str, list[dict]]:
    """Every count the results page shows, in one query: the entities, years and sources
    of the results, the named entities' published article counts and, when the results
    are capped, the archive's first year."""
    named = sorted(named)
    rows: dict[str, list[dict]] = {}
    if ids or named or capped:
        statement = _counts_query(bool(ids), bool(named), capped)
        for row in statement.rows(ids=ids, named=named):
            rows.setdefault(row["dimension"], []).append(row)
    return rows

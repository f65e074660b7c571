"""Search in PostgreSQL: a search's plan and how articles match it (the ranked page:
articles/search/ranking.py; the passages: articles/search/passages.py; the counts behind
the facets: articles/search/counts.py; what the results page makes of them:
articles/search/results.py).

Everything starts from the public gate: ``Article.objects.published()`` for articles, and
``Entity.objects.with_article_counts()`` for counts, so drafts and scheduled articles never
appear or count.

Words are matched against ``Article.search_vector``, a weighted tsvector the database keeps
(title A, standfirst B, body C), and ``Article.head_vector`` (title and standfirst), each
with a RUM index, which finds the matches and gives them in order of relevance (``vector
<=> query``) without reading the articles: the articles whose headline and standfirst
answer the words rank first, then those whose whole text does (ranking.py); every
match is ranked, and every page of them reachable. Queries use ``websearch_to_tsquery``, which
understands "phrases", OR and -exclusion and never raises on odd input. A query with a
phrase is matched in ``Article.pair_vector``, which holds each pair of adjacent words as a
word of its own (match_words).

A query, or a run of its words, that names an entity in any spelling (articles/search/names.py)
matches every spelling of that entity's names too, so the articles tagged with it are found
and ranked by the words they use; the few tagged with it by their file or an editor
without naming it in a way the text search reads come after them (the "residue").

A results page costs at most three queries beside the names: the planner's estimate of the
matches (for a single word, whose estimate is close), the page (its articles ranked, with
their passages and main tags, in one statement) and the counts (how many match, exactly up
to EXACT_LIMIT, and the facets: articles/search/counts.py), the last two at once on two
connections; and a fourth, the names like the words, when they find almost nothing
(articles/search/results.py).
"""

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.contrib.postgres.fields import DateRangeField
from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone

from articles.db.compiled import CompiledQuery, IsAnyOf, Slot, compiled, ids_slot
from articles.db.functions import (
    AnyOfPhrases,
    NamesQuery,
    PairedQuery,
    WordsQuery,
    date_span,
)
from articles.models import Article, Mention
from articles.search.criteria import Criteria
from articles.search.names import Recognition, is_plain
from articles.text.folding import fold_arabic_script

FACET_LIMIT = 10
YEAR_FACET_LIMIT = 30
# The query that highlights passages is an OR of at most this many words.
MAX_RANK_WORDS = 32
# A passage to highlight is looked for where one of the words begins: at least this many
# letters of it.
WORD_BEGINNING = 4
# Results are counted exactly, and their facets counted over all of them, up to this many
# (counting reads each match's row, a few kilobytes with its search vector: this many cost
# a few milliseconds); beyond it the count is the planner's estimate (one word) or "more
# than", and the facets count the matches counted, or for a word estimated far above it,
# the newest FACET_SAMPLE.
EXACT_LIMIT = 2_000
FACET_SAMPLE = 1_000
# An estimate above this many is trusted without counting: the planner's estimates of a
# single word are within a few percent of the truth (tests/search/test_relevance.py).
ESTIMATE_TRUSTED_ABOVE = 2 * EXACT_LIMIT
# ... when it is also at least this share of the archive (where its size is known). The
# newest FACET_SAMPLE matches of so common a word are among the newest few thousand
# articles; of a rarer one PostgreSQL reads and sorts every match to find them, which
# costs more than a count that stops at EXACT_LIMIT (a name in 1.7% of a million
# articles: 87 ms against 20).
SAMPLED_SHARE = 0.1


def too_many_to_count(estimate: int, published: int) -> bool:
    """Whether the matches, estimated at ``estimate`` in an archive of ``published``
    articles (0: unknown), are left uncounted, and the facets count the newest of them."""
    return estimate > ESTIMATE_TRUSTED_ABOVE and estimate >= SAMPLED_SHARE * published


# Entities tagging at most this many articles are matched from their tags first (_tagged).
SPARSE_TAGS = 5_000
# A search by relevance filtered by an entity that tags at most this share of the archive
# is ranked from that entity's tags (Shape.tags_first).
TAGS_FIRST_SHARE = 0.01
NO_LIMIT = 2**62


_WORD = re.compile(r"\w+")
# What websearch_to_tsquery reads as a phrase: a quotation, or words joined by a sign
# ("cross-border", "U.N").
_PHRASE = re.compile(r'"|\w[^\w\s"]+\w')


# Articles: filtering and ranking. Each query is built from a search's Plan: its shape,
# with slots where its values go, compiled once per shape (articles/db/compiled.py) and
# run with the plan's values.


@dataclass(frozen=True)
class Shape:
    """What a search's SQL depends on beside its values."""

    # For each entity filtered by: whether it tags a small enough share of the archive
    # that the matches are ranked by relevance from its tags (see tags_first).
    filters: tuple[bool, ...] = ()
    year: bool = False
    source: bool = False
    since: bool = False
    until: bool = False
    language: bool = False
    # How the words match: "" (no words), "text", "name" (the whole query names entities)
    # or "names" (runs of it do, ``runs`` of them, with or without other words).
    words: str = ""
    runs: int = 0
    rest: bool = False
    plain: bool = True
    # For each tag condition ("name", or each run of "names"): whether its entities tag
    # few enough articles to be read from the tags first (see _tagged).
    sparse: tuple[bool, ...] = ()
    # Whether passages are highlighted by the words as typed as well as folded (Arabic
    # script that folding changes).
    as_typed: bool = False
    # Whether the words (or the names they name) hold a phrase, matched as pairs of
    # adjacent words (see match_words).
    pairs: bool = False
    # Whether the words are one word or a phrase of two, by relevance and unfiltered: the
    # articles whose text alone holds it are ranked from the index of repeats
    # (ranking.py, _repeated_tier).
    repeats: bool = False
    order: str = "newest"

    @property
    def tags_first(self) -> bool:
        """Whether the matches are ranked after the tags of a filtered entity are read.

        The index returns the matches of the words in order, and the filter keeps about its
        share of them: for an entity in one article of a hundred, PostgreSQL reads a hundred
        matches for each article of the page, and for every one tied with the page's last
        (the tie is broken by date). Where the entity's tags are fewer than that, reading its
        articles and ranking those that match costs less, and the planner, which prices only
        the page, cannot tell. Without the index's order to take, it chooses by cost between
        the tags and the words' matches, whichever are fewer. By date there are no ties to
        misprice: the filter stays a probe of each article's tags, and the planner chooses
        between walking the latest-articles index and reading the tags first."""
        return any(self.filters)

    @property
    def filtered(self) -> bool:
        """Whether anything but the words narrows the matches: an entity, a year, a
        source, a language or days."""
        filters = (self.year, self.source, self.language, self.since, self.until)
        return bool(self.filters) or any(filters)

    @property
    def estimable(self) -> bool:
        """Whether the planner's estimate of the words' matches is close: for one word and
        column filters, from its statistics of each word's frequency. Phrases (it does not
        know which words stand together) and tag filters it can miss by a factor of ten.
        A word that names an entity is estimated with the entity's other names (constants
        in the query: NamesQuery), whose phrases are few beside the word's matches."""
        return self.words in ("text", "name") and self.plain and not self.filters


@dataclass(frozen=True)
class Plan:
    shape: Shape
    values: dict
    # Whether the words are one word, so that the planner's estimate of them is close.
    one_word: bool = False

    @property
    def estimable(self) -> bool:
        return self.one_word and self.shape.estimable


def _ids(name: str) -> Slot:
    return ids_slot(name)


def _moment(name: str) -> Slot:
    return Slot(name, DateTimeField())


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def plan(criteria: Criteria, recognition: Recognition) -> Plan | None:
    """The shape and values of a search; None when a filter names no entity (nothing can
    match)."""
    values: dict = {}
    filters = []
    for index, entity in enumerate(criteria.entities):
        if entity not in recognition.filtered:
            return None
        entity_id, _name = recognition.filtered[entity]
        values[f"filter{index}"] = [entity_id]
        share = recognition.tagged[entity_id] / max(recognition.published, 1)
        filters.append(share <= TAGS_FIRST_SHARE and criteria.order == "relevance")
    if criteria.year is not None:
        values["year_start"] = _start_of(datetime.date(criteria.year, 1, 1))
        values["year_end"] = _start_of(datetime.date(criteria.year + 1, 1, 1))
    if criteria.source:
        values["source"] = criteria.source
    if criteria.since:
        values["since"] = criteria.since
        values["since_start"] = _start_of(criteria.since)
    if criteria.until:
        values["until"] = criteria.until
        values["until_end"] = _start_of(criteria.until + datetime.timedelta(days=1))
    if criteria.language:
        values["language"] = criteria.language
    shape = Shape(
        tuple(filters),
        criteria.year is not None,
        bool(criteria.source),
        since=bool(criteria.since),
        until=bool(criteria.until),
        language=bool(criteria.language),
        order=criteria.order,
    )
    if not criteria.text:
        return Plan(shape, values)
    values["text"] = criteria.text
    words = rank_words(criteria, recognition)
    values["rank_words"] = " or ".join(words)
    values["passage_starts"] = word_beginnings(words)
    as_typed = fold_arabic_script(values["rank_words"]) != values["rank_words"]
    shape = replace(shape, words="text", plain=is_plain(criteria.text), as_typed=as_typed)
    segments = recognition.segments
    named = [s for s in segments if s.entity_ids]
    sparse = tuple(
        sum(recognition.tagged.get(entity_id, 0) for entity_id in run.entity_ids) <= SPARSE_TAGS
        for run in named
    )
    one_word = len(_WORD.findall(criteria.text)) == 1
    pairs = bool(_PHRASE.search(criteria.text)) and not shape.tags_first
    if named and len(segments) == 1:  # the whole query is a name: keep its own syntax
        values["name_ids"] = named[0].entity_ids
        values["name_query"] = recognition.names_query(named[0].entity_ids)
        # A name's phrases, as pairs: each mention of it counts once, whatever its words.
        shape = replace(shape, words="name", sparse=sparse, pairs=not shape.tags_first)
    elif named:
        values["every_word"] = " ".join(word for s in segments for word in s.words)
        for index, run in enumerate(named):
            values[f"run{index}"] = run.entity_ids
            values[f"run_query{index}"] = recognition.names_query(run.entity_ids)
        values["named_ids"] = frozenset().union(*(run.entity_ids for run in named))
        rest = " ".join(word for s in segments if not s.entity_ids for word in s.words)
        values["rest"] = rest
        shape = replace(shape, words="names", runs=len(named), rest=bool(rest), sparse=sparse)
    else:
        few_words = one_word or (pairs and len(_WORD.findall(criteria.text)) == 2)
        repeats = few_words and shape.plain and not shape.filtered and shape.order == "relevance"
        shape = replace(shape, pairs=pairs, repeats=repeats)
    return Plan(shape, values, one_word)


def _query(text, search_type: str = "websearch") -> WordsQuery:
    return WordsQuery(text, search_type)


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


def _tagged_without_text(entity_ids) -> Q:
    """Tagged with any of ``entity_ids`` by the article's file or an editor rather than
    found in its text: the only tags whose articles the names' phrases may not match."""
    tags = Mention.objects.filter(IsAnyOf(F("entity_id"), entity_ids)).exclude(
        origin=Mention.Origin.TEXT
    )
    return Q(pk__in=tags.values("article_id")[:NO_LIMIT])


@dataclass(frozen=True)
class Matching:
    """How articles match a search's words: their text matches ``words`` (which, when the
    words name entities, holds every name of those entities as a phrase), or, for the
    ``residue``, they are tagged with the named entities by their file or an editor.

    With ``pairs``, the words' phrases are matched as pairs of adjacent words (``indexed``)
    in the pair vector, through its index; a single row's text is tested in its search
    vector (``in_row``), which the row holds, where the pair vector is read apart."""

    words: WordsQuery
    residue: Q | None = None
    pairs: bool = False

    @property
    def indexed(self) -> WordsQuery | PairedQuery:
        """The words as the index and the head vector take them."""
        return PairedQuery(self.words) if self.pairs else self.words

    @property
    def vector(self) -> str:
        return "pair_vector" if self.pairs else "search_vector"

    @property
    def text(self) -> Q:
        return Q(**{self.vector: self.indexed})

    @property
    def in_row(self) -> Q:
        return Q(search_vector=self.words)


def match_words(shape: Shape) -> Matching | None:
    """The words as text, and as the names of the entities runs of them name ("Hamid
    Kabul": the text has both words, or names Faiz Hameed in any spelling and says
    Kabul).

    A phrase is matched as pairs of adjacent words in the pair vector (and the head
    vector), which finds it from one list of the index rather than by meeting the lists of
    its words and checking their positions; the match is the same (tests/search/
    test_phrase_pairs.py). Not when a filter's tags are read first: then each candidate's
    row is read, and the row holds the search vector.

    The names' query holds each of its words and phrases once (AnyOfPhrases): RUM ranks a
    word once for each time the query holds it, so "Taliban", typed, named and in "Afghan
    Taliban", would count three times where "Taleban" counts once."""
    if shape.words == "text" and shape.pairs:
        return Matching(_query(Slot("text")), pairs=True)
    if shape.words == "text":
        return Matching(_query(Slot("text")))
    if shape.words == "name":
        names = AnyOfPhrases(_query(Slot("text")) | NamesQuery(Slot("name_query")))
        return Matching(names, _tagged_without_text(_ids("name_ids")), pairs=shape.pairs)
    if shape.words != "names":
        return None
    runs = [AnyOfPhrases(NamesQuery(Slot(f"run_query{index}"))) for index in range(shape.runs)]
    named = functools.reduce(lambda left, right: left & right, runs)
    tags = Q(
        *(
            _tagged(_ids(f"run{index}"), sparse)
            for index, sparse in zip(range(shape.runs), shape.sparse, strict=True)
        )
    )
    if shape.rest:
        rest_query = _query(Slot("rest"), "plain")
        named &= rest_query
        tags &= Q(search_vector=rest_query) | _constrains_nothing(rest_query)
    words = _query(Slot("every_word"), "plain") | named
    return Matching(words, tags & _tagged_without_text(_ids("named_ids")))


def _constrains_nothing(query) -> Exact:
    """True when a query has no lexemes (only stop words), so it should constrain nothing;
    the planner folds this to a constant."""
    return Exact(Func(query, function="numnode", output_field=IntegerField()), 0)


def filter_by_facets(queryset: QuerySet, shape: Shape) -> QuerySet:
    """``queryset`` narrowed to the search's entities, year, source, language and days. Entities are
    filtered by id, which lets the planner know how many articles each one tags. Days
    keep the articles whose date, at its precision, lies wholly inside them (a date known
    to "late November" is in 21-30 November): the published_at bounds come first, for the
    index. For a search by relevance, an entity in a small share of the archive is
    filtered by its tags, read first (_tagged, Shape.tags_first)."""
    for index, sparse in enumerate(shape.filters):
        queryset = queryset.filter(_tagged(_ids(f"filter{index}"), sparse))
    if shape.year:
        start, end = _moment("year_start"), _moment("year_end")
        queryset = queryset.filter(published_at__gte=start, published_at__lt=end)
    if shape.source:
        queryset = queryset.filter(source_name=Slot("source"))
    if shape.language:
        queryset = queryset.filter(language=Slot("language"))
    if shape.since or shape.until:
        if shape.since:
            queryset = queryset.filter(published_at__gte=_moment("since_start"))
        if shape.until:
            queryset = queryset.filter(published_at__lt=_moment("until_end"))
        days = Func(
            Slot("since", DateField()) if shape.since else Value(None, DateField()),
            Slot("until", DateField()) if shape.until else Value(None, DateField()),
            Value("[]"),
            function="daterange",
            output_field=DateRangeField(),
        )
        span = date_span(TruncDate("published_at"), F("date_precision"))
        queryset = queryset.alias(span=span).filter(span__contained_by=days)
    return queryset


def rank_words(criteria: Criteria, recognition: Recognition) -> list[str]:
    """What passages are highlighted by: any of the words, or of the names of the
    entities the words name (so an article tagged Faiz Hameed is marked by how it names
    him).

    It has no phrase: ts_headline with long phrases of repeated words over long documents
    can take gigabytes. Excluded words may be in it: the results cannot contain them."""
    texts = [criteria.text]
    for _kind, _slug, name, spelling in recognition.named.values():
        texts += [name, spelling]
    words = dict.fromkeys(word.casefold() for text in texts for word in _WORD.findall(text))
    return list(words)[:MAX_RANK_WORDS]


def word_beginnings(words: Iterable[str]) -> str:
    """Where a passage to highlight may start: each word less up to three letters of
    ending ("refug" finds refugee and refugees), so that most forms of it are found."""
    return " ".join(word[: max(WORD_BEGINNING, len(word) - 3)] for word in words)


# The matches: the articles whose text matches, then the residue, in the order asked for.


def kept_by_filters(shape: Shape, matching: Matching | None, stories: bool) -> QuerySet:
    """The published articles the filters keep. With ``stories``, a story told in several
    languages is matched once: a translation is left out when its original's text matches
    too (the results list it beside the original)."""
    filtered = filter_by_facets(Article.objects.published(), shape)
    if not stories:
        return filtered
    originals = filter_by_facets(Article.objects.published(), shape)
    if matching is not None:
        originals = originals.filter(matching.in_row)
    # The original by its id, probed for each translation among the matches (few). The
    # second condition, always true, keeps PostgreSQL from hashing every match of the
    # words instead, which it would do for an equality alone.
    shown = originals.filter(pk=OuterRef("translation_of_id")).exclude(pk=OuterRef("pk"))
    return filtered.filter(Q(translation_of__isnull=True) | ~Exists(shown))


def match_parts(shape: Shape, stories: bool = False, in_row: bool = False) -> list[QuerySet]:
    """The matches as disjoint querysets: the articles whose text matches (or, without
    words, every filtered article) and the residue of the named entities' tags (stories:
    see _filtered). With ``in_row``, for a few articles found otherwise (by another index),
    their text is tested in their rows (Matching.in_row)."""
    matching = match_words(shape)
    filtered = kept_by_filters(shape, matching, stories)
    if matching is None:
        return [filtered]
    parts = [filtered.filter(matching.in_row if in_row else matching.text)]
    if matching.residue is not None:
        parts.append(filtered.filter(matching.residue).exclude(matching.text))
    return parts


@compiled
def _matches_query(shape: Shape) -> CompiledQuery:
    parts = match_parts(shape, stories=True)
    return CompiledQuery.union_all([part.order_by().values("id") for part in parts])


def estimated_matches(search_plan: Plan) -> int:
    """How many articles match, by the planner's statistics: one query, which plans the
    search without running it."""
    return _matches_query(search_plan.shape).estimated_rows(**search_plan.values)

"""Entity names in search queries: which entities a query names, names it nearly spells
(for "did you mean"), and autocomplete suggestions.

Names are matched against ``search_name``, the folded form of every entity name and alias
(lower case, no diacritics, Arabic letter variants unified, punctuation as spaces), kept by
the database and indexed with trigrams. A query, or a run of its words, that spells an
entity's name or one of its aliases names that entity. Part of a person's name ("Hamid",
"Zabihullah") or an organisation's leading short form ("Tehreek-e-Taliban") names the
entity too, when no other entity has a name with that part; when several do ("Khan"), they
are offered, not guessed.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Length
from django.db.models.lookups import GreaterThanOrEqual

from articles import kinds
from articles.db.compiled import CompiledQuery, Slot, compiled
from articles.db.functions import folded_name
from articles.models import Alias, ArchiveTally, Entity

SUGGESTION_LIMIT = 8
# Below this trigram score a name is too different to offer; shorter queries get none.
DID_YOU_MEAN_MIN_SCORE = 0.4
DID_YOU_MEAN_MIN_LENGTH = 3
# A surname or short form shorter than this is too vague to name an entity.
PARTIAL_NAME_MIN_LENGTH = 4
# Bounds on reading names in a query, whatever the query and the gazetteer hold: a name is
# at most this many words, a spelling shared by more entities than this names none of them,
# and at most this many runs of a query are read as names.
MAX_NAME_WORDS = 8
MAX_ENTITIES_PER_NAME = 5
MAX_NAMED_RUNS = 5
# At most this many names are offered for a part several names share.
MAX_OFFERED_NAMES = 8
# Bounds the names fetched for one query (names sharing a word with it, and near misses).
NAME_ROWS_LIMIT = 200

# websearch_to_tsquery's operators: a word starting with "-", and the word "or".
_OPERATOR = re.compile(r"(?:^|\s)(?:-|or(?:\s|$))", re.IGNORECASE)


# Names: entity names and aliases as one list, matched in their folded form.


def _names() -> tuple[QuerySet, QuerySet]:
    """Entity names and aliases with the same columns, to be filtered and united."""
    entities = Entity.objects.annotate(
        e_id=F("pk"),
        e_kind=F("kind"),
        e_slug=F("slug"),
        e_name=F("name"),
        spelling=F("name"),
        folded=F("search_name"),
        is_primary=Value(True),
        tagged=Coalesce(F("tally__published"), 0),
    )
    aliases = Alias.objects.annotate(
        e_id=F("entity_id"),
        e_kind=F("entity__kind"),
        e_slug=F("entity__slug"),
        e_name=F("entity__name"),
        spelling=F("name"),
        folded=F("search_name"),
        is_primary=Value(False),
        tagged=Coalesce(F("entity__tally__published"), 0),
    )
    return entities, aliases


_NAME_COLUMNS = ("e_id", "e_kind", "e_slug", "e_name", "spelling", "folded", "tagged")


def _name_rows(condition: Q, annotations: dict, order_by: Sequence[str]) -> QuerySet:
    """Names and aliases meeting ``condition``, in one query (a UNION ALL of two indexed
    scans); ``annotations`` may use the columns of ``_names``."""
    entities, aliases = (
        part.alias(words=_words(F("folded")))
        .filter(condition)
        .annotate(**annotations)
        .values(*_NAME_COLUMNS, *annotations)
        for part in _names()
    )
    return entities.union(aliases, all=True).order_by(*order_by)[:NAME_ROWS_LIMIT]


def _words(expression) -> Func:
    return Func(
        expression, Value(" "), function="string_to_array", output_field=ArrayField(TextField())
    )


def _similarity(key) -> Greatest:
    return Greatest(TrigramSimilarity("folded", key), TrigramWordSimilarity(key, "folded"))


def _is_similar(key) -> Q:
    """Trigram near misses, by the operators the GIN trigram indexes serve."""
    return Q(folded__trigram_similar=key) | Q(folded__trigram_word_similar=key)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


# Entity recognition: which entities the query names.


@dataclass(frozen=True)
class Segment:
    """A run of the query's folded words and the entities it names (none: plain words)."""

    words: tuple[str, ...]
    entity_ids: frozenset[int] = frozenset()


def is_plain(text: str) -> bool:
    """Whether ``text`` uses no search operator, or is one quoted phrase: only then are its
    words read as names (so "-Khost" never adds the articles tagged Khost)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    return '"' not in text and not _OPERATOR.search(text)


def segment(
    words: Sequence[str], names: Iterable[dict], ambiguous: dict | None = None
) -> list[Segment]:
    """Split the query's folded words into runs that name entities, and plain words.

    At each position the longest run wins. A run names the entities whose name or alias it
    spells; failing that, the one person whose name holds it (a surname, a first name) or
    the one organisation whose name starts with it (a short form). A run that is part of
    several such names names none; ``ambiguous``, when given, receives it and their ids.
    Names are looked up, never scanned, so the cost is bounded by the query's length
    times MAX_NAME_WORDS."""
    exact: dict[tuple[str, ...], set[int]] = {}
    partial: dict[tuple[str, ...], set[int]] = {}
    for row in names:
        name = tuple(row["folded"].split())
        if not name or len(name) > MAX_NAME_WORDS:
            continue
        exact.setdefault(name, set()).add(row["e_id"])
        if row["e_kind"] == Entity.Kind.PERSON:  # any run of its words
            parts = [
                name[start:end]
                for start in range(len(name))
                for end in range(start + 1, len(name) + 1)
                if end - start < len(name)
            ]
        elif row["e_kind"] == Entity.Kind.ORGANISATION:  # a leading short form
            parts = [name[:end] for end in range(1, len(name))]
        else:
            parts = []
        for part in parts:
            partial.setdefault(part, set()).add(row["e_id"])

    def names_of(run: tuple[str, ...]) -> set[int]:
        if ids := exact.get(run):
            return ids if len(ids) <= MAX_ENTITIES_PER_NAME else set()
        ids = partial.get(run, set())
        if len(" ".join(run)) < PARTIAL_NAME_MIN_LENGTH:
            return set()
        if len(ids) > 1 and ambiguous is not None:
            ambiguous[run] = ids
        return ids if len(ids) == 1 else set()

    segments: list[Segment] = []
    named_runs = start = 0
    while start < len(words):
        for end in range(min(len(words), start + MAX_NAME_WORDS), start, -1):
            run = tuple(words[start:end])
            if named_runs < MAX_NAMED_RUNS and (ids := names_of(run)):
                segments.append(Segment(run, frozenset(ids)))
                named_runs += 1
                start = end
                break
        else:
            segments.append(Segment((words[start],)))
            start += 1
    return segments


@dataclass
class Recognition:
    """What the names query found for a search: the segments of its words, the names of
    the entities it names, the names of the filtered entities, and whether to look for
    near misses."""

    segments: list[Segment] = field(default_factory=list)
    # Entity id → (kind, slug, name, spelling) for each entity the query names.
    named: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)
    # (kind, slug) → (id, name) for each entity filtered by.
    filtered: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)
    # Whether names like the words are to be offered ("did you mean": near_misses):
    # when the words, plain, name no entity and are part of no name.
    near_misses_wanted: bool = False
    # Entity id → how many articles with the published status it tags, for each entity
    # the query names or the search is filtered by (the database's tallies).
    tagged: dict[int, int] = field(default_factory=dict)
    # How many articles have the published status (the database's tally), read with the
    # names (0 when none was found): what share of the archive each filtered entity tags,
    # and the matches of a name (queries.too_many_to_count).
    published: int = 0
    # The names of the entities whose names the query, or a run of it, is part of when
    # there are several (most tagged first): "Khan" is Imran Khan, Ismail Khan…
    ambiguous_names: list[str] = field(default_factory=list)
    # Entity id → every name and alias of it as a text search query (its text), for each
    # entity the query names.
    phrases: dict[int, str] = field(default_factory=dict)

    def names_query(self, entity_ids: Iterable[int]) -> str:
        """Every name of the entities ``entity_ids`` as one text search query (its text),
        any of which matches; empty when their names are stop words alone."""
        return " | ".join(f"( {self.phrases[i]} )" for i in sorted(entity_ids) if self.phrases[i])


def _filtered(filters: int) -> Q:
    """The names of the entities a search is filtered by, given as slots kind0, slug0…"""
    filtered = Q()
    for index in range(filters):
        filtered |= Q(is_primary=True, e_kind=Slot(f"kind{index}"), e_slug=Slot(f"slug{index}"))
    return filtered


def _archive_published() -> Coalesce:
    """How many articles have the published status: no tally row before the first."""
    return Coalesce(Subquery(ArchiveTally.objects.values("published")[:1]), 0)


@compiled
def _filter_names_query(filters: int) -> QuerySet:
    return _name_rows(
        _filtered(filters),
        {"is_filter": Value(True), "published": _archive_published()},
        ["e_name"],
    )


@compiled
def _recognition_query(filters: int) -> CompiledQuery:
    """The names, and on the first row of each entity every name of it as a text search
    query (``phrases``: made once an entity, not once a name)."""
    filtered = _filtered(filters)
    key = folded_name(Slot("text"))
    shares_word = Q(words__overlap=_words(key))
    names = _name_rows(
        shares_word | filtered,
        {
            "is_filter": _flag(filtered) if filtered else Value(False),
            "shares_word": _flag(shares_word),
            "query_key": key,
            "published": _archive_published(),
        },
        ["-is_filter", "-shares_word", "e_name"],
    )
    return CompiledQuery.composed(
        "SELECT *, CASE WHEN row_number() OVER (PARTITION BY e_id) = 1"
        " THEN newsarchive_names_query(ARRAY[e_id])::text END AS phrases"
        " FROM ({names}) AS names ORDER BY is_filter DESC, shares_word DESC, e_name",
        names=names,
    )


@compiled
def _near_misses_query() -> QuerySet:
    key = folded_name(Slot("text"))
    entities, aliases = (
        part.alias(words=_words(F("folded")), similarity=_similarity(key))
        .filter(_is_similar(key), similarity__gte=DID_YOU_MEAN_MIN_SCORE)
        .filter(GreaterThanOrEqual(Length(key), DID_YOU_MEAN_MIN_LENGTH))
        .exclude(words__contains=_words(key))
        .values("e_id", "e_name", score=F("similarity"))
        for part in _names()
    )
    return entities.union(aliases, all=True).order_by("-score", "e_name")[:NAME_ROWS_LIMIT]


def near_misses(text: str) -> list[dict]:
    """Names like ``text`` (by trigrams) that do not already hold all of its words, best
    first: rows of the entity's id (e_id), its name (e_name) and the score. One query,
    asked only for a search that finds almost nothing (articles/search/results.py):
    scoring every name and alias by trigrams costs more to plan and to run than the rest
    of a search's counts."""
    return _near_misses_query().rows(text=text)


def _with_filters(recognition: Recognition, rows: list[dict]) -> Recognition:
    """``recognition`` with the archive's size (which every row holds) and the names and
    tallies of the filtered entities among ``rows``."""
    recognition.published = rows[0]["published"] if rows else 0
    for row in rows:
        if row["is_filter"]:
            recognition.filtered[(row["e_kind"], row["e_slug"])] = (row["e_id"], row["e_name"])
            recognition.tagged[row["e_id"]] = row["tagged"]
    return recognition


def recognise(text: str, entities: Sequence[tuple[str, str]] = ()) -> Recognition:
    """One query: the names sharing a word with ``text`` (with every name of their entity
    as a text search query: Recognition.phrases) and the names of the ``entities`` ((kind,
    slug) pairs) a search is filtered by; and whether near misses are wanted
    (near_misses)."""
    values = {"text": text}
    for index, (kind, slug) in enumerate(entities):
        values[f"kind{index}"], values[f"slug{index}"] = kind, slug
    if not text:
        if not entities:
            return Recognition()
        rows = _filter_names_query(len(entities)).rows(**values)
        return _with_filters(Recognition(), rows)
    rows = _recognition_query(len(entities)).rows(**values)
    recognition = _with_filters(Recognition(), rows)
    if not is_plain(text):
        return recognition
    if not rows:
        recognition.near_misses_wanted = True
        return recognition
    query_key = rows[0]["query_key"]
    sharing = [r for r in rows if r["shares_word"]]
    ambiguous: dict[tuple[str, ...], set[int]] = {}
    recognition.segments = segment(query_key.split(), sharing, ambiguous)
    runs = {" ".join(s.words) for s in recognition.segments if s.entity_ids}
    named = {i for s in recognition.segments for i in s.entity_ids}
    phrases = {row["e_id"]: row["phrases"] for row in rows if row["phrases"] is not None}
    recognition.phrases = {entity_id: phrases[entity_id] for entity_id in named}
    for row in sharing:  # the spelling that named each entity, or one containing it
        if row["e_id"] in named and (row["folded"] in runs or row["e_id"] not in recognition.named):
            recognition.tagged[row["e_id"]] = row["tagged"]
            recognition.named[row["e_id"]] = (
                row["e_kind"],
                row["e_slug"],
                row["e_name"],
                row["spelling"],
            )
    offered = set().union(*ambiguous.values()) - named
    by_entity = {row["e_id"]: row for row in sharing if row["e_id"] in offered}
    recognition.ambiguous_names = [
        row["e_name"]
        for row in sorted(by_entity.values(), key=lambda r: (-r["tagged"], r["e_name"]))
    ][:MAX_OFFERED_NAMES]
    recognition.near_misses_wanted = not named and not offered
    return recognition


# Autocomplete.


@compiled
def _suggestions_query() -> QuerySet:
    key = folded_name(Slot("text"))
    starts = Q(folded__startswith=key)
    word_starts = Q(folded__contains=Concat(Value(" "), key, output_field=TextField()))
    return _name_rows(
        starts | word_starts | _is_similar(key),
        {
            "tier": Case(
                When(Q(folded=key), then=Value(3)),
                When(starts, then=Value(2)),
                When(word_starts, then=Value(1)),
                default=Value(0),
            ),
            "score": _similarity(key),
        },
        ["-tier", "-score", "e_name"],
    )


def suggest(text: str) -> list[dict]:
    """Entities whose name or an alias starts with ``text``, has a word starting with it,
    or nearly matches it (trigrams), best first, one per entity, with published article
    counts: two queries."""
    if not text:
        return []
    rows = _suggestions_query().rows(text=text)
    best: dict[int, dict] = {}
    for row in rows:
        best.setdefault(row["e_id"], row)
        if len(best) == SUGGESTION_LIMIT:
            break
    counts = dict(
        Entity.objects.filter(pk__in=list(best))
        .with_article_counts()
        .values_list("pk", "article_count")
    )
    return [
        {
            "name": row["e_name"],
            "kind": row["e_kind"],
            "kind_label": str(kinds.BY_VALUE[row["e_kind"]].shown),
            "matched": row["spelling"],
            "url": Entity(kind=row["e_kind"], slug=row["e_slug"]).get_absolute_url(),
            "article_count": counts.get(entity_id, 0),
        }
        for entity_id, row in best.items()
    ]

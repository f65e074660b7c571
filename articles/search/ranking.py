"""Search in PostgreSQL: a page of the matches in the order asked for (the matching and the
search's plan: articles/search/queries.py).

By relevance the matches come in tiers, each ranked by its own RUM index, best first: the
articles whose headline and standfirst answer the words, then those whose whole text does
(for one word or a phrase of two, from the index of each word's repeats: _repeated_tier),
then the residue of a name's tags, newest first (_relevance_tiers). By date, each part of
the matches gives its newest or oldest, merged. Every page is one statement that ranks
and reads only its articles, with their main tags and passages (page_articles); every
match is on exactly one page.
"""

import json

from django.contrib.postgres.search import SearchQuery
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from articles.db.compiled import CompiledQuery, Slot, compiled
from articles.db.functions import (
    WORD_FOR_WORD_CONFIG,
    Distance,
    QueryKey,
    Repeats,
    RepeatsQuery,
    TwoOf,
    WordsQuery,
)
from articles.models import Article, HeadlineRanking
from articles.search.passages import highlight, with_headlines
from articles.search.queries import (
    Matching,
    Plan,
    Shape,
    kept_by_filters,
    match_parts,
    match_words,
)


def _relevance_tiers(shape: Shape) -> list[CompiledQuery]:
    """The matches by relevance, as tiers each ranked by its own index, best first: the
    articles whose headline and standfirst answer the words, by how well they do; then
    those whose whole text does, by how well it does; then the residue, newest first. In
    each, the first ``n`` (every match tied with the last, so that the date breaks ties
    the same way on every page) with their ``position`` in the whole order."""
    matching = match_words(shape)
    filtered = kept_by_filters(shape, matching, stories=True)
    head = filtered.filter(head_vector=matching.indexed)
    if not shape.plain:
        # An excluded word (-word) missing from the headline may be in the body: the whole
        # text must match as well. Without exclusions a headline's match is the text's.
        head = head.filter(matching.in_row)
    not_head = filtered.exclude(head_vector=matching.indexed)
    text = not_head.filter(matching.text)
    head_tier = CompiledQuery.composed(
        _RANKED_TIER,
        tier=Slot("tier0", db_type="integer"),
        ranked=_ranked(_by_distance(head, "head_vector", matching.indexed, shape)),
    )
    if _may_be_ranked(shape):
        head_tier = _headline_ranking_or(head_tier, filtered, matching)
    tiers = [
        head_tier,
        _repeated_tier(not_head, matching, shape)
        if shape.repeats
        else CompiledQuery.composed(
            _RANKED_TIER,
            tier=Slot("tier1", db_type="integer"),
            ranked=_ranked(_by_distance(text, matching.vector, matching.indexed, shape)),
        ),
    ]
    if matching.residue is not None:
        residue = filtered.filter(matching.residue).exclude(matching.text)
        tiers.append(
            CompiledQuery.composed(
                _NEWEST_TIER,
                tier=Slot(f"tier{len(tiers)}", db_type="integer"),
                part=residue.latest_first().values("id", "published_at"),
                n=Slot("n", db_type="bigint"),
            )
        )
    return tiers


def _may_be_ranked(shape: Shape) -> bool:
    """Whether the headlines' matches may be read from a headline ranking: for a name, by
    relevance, unfiltered (the ranking's order is the whole order of the matches: a filter
    would leave the page to be found among them)."""
    return shape.words == "name" and shape.pairs and shape.plain and not shape.filtered


def _headline_ranking_or(head_tier: CompiledQuery, filtered: QuerySet, matching: Matching):
    """The headlines' matches read off the ranking of the words' query where there is one
    (articles/search/headline_rankings.py), in the order RUM ranks them (by distance, then
    newest first); otherwise ``head_tier``, which PostgreSQL does not run when there is."""
    ranking = HeadlineRanking.objects.filter(key=QueryKey(matching.words)).values("pk")
    ranked = (
        filtered.filter(headline_ranks__ranking=RawSQL("(SELECT pk FROM ranking)", ()))
        .annotate(
            distance=F("headline_ranks__distance"),
            ranked_at=F("headline_ranks__published_at"),
            ranked_id=F("headline_ranks__article"),
        )
        .order_by("distance", F("ranked_at").desc(nulls_last=True), F("ranked_id").desc())
        .values("id", "distance", "ranked_at")
    )
    return CompiledQuery.composed(
        "SELECT * FROM (WITH ranking AS MATERIALIZED ({ranking}) ({ranked_tier}) UNION ALL"
        " (SELECT * FROM ({head_tier}) AS unranked WHERE NOT EXISTS (SELECT FROM ranking)))"
        " AS head",
        ranking=ranking,
        ranked_tier=CompiledQuery.composed(
            _INDEXED_TIER,
            tier=Slot("tier0", db_type="integer"),
            part=ranked,
            n=Slot("n", db_type="bigint"),
        ),
        head_tier=head_tier,
    )


def _ranked(part: QuerySet) -> CompiledQuery:
    """The first ``n`` of ``part`` (ordered by distance) with their positions: _RANKED."""
    return CompiledQuery.composed(_RANKED, part=part, n=Slot("n", db_type="bigint"))


def _by_distance(part: QuerySet, vector: str, words, shape: Shape) -> QuerySet:
    return (
        part.annotate(distance=_distance(F(vector), words, shape))
        .order_by("distance")
        .values("id", "published_at", "distance")
    )


def _repeated_tier(not_head: QuerySet, matching: Matching, shape: Shape) -> CompiledQuery:
    """The tier of the articles whose text alone holds one word or a phrase of two
    (``not_head``: their headline and standfirst do not), ranked from the index of each
    word's and pair's repeats (articles/db/sql/repeats.sql) rather than by reading every
    match: for a word in most texts, hundreds of thousands.

    Ranked by RUM, each repeat of one word (or pair) in the body raises an article's rank
    and nothing else does, so the articles holding it most rank first, and those holding
    it as often tie; those holding two of its lexemes ('refuge' and 'refugees', as one
    word reads in English and word for word) rank above any holding one alone, however
    often. So, in this order (``arm``): those (``two``); then each class of repeats from
    the most (``times``), its articles read from the index, by date, or for a class that
    spans several numbers of repeats by their distance first; until ``n`` are found. Only
    when fewer than ``n`` hold it twice are the rest, which hold it once, ranked as any
    tier is (``rest``, without those found). For any other query (a phrase of three
    words), there are no repeats to read: every match is in ``rest``."""
    words, vector = matching.indexed, matching.vector
    times = RawSQL("repeat_class.times", (), output_field=IntegerField())
    classes = (
        not_head.alias(repeats=Repeats(F("pair_vector")))
        .filter(repeats=RepeatsQuery(words, times))
        .exclude(pk__in=RawSQL("SELECT id FROM two", ()))
        .annotate(
            distance=Case(
                When(_ties(times), then=Value(0.0)),
                default=Distance(F(vector), words),
                output_field=FloatField(),
            )
        )
        .order_by("distance", "-published_at", "-id")
        .values("id", "published_at", "distance")
    )
    two = not_head.filter(**{vector: TwoOf(words)})
    rest = not_head.filter(matching.text).exclude(pk__in=RawSQL("SELECT id FROM repeated", ()))
    return CompiledQuery.composed(
        _REPEATED_TIER,
        tier=Slot("tier1", db_type="integer"),
        two=_by_distance(two, vector, words, shape),
        classes=classes,
        rest=_ranked(_by_distance(rest, vector, words, shape)),
        n=Slot("n", db_type="bigint"),
    )


def _ties(times) -> Func:
    """Whether every article in the class of repeats ``times`` holds its word as often."""
    return Func(times, function="newsarchive_repeat_class_ties", output_field=BooleanField())


def _distance(vector, words, shape: Shape):
    """How far each match is from the words, by the RUM index's ranking (Distance); for a
    search filtered by a sparse entity, as a sum that the index cannot order by
    (Shape.tags_first)."""
    distance = Distance(vector, words)
    if shape.tags_first:
        return ExpressionWrapper(distance + Value(0.0), output_field=FloatField())
    return distance


# The tiers' numbers, in order (the slots tier0, tier1...).
_TIERS = {f"tier{index}": index for index in range(3)}
# The first n matches of a part by distance, every match tied with the last included, and
# their position: by distance, then date and id. The index gives the matches in its order
# and each row's distance is worked out again from the row, which for a query whose
# phrases share words (the Taliban's Pashto and Dari names) can differ from the index's:
# so the order is the index's, and each run of matches at one distance in it is ordered
# by date and id. Where the two agree, the runs are the ties; either way the first n of
# every page's statement are in the same order.
_RANKED = (
    "SELECT id, published_at, row_number() OVER (ORDER BY run, published_at DESC, id DESC)"
    " AS position FROM (SELECT id, published_at, sum(changed) OVER (ORDER BY arrival) AS run"
    " FROM (SELECT id, published_at, row_number() OVER arrived AS arrival,"
    " (distance IS DISTINCT FROM lag(distance) OVER arrived)::integer AS changed"
    " FROM ({part} FETCH FIRST ({n}) ROWS WITH TIES) AS fetched WINDOW arrived AS ())"
    " AS arrivals) AS runs"
)
# A tier of the matches by relevance read in order off an index: the first n.
_INDEXED_TIER = (
    "SELECT id, {tier} AS tier, row_number() OVER"
    " (ORDER BY distance, ranked_at DESC NULLS LAST, id DESC) AS position"
    " FROM ({part} LIMIT {n}) AS ranked"
)
# A tier of the matches by relevance (_RANKED).
_RANKED_TIER = "SELECT id, {tier} AS tier, position FROM ({ranked}) AS ranked"
# The tier of the articles whose text alone holds one word or pair (_repeated_tier): those
# holding two of its lexemes, then each class of repeats in turn, most first, the first n
# of each, until n are found; or when fewer than n are, the rest too (_RANKED).
_REPEATED_TIER = (
    "SELECT id, {tier} AS tier, row_number() OVER"
    " (ORDER BY arm, times DESC, distance, published_at DESC, id DESC) AS position"
    " FROM (WITH two AS MATERIALIZED ({two} FETCH FIRST ({n}) ROWS WITH TIES),"
    " repeated AS MATERIALIZED (SELECT id, published_at, 0 AS arm, 0 AS times, distance"
    " FROM two UNION ALL (SELECT best.id, best.published_at, 1, repeat_class.times,"
    " best.distance FROM unnest(newsarchive_repeat_classes()) AS repeat_class (times)"
    " CROSS JOIN LATERAL ({classes} LIMIT {n}) AS best LIMIT {n}))"
    " SELECT * FROM repeated UNION ALL SELECT id, published_at, 2, 0, position::float8"
    " FROM ({rest}) AS rest WHERE (SELECT count(*) FROM repeated) < {n}) AS ranked"
)
# The residue's tier, newest first.
_NEWEST_TIER = (
    "SELECT id, {tier} AS tier, row_number() OVER (ORDER BY published_at DESC, id DESC)"
    " AS position FROM ({part} LIMIT {n}) AS newest"
)
# Each way of ordering by date: how the parts, merged, are ordered (ties by id, so that
# every page is stable).
_BY_DATE = {
    "newest": "SELECT id, row_number() OVER (ORDER BY published_at DESC, id DESC)",
    "oldest": "SELECT id, row_number() OVER (ORDER BY published_at, id)",
}


@compiled
def _ranked_query(shape: Shape) -> CompiledQuery:
    """The ids of the page (``offset``, ``page_size``) with their ``position``: the first
    ``n`` (offset plus page size) in order.

    By relevance, the tiers follow one another and the first ``n`` rows are taken from
    them in turn: PostgreSQL reads a tier only when those before it hold fewer than ``n``,
    so a page the headlines' matches fill never ranks the whole text's (a sort of every
    match of the words). By date, each part's first ``n``, merged."""
    if shape.order == "relevance":
        first = CompiledQuery.composed(
            "SELECT id, tier, position FROM ({tiers}) AS tiers LIMIT {n}",
            tiers=CompiledQuery.union_all(_relevance_tiers(shape)),
            n=Slot("n", db_type="bigint"),
        )
        template = (
            "SELECT id, row_number() OVER (ORDER BY tier, position) AS position"
            " FROM ({first}) AS first"
        )
    else:
        if shape.order == "oldest":
            parts = [p.order_by("published_at", "pk") for p in match_parts(shape, stories=True)]
        else:
            parts = [p.latest_first() for p in match_parts(shape, stories=True)]
        first = CompiledQuery.union_all(
            [
                CompiledQuery.composed(
                    "{part} LIMIT {n}",
                    part=part.values("id", "published_at"),
                    n=Slot("n", db_type="bigint"),
                )
                for part in parts
            ]
        )
        template = _BY_DATE[shape.order] + " AS position FROM ({first}) AS first"
    return CompiledQuery.composed(
        template + " ORDER BY position OFFSET {offset} LIMIT {page_size}",
        first=first,
        offset=Slot("offset", db_type="bigint"),
        page_size=Slot("page_size", db_type="bigint"),
    )


@compiled
def _page_query(shape: Shape) -> CompiledQuery:
    """The page's articles in order, with their main tags and passages: one statement
    that ranks (``ranked``) and reads only the page's articles."""
    articles = (
        Article.objects.published()
        .filter(pk__in=RawSQL("SELECT id FROM ranked", ()))
        .annotate(
            position=RawSQL(
                "(SELECT position FROM ranked WHERE ranked.id = articles_article.id)",
                (),
                output_field=IntegerField(),
            )
        )
        .defer("body")
        .with_main_tags()
        .with_versions()
        .order_by("position")
    )
    if shape.words:
        query = WordsQuery(Slot("rank_words"))
        if shape.as_typed:
            # The words as typed too: a passage is highlighted in the article's own
            # letters, which the index folded (an Urdu مجاہد is indexed مجاهد), so a word
            # typed as the article spells it is marked there.
            query |= SearchQuery(
                Slot("rank_words"), search_type="websearch", config=WORD_FOR_WORD_CONFIG
            )
        articles = with_headlines(articles, query, Slot("passage_starts"))
    return CompiledQuery.composed(
        "WITH ranked AS MATERIALIZED ({ranked}) {page}", ranked=_ranked_query(shape), page=articles
    )


def page_articles(search_plan: Plan, offset: int, page_size: int) -> list[Article]:
    """The articles ``offset`` to ``offset + page_size`` of the results, in order, with
    their main tags and, for words, their highlighted passage: one query. Ask for one more
    than a page to learn whether another follows."""
    statement = _page_query(search_plan.shape)
    values = {**search_plan.values, **_TIERS, "n": offset + page_size, "offset": offset}
    articles = statement.instances(Article, **values, page_size=page_size)
    for article in articles:
        # Raw rows leave the JSON of the main tags as text.
        article.main_people_data = [json.loads(tag) for tag in article.main_people_data]
        article.main_places_data = [json.loads(tag) for tag in article.main_places_data]
        article.versions_data = [json.loads(version) for version in article.versions_data]
        article.snippet = highlight(article.headline) if search_plan.shape.words else ""
    return articles

"""The counts of a search (what articles/search/results.py makes of them): how many match,
exactly up to EXACT_LIMIT, the facets of the results (entities, years, sources,
languages), the named entities' published article counts and the archive's first year,
in one statement run beside the page's (articles/db/alongside.py). The matches come from
articles/search/queries.py."""

from collections.abc import Iterable

from django.db.models import Count, F, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, ExtractYear

from articles.db.compiled import CompiledQuery, Slot, compiled, is_any_of
from articles.models import Article, Entity
from articles.search import queries
from articles.search.queries import FACET_LIMIT, YEAR_FACET_LIMIT, Plan, Shape

# People, places, events and organisations tagged in the counted results, most tagged
# first, at most FACET_LIMIT of each kind. The tags are counted by entity id before the
# entities' kinds and names are joined: grouping thousands of tags by their id, then
# joining the few hundred entities, costs less than joining every tag and grouping by
# the names.
_ENTITY_FACET_ROWS = (
    "(SELECT kind, slug, name, n, position FROM (SELECT entity.kind, entity.slug,"
    " entity.name, tagged.n, row_number() OVER (PARTITION BY entity.kind"
    " ORDER BY tagged.n DESC, entity.name) AS position FROM (SELECT entity_id, count(*) AS n"
    " FROM articles_mention WHERE article_id IN (SELECT id FROM facet_ids)"
    " GROUP BY entity_id) AS tagged JOIN articles_entity AS entity"
    " ON entity.id = tagged.entity_id) AS ranked WHERE position <= {facet_limit})"
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


# Years (latest first; in UTC, the site's TIME_ZONE), sources and languages (most articles
# first) of the counted results, from the columns facet_ids carries (the rows were read to
# find the matches).
_YEAR_SOURCE_AND_LANGUAGE_ROWS = (
    " UNION ALL (SELECT 'year', year, year, count(*), 0 FROM (SELECT"
    " EXTRACT(YEAR FROM published_at AT TIME ZONE 'UTC')::text AS year FROM facet_ids) AS years"
    " GROUP BY year ORDER BY year DESC LIMIT {year_limit})"
    " UNION ALL (SELECT 'source', source_name, source_name, count(*), 0 FROM facet_ids"
    " WHERE source_name <> '' GROUP BY source_name ORDER BY 4 DESC, 2 LIMIT {facet_limit})"
    " UNION ALL (SELECT 'language', language, language, count(*), 0 FROM facet_ids"
    " GROUP BY language ORDER BY 4 DESC, 2 LIMIT {facet_limit})"
)
_FACET_COLUMNS = ("id", "published_at", "source_name", "language")


def _translations_language_rows(shape: Shape) -> QuerySet:
    """The languages of the translations of the counted results: a translation the results
    list beside its original (match_parts' ``stories``) is counted in its language, so the
    facet offers it. Counted apart and added up by the page (results.language_facet): one
    condition "counted or a translation of one counted" made PostgreSQL read every
    article."""
    return (
        queries.match_parts(shape, in_row=True)[0]
        .filter(translation_of__in=_facet_articles())
        .values(dimension=Value("language"), value=F("language"), label=F("language"))
        .annotate(n=Count("pk"), position=Value(0))
        .order_by("-n", "value")[:FACET_LIMIT]
    )


# Counts: how many match, facets of the results, the named entities' articles, the
# archive's first year.


def _facet_articles() -> RawSQL:
    """The articles the facets count (the counts statement's ``facet_ids``)."""
    return RawSQL("SELECT id FROM facet_ids", ())


@compiled
def _counts_query(shape: Shape, bounded: bool, named: bool) -> CompiledQuery:
    """One statement: when ``bounded``, how many match (counting at most EXACT_LIMIT + 1)
    and the facets of those counted (all the matches when they are at most EXACT_LIMIT);
    otherwise the facets of the newest FACET_SAMPLE matches; the ``named`` entities'
    article counts; and the archive's first year (for the years before the counted
    matches). Every part selects dimension, value, label, n and position, in that order.

    Counting reads each match's row, which costs the same whatever the query: a bounded
    count is cheap where a count of every match of a common word is not. The newest
    matches of a common word are the first rows of the latest-articles index."""
    parts = queries.match_parts(shape, stories=True)
    if bounded:
        template = (
            "WITH facet_ids AS MATERIALIZED (SELECT id, published_at, source_name, language"
            " FROM ({matches}) AS m LIMIT {limit})"
        )
        matches = CompiledQuery.union_all(
            [part.order_by().values(*_FACET_COLUMNS) for part in parts]
        )
    else:
        template = (
            "WITH facet_ids AS MATERIALIZED (SELECT id, published_at, source_name, language"
            " FROM ({matches}) AS sampled ORDER BY published_at DESC, id DESC LIMIT {limit})"
        )
        newest = [part.latest_first().values(*_FACET_COLUMNS) for part in parts]
        matches = CompiledQuery.union_all(
            [
                CompiledQuery.composed(
                    "{part} LIMIT {limit}", part=part, limit=Slot("limit", db_type="bigint")
                )
                for part in newest
            ]
        )
    counts = [_translations_language_rows(shape)]
    if named:
        counts.append(_named_counts())
    counts.append(_first_year())
    first, *rest = counts
    # The union must not inherit a model's default ordering (by columns it lacks).
    template += " {counts} UNION ALL " + _ENTITY_FACET_ROWS + _YEAR_SOURCE_AND_LANGUAGE_ROWS
    if bounded:
        template += " UNION ALL SELECT 'total', '', '', count(*), 0 FROM facet_ids"
    return CompiledQuery.composed(
        template,
        matches=matches,
        counts=first.union(*rest, all=True).order_by(),
        limit=Slot("limit", db_type="bigint"),
        year_limit=Slot("year_limit", db_type="bigint"),
        facet_limit=Slot("facet_limit", db_type="bigint"),
    )


def counts(search_plan: Plan, named: Iterable[int], bounded: bool) -> dict[str, list[dict]]:
    """Every count the results page shows, in one query: the facets, the named entities'
    published article counts, the archive's first year and, when ``bounded``, how many
    match (at most EXACT_LIMIT + 1)."""
    statement = _counts_query(search_plan.shape, bounded, bool(named))
    rows: dict[str, list[dict]] = {}
    limit = queries.EXACT_LIMIT + 1 if bounded else queries.FACET_SAMPLE
    values = {
        **search_plan.values,
        "named": sorted(named),
        "limit": limit,
        "year_limit": YEAR_FACET_LIMIT,
        "facet_limit": FACET_LIMIT,
    }
    for row in statement.rows(**values):
        rows.setdefault(row["dimension"], []).append(row)
    return rows

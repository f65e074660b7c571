"""The headline rankings: for the names in most headlines, every headline (and standfirst)
matching the name's query, ranked once, so that a search for the name reads its best
headlines off an index rather than ranking them all (articles/search/ranking.py).

A search by relevance ranks first the articles whose headline or standfirst answers its
words, by RUM's distance; RUM ranks every such match before it returns the first, so a
name in a third of all headlines (the Taliban's) costs a ranking of a third of the archive
at every search. A ranking (HeadlineRanking) holds those matches with their distance, in
the search's order, in a B-tree: the page reads its first rows. Triggers keep each ranking
as articles are written (articles/db/sql/headline_rankings.sql). A ranking is identified
by its query's alternatives (``key``): once an entity's names change, its query does, no
search reads the old ranking, and the searches rank as before until rank_headlines builds
the new one and drops the old.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from articles.db.functions import AnyOfPhrases, PairedQuery, QueryKey
from articles.models import Article, Entity, HeadlineRanking

# A name is ranked once its query matches at least this many headlines: RUM ranks about
# this many in a few milliseconds (docs/performance.md).
RANKED_HEADLINES = 5_000


@dataclass
class RankingReport:
    """What rank_headlines did: the rankings it built (name, headlines), kept and dropped."""

    built: list[tuple[str, int]] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        built = ", ".join(f"{label} ({headlines:,} headlines)" for label, headlines in self.built)
        return (
            f"Headline rankings: {len(self.built)} built{f': {built}' if built else ''}; "
            f"{len(self.kept)} kept, {len(self.dropped)} dropped"
            f"{f': {", ".join(self.dropped)}' if self.dropped else ''}; "
            f"{self.seconds:.1f} s."
        )


def _names_query(entity_id: int):
    """An entity's names as a search for its name matches the headlines: every spelling
    once (AnyOfPhrases), each phrase as pairs (PairedQuery)."""
    return AnyOfPhrases(RawSQL("newsarchive_names_query(ARRAY[%s]::bigint[])", (entity_id,)))


def _candidates(min_headlines: int) -> dict[str, tuple[str, str]]:
    """The names that may need a ranking, by key: each entity tagging at least
    ``min_headlines`` published articles (a name in that many headlines is in at least as
    many texts, and is nearly always tagged), with its name and paired query."""
    entities = (
        Entity.objects.with_article_counts()
        .filter(article_count__gte=min_headlines)
        .order_by("-article_count", "pk")
    )
    candidates: dict[str, tuple[str, str]] = {}
    for entity in entities:
        names = _names_query(entity.pk)
        row = Entity.objects.filter(pk=entity.pk).values_list(QueryKey(names), PairedQuery(names))
        key, query = row.get()
        if key is not None:
            candidates.setdefault(key, (entity.name, query))
    return candidates


def _headlines(query: str) -> int:
    """How many published articles' headlines or standfirsts match ``query``."""
    matches = RawSQL("head_vector @@ %s::tsquery", (query,), output_field=BooleanField())
    return Article.objects.published().filter(matches).count()


def _build(key: str, label: str, query: str) -> None:
    """A ranking of ``query``, built while no article is written (the articles written
    meanwhile would be missed by the build's snapshot and by the triggers, which do not see
    the ranking until it commits): writers wait for it, a few seconds at a million."""
    with transaction.atomic(), connection.cursor() as cursor:
        # As long as the archive needs: a search's timeout is not a build's.
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("LOCK TABLE articles_article IN SHARE MODE")
        ranking = HeadlineRanking.objects.create(key=key, query=query, label=label)
        cursor.execute(
            "INSERT INTO articles_headlinerank (ranking_id, article_id, distance, published_at)"
            " SELECT %s, id, head_vector <=> %s::tsquery, published_at FROM articles_article"
            " WHERE head_vector @@ %s::tsquery",
            (ranking.pk, query, query),
        )


def rank_headlines(
    min_headlines: int = RANKED_HEADLINES, progress: Callable[[str], None] | None = None
) -> RankingReport:
    """Build a ranking for each name whose query matches at least ``min_headlines``
    headlines and has none, and drop the rankings no name's query is now (a name's
    aliases changed, or it is in fewer headlines than half that). Each ranking is built in
    a transaction of its own; ``progress`` is told of each."""
    started = time.perf_counter()
    report = RankingReport()
    candidates = _candidates(min_headlines)
    existing = {ranking.key: ranking for ranking in HeadlineRanking.objects.all()}
    for key, ranking in existing.items():
        if key in candidates and _headlines(ranking.query) >= min_headlines // 2:
            report.kept.append(ranking.label)
        else:
            ranking.delete()
            report.dropped.append(ranking.label)
            if progress:
                progress(f"dropped the ranking of {ranking.label}")
    for key, (label, query) in candidates.items():
        if key in existing:
            continue
        headlines = _headlines(query)
        if headlines < min_headlines:
            continue
        step = time.perf_counter()
        _build(key, label, query)
        report.built.append((label, headlines))
        if progress:
            progress(
                f"ranked {headlines:,} headlines for {label} in {time.perf_counter() - step:.1f} s"
            )
    if report.built:
        # As autovacuum would, sooner: the planner reads a ranking knowing its size.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE articles_headlinerank")
    report.seconds = time.perf_counter() - started
    return report

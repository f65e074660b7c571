"""Rewriting the articles' search vectors after the way text is indexed changed.

The database keeps each article's vectors as it writes the article (a trigger:
articles/db/sql/vectors.sql), so a change to how text is folded or indexed (a migration
that runs text.sql, search.sql or vectors.sql again) reaches the articles written after it.
The others keep the vectors they were written with until rewritten here: a batch of
articles at a time, in order of id, each batch its own short transaction, only the rows
whose vectors differ from what the database would write now. A migration must not do it
in one UPDATE of every row inside its transaction (a million articles locked for as long
as it takes). Running it again rewrites nothing more; an article written meanwhile is
indexed by the trigger.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

BATCH_SIZE = 2_000

# The batch's articles whose vectors are not what the trigger would write now, written
# again (a write to a vector makes the trigger compute them all).
_REWRITE = """
WITH batch AS MATERIALIZED (
    SELECT id,
        newsarchive_head_vector(language, title, standfirst) AS head,
        newsarchive_search_vector(language, title, standfirst, body) AS words
    FROM articles_article WHERE id > %(after)s ORDER BY id LIMIT %(size)s
), rewritten AS (
    UPDATE articles_article article SET search_vector = NULL
    FROM batch
    WHERE article.id = batch.id
      AND (
          article.search_vector IS DISTINCT FROM batch.words
          OR article.head_vector IS DISTINCT FROM newsarchive_with_pairs(batch.head)
          OR article.pair_vector IS DISTINCT FROM newsarchive_with_pairs(batch.words)
      )
    RETURNING article.id
)
SELECT (SELECT max(id) FROM batch), (SELECT count(*) FROM batch), (SELECT count(*) FROM rewritten)
"""


@dataclass
class ReindexReport:
    read: int = 0
    rewritten: int = 0

    def __str__(self) -> str:
        return f"Read {self.read:,} articles: rewrote the search vectors of {self.rewritten:,}."


def reindex_articles(
    batch_size: int = BATCH_SIZE, progress: Callable[[ReindexReport], None] | None = None
) -> ReindexReport:
    """Rewrite the search vectors that differ from what the database would write now,
    ``batch_size`` articles at a time, each batch committed as it is done."""
    report = ReindexReport()
    after = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_REWRITE, {"after": after, "size": batch_size})
            last, read, rewritten = cursor.fetchone()
        if last is None:
            return report
        report.read += read
        report.rewritten += rewritten
        after = last
        if progress is not None:
            progress(report)

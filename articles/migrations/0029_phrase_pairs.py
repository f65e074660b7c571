"""Phrases are found from pairs of adjacent words (articles/db/sql/vectors.sql,
newsarchive_with_pairs): each article gains a pair vector, its words and their pairs, with
its own index, and its head vector gains its pairs; a search with a phrase matches them by
its phrases as pairs (search.sql, newsarchive_phrase_pairs).

The pair vector is kept out of the row (STORAGE EXTERNAL, and no compression, which a
vector does not take): the row keeps the search vector, which the searches that read each
candidate article test.

Every article is written again, in batches each committed (reindex_articles), so the
archive is searched as before while this runs; the indexes of the search and head vectors,
which every write adds to, are then rebuilt concurrently. The rewrite costs about 10 ms an
article on the 2-core bench machine, most of it in the text search indexes: about 17
minutes for 100,000 articles, 3 hours for a million (docs/search.md).
"""

from importlib import import_module

from django.contrib.postgres.operations import AddIndexConcurrently
from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

from articles.db.indexes import RumIndex
from articles.db.sql_files import run_sql_file
from articles.search.indexing import reindex_articles

BATCH_SIZE = 500
PROGRESS_EVERY = 10_000

# The trigger as migration 0024 made it: the head vector without pairs, no pair vector.
PREVIOUS_TRIGGER = import_module("articles.migrations.0024_search_by_language").TRIGGER_SQL


# The next batch of articles, each written again (the trigger computes its vectors).
REWRITE_BATCH = """
WITH batch AS MATERIALIZED (
    SELECT id FROM articles_article WHERE id > %s ORDER BY id LIMIT %s
), rewritten AS (
    UPDATE articles_article article SET search_vector = NULL FROM batch WHERE article.id = batch.id
)
SELECT max(id) FROM batch
"""


def write_every_article(apps, schema_editor):
    """Every article written again, a batch at a time, with the progress shown."""
    shown = 0

    def progress(report):
        nonlocal shown
        if report.read >= shown + PROGRESS_EVERY:
            shown = report.read
            print(f"\n  {report}", end="", flush=True)

    reindex_articles(BATCH_SIZE, progress)


def write_heads_without_pairs(apps, schema_editor):
    """Undoing: every article written again by the trigger as it was (no pairs)."""
    after = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(REWRITE_BATCH, [after, BATCH_SIZE])
            (after,) = cursor.fetchone()
            if after is None:
                return


class Migration(migrations.Migration):
    # The batches commit one by one, and the indexes are built concurrently.
    atomic = False

    dependencies = [("articles", "0028_passage_of_a_headline_match")]

    operations = [
        # The batches and the concurrent builds take as long as the archive needs (and
        # the connection's own limit is back at the end, either way).
        migrations.RunSQL("SET statement_timeout = 0", "RESET statement_timeout"),
        migrations.AddField(
            model_name="article",
            name="pair_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.RunSQL(
            "ALTER TABLE articles_article ALTER COLUMN pair_vector SET STORAGE EXTERNAL",
            migrations.RunSQL.noop,
        ),
        run_sql_file("vectors.sql"),
        migrations.RunPython(migrations.RunPython.noop, write_heads_without_pairs),
        run_sql_file("vector_trigger.sql", reverse_sql=PREVIOUS_TRIGGER),
        migrations.RunPython(write_every_article, migrations.RunPython.noop),
        AddIndexConcurrently(
            model_name="article",
            index=RumIndex(
                fields=["pair_vector"], name="article_pair_rum", opclasses=["rum_tsvector_ops"]
            ),
        ),
        migrations.RunSQL(
            [
                "REINDEX INDEX CONCURRENTLY article_search_rum",
                "REINDEX INDEX CONCURRENTLY article_head_rum",
            ],
            migrations.RunSQL.noop,
        ),
        run_sql_file("search.sql"),
        migrations.RunSQL("RESET statement_timeout", "SET statement_timeout = 0"),
    ]

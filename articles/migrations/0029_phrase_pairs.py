"""A phrase is found by the pairs of adjacent words each article's vectors hold
(articles/db/sql/vectors.sql, search.sql; docs/search.md), where it was found by
intersecting its words' matches, every one of which the index read to check positions.

In steps, so that a search finds the same articles throughout: the trigger writes the
pairs of every article written from then on; every article's vectors are rewritten, a
batch of 500 by id at a time, each its own short transaction (articles/search/indexing.py,
as `manage.py reindex_search` does), so the archive stays readable and writable; the RUM
indexes are built again, compact, beside the old ones (REINDEX CONCURRENTLY); then the
searches read phrases by their pairs, which every article has by then. Until then they
read them by their words, as before.

Undoing it puts the queries back first, then the trigger, then rewrites the vectors
without pairs and builds the indexes again.
"""

from django.db import migrations

from articles.db.sql_files import run_sql_file

# Migration 0024's vectors, made again when this migration is undone.
PREVIOUS_VECTORS = r"""
CREATE OR REPLACE FUNCTION newsarchive_search_vector(
    language text, title text, standfirst text, body text
) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN newsarchive_head_vector(language, title, standfirst) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(body), '')), 'C'
    );
CREATE OR REPLACE FUNCTION articles_article_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.head_vector := newsarchive_head_vector(NEW.language, NEW.title, NEW.standfirst);
    NEW.search_vector := NEW.head_vector || setweight(to_tsvector(
        newsarchive_config(NEW.language), coalesce(newsarchive_search_text(NEW.body), '')
    ), 'C');
    RETURN NEW;
END
$$;
DROP FUNCTION IF EXISTS newsarchive_with_pairs(tsvector);
"""

# Migration 0019's names query (phrases by their words), made again when this migration is
# undone, without the functions that read phrases by their pairs.
PREVIOUS_SEARCH = r"""
CREATE OR REPLACE FUNCTION newsarchive_names_query(entity_ids bigint[]) RETURNS tsquery
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    RETURN coalesce((
        SELECT newsarchive_tsquery_or(
            CASE WHEN english = other THEN english ELSE english || other END
        )
        FROM (
            SELECT
                phraseto_tsquery('newsarchive', newsarchive_search_text(name)) AS english,
                phraseto_tsquery('newsarchive_simple', newsarchive_search_text(name)) AS other
            FROM (
                SELECT name FROM articles_entity WHERE id = ANY(entity_ids)
                UNION
                SELECT name FROM articles_alias WHERE entity_id = ANY(entity_ids)
            ) AS names
            ORDER BY length(name)
            LIMIT 64
        ) AS phrases
        WHERE numnode(english) > 0 OR numnode(other) > 0
    ), ''::tsquery);
DROP FUNCTION IF EXISTS newsarchive_match_query(text, text);
DROP FUNCTION IF EXISTS newsarchive_phrase_pairs(tsquery);
DROP FUNCTION IF EXISTS newsarchive_run_pairs(text);
DROP FUNCTION IF EXISTS newsarchive_item_lexemes(text);
"""


PROGRESS_EVERY = 50_000
# Each batch's rows stay locked while it is written: a rewrite costs milliseconds an
# article (the RUM index's entries, pairs and all, written again).
BATCH_SIZE = 500


def rewrite_vectors(apps, schema_editor):
    """The vectors that differ from what the trigger now in place writes, written again in
    batches (those written since, or by a run that was stopped, are left), with the
    progress shown every PROGRESS_EVERY articles."""
    from articles.search.indexing import reindex_articles

    shown = [0]

    def progress(report):
        if report.read >= shown[0] + PROGRESS_EVERY:
            shown[0] = report.read
            print(f"\n  {report}", end="", flush=True)

    reindex_articles(BATCH_SIZE, progress)


# Rewriting every row leaves the RUM indexes more than twice the size they are built at
# (at 100,000 articles 796 MB, built 354): they are built again after each rewrite (this
# migration's, or its undoing's), beside the old ones, which serve the searches until the
# new are ready.
REINDEX = [
    f"REINDEX INDEX CONCURRENTLY {index}" for index in ("article_search_rum", "article_head_rum")
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0028_passage_of_a_headline_match")]

    operations = [
        # A batch is bounded by its size, not by the settings' statement timeout.
        migrations.RunSQL("SET statement_timeout = 0", "RESET statement_timeout"),
        migrations.RunSQL(migrations.RunSQL.noop, REINDEX),
        migrations.RunPython(migrations.RunPython.noop, rewrite_vectors),
        run_sql_file("vectors.sql", reverse_sql=PREVIOUS_VECTORS),
        migrations.RunPython(rewrite_vectors, migrations.RunPython.noop),
        migrations.RunSQL(REINDEX, migrations.RunSQL.noop),
        run_sql_file("search.sql", reverse_sql=PREVIOUS_SEARCH),
        migrations.RunSQL("RESET statement_timeout", "SET statement_timeout = 0"),
    ]

"""Search ranks every match (docs/search.md): the articles' search vectors get a RUM index
(the rum extension, which scripts/ensure_database.py installs where it is missing), which
finds the matches and gives them in order of relevance, in place of the GIN index that
only found them; and the database gains what a search asks beside the text
(articles/db/sql/search.sql): every name of an entity as one query, and the days an
article's date stands for. Building the index reads every article: about 12 s per 100,000
on the benchmark's machine, during which articles cannot be written."""

from django.contrib.postgres.operations import CreateExtension
from django.db import migrations

import articles.db.indexes
from articles.db.sql_files import run_sql_file

UNDO_SEARCH_SQL = """
DROP FUNCTION IF EXISTS newsarchive_date_span(date, text);
DROP FUNCTION IF EXISTS newsarchive_names_query(bigint[]);
DROP AGGREGATE IF EXISTS newsarchive_tsquery_or(tsquery);
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_database_code_from_files")]

    operations = [
        # Building the index takes longer than a request may (the settings' statement
        # timeout), and goes faster with more memory; both only for this migration's
        # transaction.
        migrations.RunSQL(
            "SET LOCAL statement_timeout = 0; SET LOCAL maintenance_work_mem = '256MB'",
            migrations.RunSQL.noop,
        ),
        CreateExtension("rum"),
        run_sql_file("search.sql", reverse_sql=UNDO_SEARCH_SQL),
        migrations.RemoveIndex(model_name="article", name="article_search_vector"),
        migrations.AddIndex(
            model_name="article",
            index=articles.db.indexes.RumIndex(
                fields=["search_vector"],
                name="article_search_rum",
                opclasses=["rum_tsvector_ops"],
            ),
        ),
    ]

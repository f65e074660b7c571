"""A search result's passage no longer parses the whole text of an article that the words
matched by its title alone (articles/db/sql/headline.sql): where none of the words begins
anywhere in a text without letters that folding changes, ts_headline is given its first
1,200 characters, which hold the first words it shows."""

from importlib import import_module

from django.db import migrations

from articles.db.sql_files import run_sql_file

# The function as migration 0012 made it, made again when this migration is undone.
previous = import_module("articles.migrations.0012_passage_headline")
PREVIOUS_HEADLINE = previous.FUNCTION_SQL.replace(
    "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1
)


class Migration(migrations.Migration):
    dependencies = [("articles", "0027_head_vector_ranked")]

    operations = [run_sql_file("headline.sql", reverse_sql=PREVIOUS_HEADLINE)]

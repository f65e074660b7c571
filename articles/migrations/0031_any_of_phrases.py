"""A search for a name ranks each of its words and phrases once: the names' query drops
the phrases that hold another of its alternatives whole, and any written twice
(articles/db/sql/search.sql, newsarchive_any_of_phrases). A function, so no article or
index is written again.
"""

from django.db import migrations

from articles.db.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("articles", "0030_repeats")]

    operations = [
        run_sql_file(
            "search.sql",
            reverse_sql=[
                "DROP FUNCTION newsarchive_any_of_phrases(tsquery)",
                "DROP FUNCTION newsarchive_phrase_pattern()",
            ],
        ),
    ]

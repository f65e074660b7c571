"""One word's or a phrase of two's best matches come from an index of how many times each
article's text holds each word and pair of words (articles/db/sql/repeats.sql;
articles/search/ranking.py, _repeated_tier): a GIN index of an expression of the pair
vector, so no article is written again. It is built concurrently, and searches go on
meanwhile as before (docs/search.md).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations
from django.db.models import F

from articles.db.functions import Repeats
from articles.db.sql_files import run_sql_file


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0029_phrase_pairs")]

    operations = [
        # The build takes as long as the archive needs.
        migrations.RunSQL("SET statement_timeout = 0", "RESET statement_timeout"),
        run_sql_file(
            "repeats.sql",
            reverse_sql=[
                "DROP FUNCTION newsarchive_two_of(tsquery)",
                "DROP FUNCTION newsarchive_repeats_query(tsquery, integer)",
                "DROP FUNCTION newsarchive_any_of_words(tsquery)",
                "DROP FUNCTION newsarchive_repeats(tsvector)",
                "DROP FUNCTION newsarchive_repeat_class_ties(integer)",
                "DROP FUNCTION newsarchive_repeat_class(integer)",
                "DROP FUNCTION newsarchive_repeat_classes()",
            ],
        ),
        AddIndexConcurrently(
            model_name="article",
            index=GinIndex(Repeats(F("pair_vector")), name="article_repeats"),
        ),
        migrations.RunSQL("RESET statement_timeout", "SET statement_timeout = 0"),
    ]

"""The database's functions, triggers and text search configuration are (re)created from
the files that define them, articles/db/sql/ (see articles/db/sql_files.py), where earlier
migrations held them in their own text. Each definition is the one the database already
ran, but one: names fold by one rule in Python and in the database.

``newsarchive_fold`` (text.sql) now folds as ``name_key`` in articles/text/folding.py does:
compatibility forms decomposed, hamza and madda dropped (آباد is اباد, as the tagger read
it), the Latin letters that do not decompose written plain, every character but letters
and digits parting words, case and classes by ICU. The entity and alias search names it
generates are recomputed where they change (both tables are small); the articles' search
vectors do not use it.
"""

from django.db import migrations

from articles.db.sql_files import run_sql_file

# Stored generated columns are computed again when their row is updated.
SEARCH_NAMES_RECOMPUTED = [
    f"UPDATE {table} SET name = name WHERE search_name IS DISTINCT FROM newsarchive_fold(name)"
    for table in ("articles_entity", "articles_alias")
]

# Migration 0002's folding, made again when this migration is undone.
PREVIOUS_FOLD = r"""
CREATE OR REPLACE FUNCTION newsarchive_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(
        lower(public.unaccent('public.unaccent'::regdictionary, newsarchive_search_text(value))),
        U&'[[:space:][:punct:]\00A0\00AB\00BB\200B-\200F\2010-\2015\2018-\201F\2026\2039\203A\060C\061B\061F\066A-\066C\06D4]+',
        ' ', 'g'
    ));
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_archive_state_at_commit")]

    operations = [
        run_sql_file("text.sql", reverse_sql=[PREVIOUS_FOLD, *SEARCH_NAMES_RECOMPUTED]),
        run_sql_file("headline.sql"),
        run_sql_file("tallies.sql"),
        run_sql_file("archive_state.sql"),
        # After archive_state.sql, which makes the trigger that renews the archive's state
        # again: a write noted before it would stay pending, its renewal never run.
        migrations.RunSQL(SEARCH_NAMES_RECOMPUTED, migrations.RunSQL.noop),
    ]

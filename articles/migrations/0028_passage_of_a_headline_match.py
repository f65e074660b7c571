"""A search result's passage no longer parses the whole text of an article that the words
matched by its title alone (articles/db/sql/headline.sql): where none of the words begins
anywhere in a text without letters that folding changes, ts_headline is given its first
1,200 characters, which hold the first words it shows."""

from django.db import migrations

from articles.db.sql_files import run_sql_file

# The function as migration 0012 made it, made again when this migration is undone.
PREVIOUS_HEADLINE = r"""
CREATE OR REPLACE FUNCTION newsarchive_headline(
    config regconfig, document text, query tsquery, starts text, mark text, options text
) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
    lowered text;
    word text;
    found integer;
    first_match integer := 0;
    window_start integer;
    passage text;
    headline text;
BEGIN
    IF length(document) > 1200 THEN
        lowered := lower(document);
        FOREACH word IN ARRAY string_to_array(starts, ' ') LOOP
            found := strpos(lowered, word);
            IF found > 0 AND (first_match = 0 OR found < first_match) THEN
                first_match := found;
            END IF;
        END LOOP;
        IF first_match > 0 THEN
            -- Cut at spaces, so that the passage starts and ends with whole words.
            window_start := greatest(1, first_match - 200);
            IF window_start > 1 THEN
                window_start := window_start + strpos(substr(document, window_start, 200), ' ');
            END IF;
            passage := substr(document, window_start, 1200);
            IF window_start + 1200 <= length(document) THEN
                passage := left(passage, length(passage) - strpos(reverse(passage), ' '));
            END IF;
            headline := ts_headline(config, passage, query, options);
            IF strpos(headline, mark) > 0 THEN
                RETURN headline;
            END IF;
        END IF;
    END IF;
    RETURN ts_headline(config, document, query, options);
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0027_head_vector_ranked")]

    operations = [run_sql_file("headline.sql", reverse_sql=PREVIOUS_HEADLINE)]

-- Text: how articles are searched and entity names matched, whatever their spelling.
-- The generated columns built from these (articles_article.search_vector and head_vector,
-- articles_entity.search_name and articles_alias.search_name) keep the values computed
-- when each row was written: a change here that changes any result needs those columns
-- recomputed by the migration that runs this file again (UPDATE ... SET name = name).

-- The text search configuration: English, with unaccent before stemming for words with
-- non-ASCII letters, so "Türkiye" and "Turkiye" index alike. There is no CREATE OR REPLACE
-- for a configuration (and dropping it would drop the search columns): it is created
-- once, and its mapping set every time.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT FROM pg_ts_config
        WHERE cfgname = 'newsarchive' AND cfgnamespace = current_schema()::regnamespace
    ) THEN
        CREATE TEXT SEARCH CONFIGURATION newsarchive (COPY = english);
    END IF;
END
$$;
ALTER TEXT SEARCH CONFIGURATION newsarchive
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

-- Text as it is indexed and queried: Arabic-script letter variants unified (Arabic yeh and
-- alef maksura to Farsi yeh, Arabic kaf to keheh, teh marbuta to heh), harakat, the
-- superscript alef and tatweel dropped. Every character it changes lies in the Arabic
-- block (U+0600-U+06FF), so text with none is returned as it is, after one test:
-- translate() over multibyte text is slow.
CREATE OR REPLACE FUNCTION newsarchive_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN value ~ U&'[\0600-\06FF]' THEN regexp_replace(
        translate(value, U&'\064A\0649\0643\0629', U&'\06CC\06CC\06A9\0647'),
        U&'[\064B-\065F\0670\0640]', '', 'g'
    ) ELSE value END;

-- A name as entity names and aliases are matched: the above, then lower case, no
-- diacritics, punctuation and spaces as single spaces. unaccent() is only STABLE (it
-- reads a dictionary), so a generated column cannot call it directly; this calls the
-- two-argument form with the dictionary named, and is declared IMMUTABLE. The body is
-- SQL-standard, so its references are bound when it is created, whatever the search_path.
CREATE OR REPLACE FUNCTION newsarchive_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(
        lower(public.unaccent('public.unaccent'::regdictionary, newsarchive_search_text(value))),
        U&'[[:space:][:punct:]\00A0\00AB\00BB\200B-\200F\2010-\2015\2018-\201F\2026\2039\203A\060C\061B\061F\066A-\066C\06D4]+',
        ' ', 'g'
    ));

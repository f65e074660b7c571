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
-- It folds less than names are folded (newsarchive_fold, below): precomposed letters keep
-- their hamza or madda (آ أ إ ؤ ئ are not ا و ی), presentation forms and other
-- compatibility forms stay as written, and case, Latin diacritics and word breaks (a ZWNJ
-- among them) are left to the text search configuration. Changing it changes every
-- article's search vector, which a migration would have to rewrite.
CREATE OR REPLACE FUNCTION newsarchive_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN value ~ U&'[\0600-\06FF]' THEN regexp_replace(
        translate(value, U&'\064A\0649\0643\0629', U&'\06CC\06CC\06A9\0647'),
        U&'[\064B-\065F\0670\0640]', '', 'g'
    ) ELSE value END;

-- A name as entity names and aliases are matched, and as a search's words are read for
-- names: the twin of name_key in articles/text/folding.py, which says the rule, and
-- tests/test_folding.py proves the two agree on every character both know. Compatibility
-- forms decomposed (NFKD), lower case, the combining marks of Latin, Greek and Cyrillic
-- letters dropped, Arabic script as newsarchive_search_text writes it, the Latin letters
-- that do not decompose written plain, and anything but letters and digits as single
-- spaces. Case and classes are ICU's (the und-x-icu collation): its classes are Unicode's
-- general categories, as Python's are, where the database's own locale would classify
-- by the C library's tables. Text is lowered before it is decomposed, as Python lowers it
-- (a Greek sigma is final by what follows it), and after (some capitals' compatibility
-- forms decompose to capitals). The body is SQL-standard, so its references are bound
-- when it is created, whatever the search_path.
CREATE OR REPLACE FUNCTION newsarchive_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN btrim(regexp_replace(
        replace(replace(replace(replace(
            translate(
                regexp_replace(
                    newsarchive_search_text(lower(normalize(lower(value COLLATE "und-x-icu"), NFKD))),
                    U&'[\0300-\036F\1AB0-\1AFF\1DC0-\1DFF\20D0-\20FF\FE20-\FE2F]+', '', 'g'
                ),
                'ðøđħıłŋŧʼ', 'dodhilnt'''
            ),
            'ß', 'ss'), 'æ', 'ae'), 'þ', 'th'), 'œ', 'oe'),
        '[^[:alnum:]]+', ' ', 'g'
    ));

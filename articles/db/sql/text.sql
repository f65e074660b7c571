-- Text: how articles are searched and entity names matched, whatever their spelling.
-- The generated columns built from these (articles_article.search_vector and head_vector,
-- articles_entity.search_name and articles_alias.search_name) keep the values computed
-- when each row was written: a change here that changes any result needs those columns
-- recomputed by the migration that runs this file again (UPDATE ... SET name = name).

-- The text search configuration of English: unaccent before stemming for words with
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

-- The configuration of every other language (Pashto, Dari, Urdu...): words lowered and,
-- with non-ASCII letters, unaccented, neither stemmed nor dropped as stop words (an English
-- stemmer would cut Latin words of other languages wrongly, and a stop word list of the
-- region's languages would be one more thing to keep). Arabic script is folded before it
-- reaches the configuration, by newsarchive_search_text.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT FROM pg_ts_config
        WHERE cfgname = 'newsarchive_simple' AND cfgnamespace = current_schema()::regnamespace
    ) THEN
        CREATE TEXT SEARCH CONFIGURATION newsarchive_simple (COPY = simple);
    END IF;
END
$$;
ALTER TEXT SEARCH CONFIGURATION newsarchive_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

-- Arabic presentation forms (the shapes letters take in a word, and ligatures) decomposed
-- into the letters they show, and nothing else changed: the runs of them normalized
-- (NFKD), the text between as it is. Part of newsarchive_search_text, below.
CREATE OR REPLACE FUNCTION newsarchive_presentation_forms(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN value ~ U&'[\FB50-\FDFF\FE70-\FEFF]' THEN (
        SELECT string_agg(piece[1] || normalize(piece[2], NFKD), '' ORDER BY n)
        FROM regexp_matches(
            value, U&'([^\FB50-\FDFF\FE70-\FEFF]*)([\FB50-\FDFF\FE70-\FEFF]*)', 'g'
        ) WITH ORDINALITY AS runs (piece, n)
    ) ELSE value END;

-- Arabic script folded by the archive's one rule, the twin of fold_arabic_script in
-- articles/text/folding.py, which says the rule; tests/text/test_folding.py proves the
-- two agree. Text as it is indexed and queried, and the Arabic part of newsarchive_fold:
-- presentation forms decomposed; every yeh the Farsi yeh, kaf keheh, every heh and teh
-- marbuta heh, every alef with a hamza or madda (and wasla) the bare alef, waw with hamza
-- waw; Arabic-Indic and Persian digits ASCII; the zero-width non-joiner a space; Arabic
-- combining marks, tatweel and the zero-width joiner dropped. Every character it changes
-- lies in the ranges of the first test, so text with none is returned as it is after
-- that one test (translate() over multibyte text is slow): English text is untouched,
-- case, Latin diacritics and word breaks being left to the text search configuration.
-- Changing it changes the search vectors of the articles with Arabic script, which
-- `manage.py reindex_search` rewrites (docs/search.md).
CREATE OR REPLACE FUNCTION newsarchive_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN value ~ U&'[\0600-\06FF\0750-\077F\0870-\08FF\FB50-\FDFF\FE70-\FEFF\200C\200D]'
    THEN regexp_replace(
        translate(
            newsarchive_presentation_forms(value),
            U&'\064A\0649\06D0\06CD\06CE\0626\0643\06C1\06BE\06D5\06C0\06C2\0629\06C3\0622\0623\0625\0671\0672\0673\0624\06D3\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9\200C',
            U&'\06CC\06CC\06CC\06CC\06CC\06CC\06A9\0647\0647\0647\0647\0647\0647\0647\0627\0627\0627\0627\0627\0627\0648\06D201234567890123456789 '
        ),
        U&'[\0610-\061A\064B-\065F\0670\06D6-\06DC\06DF-\06E4\06E7\06E8\06EA-\06ED\0898-\089F\08CA-\08E1\08E3-\08FF\0640\200D]+',
        '', 'g'
    ) ELSE value END;

-- A name as entity names and aliases are matched, and as a search's words are read for
-- names: the twin of name_key in articles/text/folding.py, which says the rule, and
-- tests/test_folding.py proves the two agree on every character both know. Compatibility
-- forms decomposed (NFKD), lower case, the combining marks of Latin, Greek and Cyrillic
-- letters dropped, Arabic script by the one rule (newsarchive_search_text), the Latin letters
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

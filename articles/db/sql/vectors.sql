-- Articles' search vectors: each article's language decides how its text is indexed
-- (docs/search.md). Read by migration 0024 and any later one that changes it.
--
-- The vectors were generated columns of one configuration; a generated column can only
-- read its own row's columns through an expression fixed when the column was made, and
-- PostgreSQL 15 changes that expression only by rewriting the table. They are plain
-- columns now, kept by a trigger on every write, whatever writes (the admin, the importer's
-- COPY, re-tagging, SQL): as the generated columns were (vector_trigger.sql).

-- The text search configuration for a language (a BCP 47 code): English stems
-- (newsarchive); every other language, Pashto, Dari and Urdu among them, is indexed word
-- for word (newsarchive_simple). articles/search/languages.py says which codes are English.
CREATE OR REPLACE FUNCTION newsarchive_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN lower(split_part(language, '-', 1)) = 'en'
        THEN 'newsarchive'::regconfig ELSE 'newsarchive_simple'::regconfig END;

-- The headline (weight A) and standfirst (B) as a vector: what a search ranks the newest
-- articles by beside their whole text (articles/search/queries.py), and the editors' search.
CREATE OR REPLACE FUNCTION newsarchive_head_vector(language text, title text, standfirst text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(title), '')), 'A'
    ) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(standfirst), '')),
        'B'
    );

-- The whole text: the head vector and the body (weight C).
CREATE OR REPLACE FUNCTION newsarchive_search_vector(
    language text, title text, standfirst text, body text
) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN newsarchive_head_vector(language, title, standfirst) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(body), '')), 'C'
    );

-- Each pair of adjacent words of a vector as one lexeme, beside its words: "humanitarian
-- situation" is 'humanitarian situat', at the second word's position with its weight. A
-- phrase is then found as one word is, from one list of the index instead of by meeting
-- the lists of each of its words (newsarchive_phrase_pairs, in search.sql, rewrites a
-- query's phrases into pairs). Not paired: words with a stop word between them (a phrase
-- keeps that gap), a pair longer than a lexeme may be, and any word at or past position
-- 16,383, where PostgreSQL puts every later word.
CREATE OR REPLACE FUNCTION newsarchive_with_pairs(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN (
        WITH words AS (
            SELECT word.lexeme, place.position, place.weight
            FROM unnest(vector) AS word (lexeme, positions, weights)
            CROSS JOIN LATERAL unnest(word.positions, word.weights) AS place (position, weight)
            WHERE place.position < 16383
        )
        SELECT coalesce(
            (vector::text || ' ' || string_agg(
                ''''
                || replace(replace(first.lexeme || ' ' || second.lexeme, '\', '\\'), '''', '''''')
                || ''':' || second.position
                || CASE second.weight WHEN 'D' THEN '' ELSE second.weight END,
                ' '
            ))::tsvector,
            vector
        )
        FROM words AS first
        JOIN words AS second ON second.position = first.position + 1
        WHERE octet_length(first.lexeme) + octet_length(second.lexeme) < 2047
    );

-- Articles' search vectors: each article's language decides how its text is indexed
-- (docs/search.md). Read by migration 0024 and any later one that changes it.
--
-- The vectors were generated columns of one configuration; a generated column can only
-- read its own row's columns through an expression fixed when the column was made, and
-- PostgreSQL 15 changes that expression only by rewriting the table. They are plain
-- columns now, kept by the trigger below on every write, whatever writes (the admin, the
-- importer's COPY, re-tagging, SQL): as the generated columns were.

-- The text search configuration for a language (a BCP 47 code): English stems
-- (newsarchive); every other language, Pashto, Dari and Urdu among them, is indexed word
-- for word (newsarchive_simple). articles/search/languages.py says which codes are English.
CREATE OR REPLACE FUNCTION newsarchive_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN lower(split_part(language, '-', 1)) = 'en'
        THEN 'newsarchive'::regconfig ELSE 'newsarchive_simple'::regconfig END;

-- The headline (weight A) and standfirst (B) as a vector, without pairs: the start of
-- the whole text's.
CREATE OR REPLACE FUNCTION newsarchive_head_vector(language text, title text, standfirst text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(title), '')), 'A'
    ) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(standfirst), '')),
        'B'
    );

-- A vector with each pair of adjacent words as a lexeme of its own, "first second", at the
-- second word's position and with its weight: a phrase is found by its pairs
-- (newsarchive_phrase_pairs, in search.sql), each in a few articles, where its words alone
-- are each in many, and an index must read every article with all of them to check their
-- positions. At the second word's position, a pair stands wherever the phrase of its two
-- words stood ("a b" <-> "b c" is a <-> b <-> c); with its weight, a pair across the
-- standfirst and the body is the body's, so the head vector (weights A and B) holds the
-- head's own pairs. A pair longer than a lexeme may be (2,047 bytes) is left out, and a
-- phrase with it is matched by its words. Two words with a stop word between them make no
-- pair, and nor do the words from the 16,383rd position on, where PostgreSQL stops
-- counting (every one stands there).
CREATE OR REPLACE FUNCTION newsarchive_with_pairs(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN (
        WITH words AS MATERIALIZED (
            SELECT lexeme, position, weight
            FROM unnest(vector) AS word (lexeme, positions, weights),
                unnest(positions, weights) AS at (position, weight)
        )
        -- The vector's own text and the pairs', read once (|| would move the pairs'
        -- positions past the vector's last).
        SELECT (vector::text || ' ' || coalesce(string_agg(
            '''' || replace(replace(first.lexeme || ' ' || second.lexeme, '\', '\\'), '''', '''''')
                || ''':' || second.position || second.weight,
            ' '
        ), ''))::tsvector
        FROM words AS first JOIN words AS second ON second.position = first.position + 1
        WHERE second.position < 16383
            AND octet_length(first.lexeme) + octet_length(second.lexeme) < 2047
    );

-- The whole text: the head vector and the body (weight C), with their pairs.
CREATE OR REPLACE FUNCTION newsarchive_search_vector(
    language text, title text, standfirst text, body text
) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN newsarchive_with_pairs(newsarchive_head_vector(language, title, standfirst) || setweight(
        to_tsvector(newsarchive_config(language), coalesce(newsarchive_search_text(body), '')), 'C'
    ));

-- Written on every insert, and on every update of the text, the language or the vectors
-- themselves (a write to a vector is overwritten: they are the database's to keep). The
-- head vector is the whole text's headline and standfirst (weights A and B), pairs and
-- all: what a search ranks the newest articles by beside their whole text
-- (articles/search/queries.py), and the editors' search.
CREATE OR REPLACE FUNCTION articles_article_vectors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := newsarchive_search_vector(NEW.language, NEW.title, NEW.standfirst, NEW.body);
    NEW.head_vector := ts_filter(NEW.search_vector, '{a,b}');
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER articles_article_vectors
    BEFORE INSERT OR UPDATE OF title, standfirst, body, language, search_vector, head_vector
    ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_vectors();

-- Search: what the results page asks of the database beside the text search itself
-- (articles/search/queries.py). Read by migration 0019 and any later one that changes it.

-- Either of two text search queries: the aggregate behind "matches any of these names".
CREATE OR REPLACE AGGREGATE newsarchive_tsquery_or(tsquery) (sfunc = tsquery_or, stype = tsquery);

-- A lexeme as a text search query of it alone, whatever characters it holds.
CREATE OR REPLACE FUNCTION newsarchive_lexeme_query(lexeme text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''')::tsquery;

-- A search's words as a text search query that matches articles as each was indexed
-- (vectors.sql): English ones by their stems, the others word for word. The words are read
-- once, as English (websearch_to_tsquery, or plainto_ or phraseto_ for ``kind`` 'plain' or
-- 'phrase', as Django's SearchQuery names them), then every stem that differs from the word
-- it comes from is replaced by either: "-refugees Kabul" is
-- !('refuge' | 'refugees') & 'kabul', which excludes the word from articles of any language
-- (two whole queries ORed would not: an English article lacks the lexeme 'refugees').
-- Arabic script reads alike both ways, so a query in it is the English reading unchanged.
-- Immutable, and given constants, so PostgreSQL computes it once, when it plans a search.
CREATE OR REPLACE FUNCTION newsarchive_query(words text, kind text) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
    folded text := newsarchive_search_text(words);
    matched tsquery;
    stem record;
BEGIN
    matched := CASE kind
        WHEN 'plain' THEN plainto_tsquery('newsarchive', folded)
        WHEN 'phrase' THEN phraseto_tsquery('newsarchive', folded)
        ELSE websearch_to_tsquery('newsarchive', folded)
    END;
    FOR stem IN
        SELECT pair.english AS lexeme, array_agg(DISTINCT pair.other) AS others
        FROM (SELECT DISTINCT token FROM ts_parse('default', folded)) AS tokens
        CROSS JOIN tsvector_to_array(to_tsvector('newsarchive', token)) AS english (lexemes)
        CROSS JOIN tsvector_to_array(to_tsvector('newsarchive_simple', token)) AS other (lexemes)
        -- A word: a hyphenated one is read as its parts, which are tokens of their own.
        CROSS JOIN LATERAL (VALUES (english.lexemes[1], other.lexemes[1])) AS pair (english, other)
        WHERE cardinality(english.lexemes) = 1 AND cardinality(other.lexemes) = 1
            AND pair.english <> pair.other
        GROUP BY pair.english
    LOOP
        matched := ts_rewrite(
            matched,
            newsarchive_lexeme_query(stem.lexeme),
            (
                SELECT newsarchive_tsquery_or(newsarchive_lexeme_query(lexeme))
                FROM unnest(stem.lexeme || stem.others) AS l (lexeme)
            )
        );
    END LOOP;
    RETURN matched;
END
$$;

-- Every name and alias of the entities ``entity_ids`` as phrases, any of which matches:
-- how a search for a name also finds the articles that spell it another way (an article
-- tagged Faiz Hameed by its "Faiz Hamid" is found, and ranked, by a search for Hameed).
-- Phrases are read as articles are indexed (newsarchive_search_text, then English or word
-- for word, either matching: a phrase has no exclusion, so the two readings may simply be
-- ORed); a name of stop words alone adds nothing. At most 64 names, the shortest first,
-- bound a query whatever the gazetteer holds. Empty when none is left, which PostgreSQL
-- drops from either side of || and && (the literal is parsed once, when the function is
-- made).
CREATE OR REPLACE FUNCTION newsarchive_names_query(entity_ids bigint[]) RETURNS tsquery
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    RETURN coalesce((
        SELECT newsarchive_tsquery_or(
            CASE WHEN english = other THEN english ELSE english || other END
        )
        FROM (
            SELECT
                phraseto_tsquery('newsarchive', newsarchive_search_text(name)) AS english,
                phraseto_tsquery('newsarchive_simple', newsarchive_search_text(name)) AS other
            FROM (
                SELECT name FROM articles_entity WHERE id = ANY(entity_ids)
                UNION
                SELECT name FROM articles_alias WHERE entity_id = ANY(entity_ids)
            ) AS names
            ORDER BY length(name)
            LIMIT 64
        ) AS phrases
        WHERE numnode(english) > 0 OR numnode(other) > 0
    ), ''::tsquery);

-- The days an article's date stands for, by its precision: the day itself, the 1st-10th,
-- 11th-20th or 21st-last of its month, the month, or the year. A date range filter keeps
-- the articles whose whole span lies inside the range: "late November 2025" is in 21-30
-- November and in November, not in 25-30 November.
CREATE OR REPLACE FUNCTION newsarchive_date_span(day date, date_precision text) RETURNS daterange
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE date_precision
        WHEN 'year' THEN daterange(
            date_trunc('year', day)::date, (date_trunc('year', day) + interval '1 year')::date
        )
        WHEN 'month' THEN daterange(
            date_trunc('month', day)::date, (date_trunc('month', day) + interval '1 month')::date
        )
        WHEN 'early_month' THEN daterange(
            date_trunc('month', day)::date, date_trunc('month', day)::date + 10
        )
        WHEN 'mid_month' THEN daterange(
            date_trunc('month', day)::date + 10, date_trunc('month', day)::date + 20
        )
        WHEN 'late_month' THEN daterange(
            date_trunc('month', day)::date + 20, (date_trunc('month', day) + interval '1 month')::date
        )
        ELSE daterange(day, day, '[]')
    END;

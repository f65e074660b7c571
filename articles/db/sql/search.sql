-- Search: what the results page asks of the database beside the text search itself
-- (articles/search/queries.py). Read by migration 0019 and any later one that changes it.

-- Either of two text search queries: the aggregate behind "matches any of these names".
CREATE OR REPLACE AGGREGATE newsarchive_tsquery_or(tsquery) (sfunc = tsquery_or, stype = tsquery);

-- Every name and alias of the entities ``entity_ids`` as phrases, any of which matches:
-- how a search for a name also finds the articles that spell it another way (an article
-- tagged Faiz Hameed by its "Faiz Hamid" is found, and ranked, by a search for Hameed).
-- Phrases are read as articles are indexed (newsarchive_search_text, the configuration);
-- a name of stop words alone adds nothing. At most 64 names, the shortest first, bound a
-- query whatever the gazetteer holds. Empty when none is left, which PostgreSQL drops
-- from either side of || and && (the literal is parsed once, when the function is made).
CREATE OR REPLACE FUNCTION newsarchive_names_query(entity_ids bigint[]) RETURNS tsquery
    LANGUAGE sql STABLE PARALLEL SAFE STRICT
    RETURN coalesce((
        SELECT newsarchive_tsquery_or(phrase)
        FROM (
            SELECT phraseto_tsquery('newsarchive', newsarchive_search_text(name)) AS phrase
            FROM (
                SELECT name FROM articles_entity WHERE id = ANY(entity_ids)
                UNION
                SELECT name FROM articles_alias WHERE entity_id = ANY(entity_ids)
            ) AS names
            ORDER BY length(name)
            LIMIT 64
        ) AS phrases
        WHERE numnode(phrase) > 0
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

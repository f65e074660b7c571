-- How many times an article's text holds each of its words and pairs of words (the pair
-- vector holds both): what ranks a search of one word, or a phrase of two, in most texts
-- without reading every match (articles/search/ranking.py, _repeated_tier). Read by
-- migration 0030 and any later one that changes it.
--
-- A search of one word ranks the articles whose text alone holds it by how many times it
-- does (the RUM ranking of one word, all in the body, grows with each repeat and with
-- nothing else), then by date. An index of each word's repeats finds the articles that
-- hold it most from its short lists, rather than ranking all of them.

-- The classes of repeats, most first: each number of times up to 31, then spans (a vector
-- keeps at most 256 positions of a word).
CREATE OR REPLACE FUNCTION newsarchive_repeat_classes() RETURNS integer[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ARRAY[192, 128, 96, 64, 48, 32] || ARRAY(SELECT generate_series(31, 2, -1));

-- The class of a word held ``times`` times: the largest of newsarchive_repeat_classes()
-- that is at most ``times``. Not STRICT, so that PostgreSQL inlines it.
CREATE OR REPLACE FUNCTION newsarchive_repeat_class(times integer) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN times < 32 THEN times WHEN times < 48 THEN 32 WHEN times < 64 THEN 48
        WHEN times < 96 THEN 64 WHEN times < 128 THEN 96 WHEN times < 192 THEN 128 ELSE 192
    END;

-- Whether every article in a class holds the word as many times (the class is not a span).
CREATE OR REPLACE FUNCTION newsarchive_repeat_class_ties(class integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN newsarchive_repeat_class(class + 1) <> class;

-- Each word a vector holds more than once, as its class and the word: 'said' 34 times is
-- '32 said'. The space keeps them apart from any word. Its cost says what it takes
-- (a fifth of a millisecond for a long article), so that the planner reads it from its
-- index rather than work it out for each article.
CREATE OR REPLACE FUNCTION newsarchive_repeats(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT COST 10000
    RETURN array_to_tsvector(ARRAY(
        SELECT newsarchive_repeat_class(cardinality(word.positions)) || ' ' || word.lexeme
        FROM unnest(vector) AS word (lexeme, positions, weights)
        WHERE cardinality(word.positions) > 1 AND octet_length(word.lexeme) < 2044
    ));

-- The words of a query of any of some words ('refuge' | 'refugees', as newsarchive_query
-- reads one word, English or not), each as the query writes it (quoted); NULL for any
-- other query.
CREATE OR REPLACE FUNCTION newsarchive_any_of_words(query tsquery) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE WHEN query::text ~ $re$^'(?:[^'\\]|''|\\.)*'(?: \| '(?:[^'\\]|''|\\.)*')*$$re$
        THEN ARRAY(
            SELECT found.word[1]
            FROM regexp_matches(query::text, $re$('(?:[^'\\]|''|\\.)*')$re$, 'g') AS found (word)
        )
    END;

-- Such a query as the repeats of a class of its words ('32 refuge' | '32 refugees'); NULL
-- for any other query.
CREATE OR REPLACE FUNCTION newsarchive_repeats_query(query tsquery, class integer)
    RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN (
        SELECT string_agg('''' || class || ' ' || substr(word, 2), ' | ')::tsquery
        FROM unnest(newsarchive_any_of_words(query)) AS word
    );

-- Any two of the words of such a query ('refuge' & 'refugees'); NULL for one word or any
-- other query. An article holding two of them ranks above any holding one alone, however
-- often.
CREATE OR REPLACE FUNCTION newsarchive_two_of(query tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN (
        SELECT string_agg(first.word || ' & ' || second.word, ' | ')::tsquery
        FROM unnest(newsarchive_any_of_words(query)) WITH ORDINALITY AS first (word, place)
        JOIN unnest(newsarchive_any_of_words(query)) WITH ORDINALITY AS second (word, place)
            ON second.place > first.place
    );

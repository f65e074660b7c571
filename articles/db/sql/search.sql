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

-- A phrase as a query's text writes it: lexemes (quoted, with no weights or prefix mark)
-- joined by phrase operators.
CREATE OR REPLACE FUNCTION newsarchive_phrase_pattern() RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN $re$'(?:[^'\\]|''|\\.)*'(?: <(?:-|[0-9]+)> '(?:[^'\\]|''|\\.)*')*$re$;

-- A query of any of some phrases (a name's: 'taliban' | 'afghan' <-> 'taliban' | ...)
-- without the alternatives that add nothing: one written twice, and a phrase holding
-- another alternative whole ('afghan' <-> 'taliban' beside 'taliban'; 'islam' <-> 'emir'
-- <2> 'afghanistan' beside 'islam' <-> 'emir'). Such a phrase matches only where the
-- other does, and is never ranked for itself: RUM ranks the shortest stretches of text
-- that answer the query, and the other answers first. So the matches are those of the
-- whole query, and each word counts once in their rank: RUM counts a word once for each
-- time the query holds it. Reading them also costs less: each alternative is another list
-- of the index merged and another term tried at each position of every match, and its
-- words ('afghanistan') may be in most texts. Any other query is returned as it is.
CREATE OR REPLACE FUNCTION newsarchive_any_of_phrases(query tsquery) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE
        WHEN query::text ~ ('^' || newsarchive_phrase_pattern() || '(?: \| ' || newsarchive_phrase_pattern() || ')*$')
        THEN (
            WITH alternatives AS (
                SELECT found.phrase[1] AS phrase, min(found.place) AS place
                FROM regexp_matches(query::text, '(' || newsarchive_phrase_pattern() || ')(?: \| |$)', 'g')
                    WITH ORDINALITY AS found (phrase, place)
                GROUP BY found.phrase[1]
            )
            SELECT string_agg(kept.phrase, ' | ' ORDER BY kept.place)::tsquery
            FROM alternatives AS kept
            WHERE NOT EXISTS (
                SELECT FROM alternatives AS shorter
                WHERE shorter.phrase <> kept.phrase
                    -- Whole lexemes: a lexeme's own quotes are doubled, so a quote beside a
                    -- space begins or ends one.
                    AND strpos(' ' || kept.phrase || ' ', ' ' || shorter.phrase || ' ') > 0
            )
        )
        ELSE query
    END;

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

-- The phrases of a query as pairs of adjacent words, which the pair vector and the head
-- vector hold as lexemes of their own (newsarchive_with_pairs, in vectors.sql): a query
-- that matches the pair vector exactly as the query matches the search vector, and finds
-- a phrase from one list of the index. "humanitarian situation" is
-- 'humanitarian situat' | 'humanitarian situation'; "minister of foreign affairs" is
-- ('minist' | 'minister') <3> ('foreign affair' | 'foreign affairs').
--
-- A run of the query is a phrase's lexemes (or choices of lexemes, as newsarchive_query
-- makes of a stem) joined by phrase operators: its words one apart become pairs, each at
-- its second word (a pair is found at the second word's position), and the run is
-- replaced where it is a whole part of the query (ts_rewrite). The query's text is read as
-- tokens, each token a letter of its shape, so that the runs are found in the shape. A
-- phrase whose right side is more than a lexeme or a choice of them (a group, a negation)
-- is measured by that side's width, which pairs would change: such a query is left as it
-- is (websearch_to_tsquery makes none; a hand-made query might).
CREATE OR REPLACE FUNCTION newsarchive_phrase_pairs(phrases tsquery) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
    -- Each quoted lexeme (with its weights or prefix mark), operator and parenthesis.
    tokens text[] := ARRAY(
        SELECT token[1]
        FROM regexp_matches(
            phrases::text, '(''(?:[^''\\]|''''|\\\\)*''(?::[*A-D]+)?|<(?:-|[0-9]+)>|[&|!()])', 'g'
        ) AS tokens (token)
    );
    -- w: a lexeme; x: one with weights or a prefix mark; ~: a phrase operator.
    shape text := array_to_string(ARRAY(
        SELECT CASE
            WHEN token ~ '^''.*''$' THEN 'w'
            WHEN left(token, 1) = '''' THEN 'x'
            WHEN left(token, 1) = '<' THEN '~'
            ELSE token
        END
        FROM unnest(tokens) AS tokens (token)
    ), '');
    item text := '(?:w|\(w(?:\|w)*\))';
    run text := item || '(?:~' || item || ')+';
    start int := 1;
    run_start int;
    run_end int;
    run_tokens text[];
    pairs tsquery;
    paired tsquery := phrases;
BEGIN
    IF shape ~ ('~(?!' || item || ')') THEN
        RETURN phrases;
    END IF;
    LOOP
        run_start := regexp_instr(shape, run, start);
        EXIT WHEN run_start = 0;
        run_end := regexp_instr(shape, run, start, 1, 1);
        run_tokens := tokens[run_start : run_end - 1];
        pairs := newsarchive_run_pairs(run_tokens);
        IF pairs IS NOT NULL THEN
            paired := ts_rewrite(paired, array_to_string(run_tokens, ' ')::tsquery, pairs);
        END IF;
        start := run_end;
    END LOOP;
    RETURN paired;
END
$$;

-- A run of a query (its tokens: see newsarchive_phrase_pairs) with its words one apart as
-- pairs, or NULL when none are (nor can be: a pair longer than a lexeme may be is not in
-- the vectors). Each pair is any of its first word's lexemes with any of its second's; a
-- word not in a pair stays as it was; each stands at its own distance from the one before.
CREATE OR REPLACE FUNCTION newsarchive_run_pairs(run text[]) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
    -- Each word's lexemes, and its distance from the first word.
    words jsonb := '[]';
    offsets int[] := '{0}';
    lexemes jsonb := '[]';
    token text;
    linked boolean[] := '{}';
    node tsquery;
    paired tsquery;
    last_offset int;
BEGIN
    FOREACH token IN ARRAY run LOOP
        IF left(token, 1) = '''' THEN
            lexemes := lexemes || to_jsonb(
                regexp_replace(substr(token, 2, length(token) - 2), '([''\\])\1', '\1', 'g')
            );
        ELSIF left(token, 1) = '<' THEN
            words := words || jsonb_build_array(lexemes);
            lexemes := '[]';
            offsets := offsets || offsets[cardinality(offsets)] + CASE token
                WHEN '<->' THEN 1 ELSE substr(token, 2, length(token) - 2)::int
            END;
        END IF;
    END LOOP;
    words := words || jsonb_build_array(lexemes);
    FOR word IN 1 .. cardinality(offsets) - 1 LOOP
        linked := linked || (
            offsets[word + 1] - offsets[word] = 1
            AND (SELECT max(octet_length(lexeme)) FROM jsonb_array_elements_text(words -> (word - 1)) AS l (lexeme))
                + (SELECT max(octet_length(lexeme)) FROM jsonb_array_elements_text(words -> word) AS l (lexeme))
                < 2047
        );
    END LOOP;
    IF NOT true = ANY(linked) THEN
        RETURN NULL;
    END IF;
    FOR word IN 1 .. cardinality(offsets) LOOP
        IF word > 1 AND linked[word - 1] THEN
            SELECT newsarchive_tsquery_or(newsarchive_lexeme_query(first || ' ' || second) ORDER BY first, second)
            INTO node
            FROM jsonb_array_elements_text(words -> (word - 2)) AS f (first)
            CROSS JOIN jsonb_array_elements_text(words -> (word - 1)) AS s (second);
        ELSIF word < cardinality(offsets) AND linked[word] THEN
            CONTINUE;
        ELSE
            SELECT newsarchive_tsquery_or(newsarchive_lexeme_query(lexeme) ORDER BY lexeme)
            INTO node
            FROM jsonb_array_elements_text(words -> (word - 1)) AS l (lexeme);
        END IF;
        paired := CASE WHEN paired IS NULL THEN node
            ELSE tsquery_phrase(paired, node, offsets[word] - last_offset) END;
        last_offset := offsets[word];
    END LOOP;
    RETURN paired;
END
$$;

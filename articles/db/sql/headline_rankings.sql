-- The headline rankings (articles_headlineranking, articles_headlinerank): for the names
-- in most headlines, every headline matching the name's query, ranked once and kept
-- ranked on every write, so that a search for the name reads its best headlines off an
-- index rather than ranking them all (articles/search/headline_rankings.py). Read by
-- migration 0032 and any later one that changes it.

-- What identifies a query of any of some phrases whatever their order: its alternatives,
-- sorted, each once ('taliban' | 'taleban' and 'taleban' | 'taliban' | 'taliban' are one
-- key); NULL for any other query. A name's query and the same name typed as a search's
-- words have one key.
CREATE OR REPLACE FUNCTION newsarchive_query_key(query tsquery) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN CASE
        WHEN query::text ~ ('^' || newsarchive_phrase_pattern() || '(?: \| ' || newsarchive_phrase_pattern() || ')*$')
        THEN (
            SELECT string_agg(DISTINCT found.phrase[1], ' | ' ORDER BY found.phrase[1])
            FROM regexp_matches(query::text, '(' || newsarchive_phrase_pattern() || ')(?: \| |$)', 'g')
                AS found (phrase)
        )
    END;

-- Each ranking's ranks of the articles written, as a search would rank them: an inserted
-- article's, and an updated one's whose head vector or date changed (an update of anything
-- else, its status or its tags' version, costs a comparison of each row). A deleted
-- article's ranks go with it (their foreign key cascades).
CREATE OR REPLACE FUNCTION articles_article_headline_ranks() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM articles_headlineranking) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO articles_headlinerank (ranking_id, article_id, distance, published_at)
        SELECT ranking.id, article.id, article.head_vector <=> ranking.query, article.published_at
        FROM new_rows AS article
        JOIN articles_headlineranking AS ranking ON article.head_vector @@ ranking.query;
        RETURN NULL;
    END IF;
    -- An update's: the articles whose head vector or date it changed, ranked again (each
    -- statement is planned when it first runs, so old_rows is only read on an update).
    DELETE FROM articles_headlinerank AS rank
    USING new_rows AS article JOIN old_rows AS old_row ON old_row.id = article.id
    WHERE rank.article_id = article.id AND (
        old_row.head_vector IS DISTINCT FROM article.head_vector
        OR old_row.published_at IS DISTINCT FROM article.published_at
    );
    INSERT INTO articles_headlinerank (ranking_id, article_id, distance, published_at)
    SELECT ranking.id, article.id, article.head_vector <=> ranking.query, article.published_at
    FROM new_rows AS article
    JOIN old_rows AS old_row ON old_row.id = article.id
    JOIN articles_headlineranking AS ranking ON article.head_vector @@ ranking.query
    WHERE old_row.head_vector IS DISTINCT FROM article.head_vector
        OR old_row.published_at IS DISTINCT FROM article.published_at;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER articles_article_headline_ranks_inserted
    AFTER INSERT ON articles_article REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_article_headline_ranks();
CREATE OR REPLACE TRIGGER articles_article_headline_ranks_updated
    AFTER UPDATE ON articles_article REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_article_headline_ranks();

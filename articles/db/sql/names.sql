-- The names-to-add queue's tallies (articles/models/names.py): how many articles use each
-- name, with the dates of the first and the last (articles_nametally), and how many of
-- each source (articles_namesource).
--
-- Kept as tallies.sql keeps the entities': statement-level triggers with transition
-- tables add what each statement changed, whatever wrote the occurrences (the importer's
-- COPY, a save, re-tagging, the cascade of a deleted article). Rows are upserted in name
-- order, so concurrent writers lock them in the same order. An occurrence keeps the source
-- and date its article had when its names were read, so removing it takes away exactly
-- what adding it added. When an occurrence that was a name's first or last goes, that
-- name's dates are found again on the occurrences' (candidate, date) index: two index
-- probes a name.

CREATE OR REPLACE FUNCTION articles_names_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_nametally AS t (candidate_id, articles, first_seen, last_seen)
    SELECT candidate_id, count(*), min(published_at), max(published_at) FROM new_names
    GROUP BY candidate_id ORDER BY candidate_id
    ON CONFLICT (candidate_id) DO UPDATE SET
        articles = t.articles + EXCLUDED.articles,
        first_seen = least(t.first_seen, EXCLUDED.first_seen),
        last_seen = greatest(t.last_seen, EXCLUDED.last_seen);
    INSERT INTO articles_namesource AS s (candidate_id, source_name, articles)
    SELECT candidate_id, source_name, count(*) FROM new_names
    GROUP BY candidate_id, source_name ORDER BY candidate_id, source_name
    ON CONFLICT (candidate_id, source_name) DO UPDATE SET articles = s.articles + EXCLUDED.articles;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_names_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_nametally AS t (candidate_id, articles)
    SELECT candidate_id, -count(*) FROM old_names
    GROUP BY candidate_id ORDER BY candidate_id
    ON CONFLICT (candidate_id) DO UPDATE SET articles = t.articles + EXCLUDED.articles;
    -- The rows locked above, no others: the dates of the names that lost their first or
    -- last article.
    UPDATE articles_nametally t SET
        first_seen = (SELECT min(o.published_at) FROM articles_nameoccurrence o
                      WHERE o.candidate_id = t.candidate_id),
        last_seen = (SELECT max(o.published_at) FROM articles_nameoccurrence o
                     WHERE o.candidate_id = t.candidate_id)
    FROM (
        SELECT DISTINCT o.candidate_id FROM old_names o
        JOIN articles_nametally b ON b.candidate_id = o.candidate_id
        WHERE o.published_at = b.first_seen OR o.published_at = b.last_seen
    ) AS bounds
    WHERE t.candidate_id = bounds.candidate_id;
    INSERT INTO articles_namesource AS s (candidate_id, source_name, articles)
    SELECT candidate_id, source_name, -count(*) FROM old_names
    GROUP BY candidate_id, source_name ORDER BY candidate_id, source_name
    ON CONFLICT (candidate_id, source_name) DO UPDATE SET articles = s.articles + EXCLUDED.articles;
    DELETE FROM articles_namesource
    WHERE articles <= 0 AND candidate_id IN (SELECT candidate_id FROM old_names);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER articles_names_added
    AFTER INSERT ON articles_nameoccurrence REFERENCING NEW TABLE AS new_names
    FOR EACH STATEMENT EXECUTE FUNCTION articles_names_added();
CREATE OR REPLACE TRIGGER articles_names_removed
    AFTER DELETE ON articles_nameoccurrence REFERENCING OLD TABLE AS old_names
    FOR EACH STATEMENT EXECUTE FUNCTION articles_names_removed();
-- Occurrences are written and deleted, never updated: an update would change what the
-- tallies counted without telling them.
CREATE OR REPLACE FUNCTION articles_names_not_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'name occurrences are deleted and written again, not updated';
END
$$;
CREATE OR REPLACE TRIGGER articles_names_not_updated
    BEFORE UPDATE ON articles_nameoccurrence
    FOR EACH STATEMENT EXECUTE FUNCTION articles_names_not_updated();

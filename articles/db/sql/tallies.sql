-- Tallies the database keeps: how many articles with the published status tag each entity
-- (articles_entitytally) and how many there are in all (articles_archivetally, one row).
--
-- Statement-level triggers with transition tables add what each statement changed, so
-- every write path (admin, the importer's COPY, bulk updates, SQL) keeps them. Scheduled
-- articles are subtracted when counting (ArticleManager.public_count).

-- Entity tallies: tags inserted, deleted or moved (a merge moves them), and articles whose
-- status changed. Rows are upserted in entity order, so concurrent writers lock tallies
-- in the same order. Articles are deleted after their tags (Django's cascade), so deleting
-- tags is what counts. Each tag's article is looked up by its primary key (a scalar
-- subquery): joining the transition table to the articles read every article once a
-- statement touched a few thousand tags.

CREATE OR REPLACE FUNCTION articles_tally_tags_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_entitytally AS t (entity_id, published)
    SELECT entity_id, sum(delta) FROM (
        SELECT m.entity_id, 1 AS delta FROM new_mentions m
        WHERE (SELECT a.status FROM articles_article a WHERE a.id = m.article_id) = 'published'
    ) AS changes
    GROUP BY entity_id HAVING sum(delta) <> 0 ORDER BY entity_id
    ON CONFLICT (entity_id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_tally_tags_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_entitytally AS t (entity_id, published)
    SELECT entity_id, sum(delta) FROM (
        SELECT m.entity_id, -1 AS delta FROM old_mentions m
        WHERE (SELECT a.status FROM articles_article a WHERE a.id = m.article_id) = 'published'
    ) AS changes
    GROUP BY entity_id HAVING sum(delta) <> 0 ORDER BY entity_id
    ON CONFLICT (entity_id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_tally_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_entitytally AS t (entity_id, published)
    SELECT entity_id, sum(delta) FROM (
        SELECT m.entity_id, 1 AS delta FROM new_mentions m
        WHERE (SELECT a.status FROM articles_article a WHERE a.id = m.article_id) = 'published'
        UNION ALL
        SELECT m.entity_id, -1 FROM old_mentions m
        WHERE (SELECT a.status FROM articles_article a WHERE a.id = m.article_id) = 'published'
    ) AS changes
    GROUP BY entity_id HAVING sum(delta) <> 0 ORDER BY entity_id
    ON CONFLICT (entity_id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_tally_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_entitytally AS t (entity_id, published)
    SELECT entity_id, sum(delta) FROM (
        SELECT m.entity_id, CASE WHEN n.status = 'published' THEN 1 ELSE -1 END AS delta
        FROM new_articles n JOIN old_articles o ON o.id = n.id
        JOIN articles_mention m ON m.article_id = n.id
        WHERE (n.status = 'published') <> (o.status = 'published')
    ) AS changes
    GROUP BY entity_id HAVING sum(delta) <> 0 ORDER BY entity_id
    ON CONFLICT (entity_id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_tally_entities_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM articles_entitytally WHERE entity_id IN (SELECT id FROM old_entities);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER articles_tally_tags_added
    AFTER INSERT ON articles_mention REFERENCING NEW TABLE AS new_mentions
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_tags_added();
CREATE OR REPLACE TRIGGER articles_tally_tags_removed
    AFTER DELETE ON articles_mention REFERENCING OLD TABLE AS old_mentions
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_tags_removed();
CREATE OR REPLACE TRIGGER articles_tally_tags_changed
    AFTER UPDATE ON articles_mention REFERENCING OLD TABLE AS old_mentions NEW TABLE AS new_mentions
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_tags_changed();
CREATE OR REPLACE TRIGGER articles_tally_status_changed
    AFTER UPDATE ON articles_article REFERENCING OLD TABLE AS old_articles NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_status_changed();
CREATE OR REPLACE TRIGGER articles_tally_entities_removed
    AFTER DELETE ON articles_entity REFERENCING OLD TABLE AS old_entities
    FOR EACH STATEMENT EXECUTE FUNCTION articles_tally_entities_removed();

-- The archive's tally: articles inserted, deleted, or whose status changed, added to its
-- one row, which is upserted so that it comes back after a TRUNCATE of both tables.

CREATE OR REPLACE FUNCTION articles_archive_tally_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_archivetally AS t (id, published)
    SELECT 1, delta FROM (
        SELECT (SELECT count(*) FROM new_articles WHERE status = 'published') AS delta
    ) AS change WHERE delta <> 0
    ON CONFLICT (id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_archive_tally_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_archivetally AS t (id, published)
    SELECT 1, delta FROM (
        SELECT -(SELECT count(*) FROM old_articles WHERE status = 'published') AS delta
    ) AS change WHERE delta <> 0
    ON CONFLICT (id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_archive_tally_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_archivetally AS t (id, published)
    SELECT 1, delta FROM (
        SELECT (SELECT count(*) FROM new_articles WHERE status = 'published')
             - (SELECT count(*) FROM old_articles WHERE status = 'published') AS delta
    ) AS change WHERE delta <> 0
    ON CONFLICT (id) DO UPDATE SET published = t.published + EXCLUDED.published;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER articles_archive_tally_inserted
    AFTER INSERT ON articles_article REFERENCING NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_archive_tally_inserted();
CREATE OR REPLACE TRIGGER articles_archive_tally_deleted
    AFTER DELETE ON articles_article REFERENCING OLD TABLE AS old_articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_archive_tally_deleted();
CREATE OR REPLACE TRIGGER articles_archive_tally_updated
    AFTER UPDATE ON articles_article REFERENCING OLD TABLE AS old_articles NEW TABLE AS new_articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_archive_tally_updated();

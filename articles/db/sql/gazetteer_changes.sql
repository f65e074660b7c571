-- Changes to the names the gazetteer knows (entities' names and aliases), noted in
-- articles_gazetteerchange for re-tagging (articles/importing/retagging.py) whatever made
-- them: the admin, a gazetteer import, a merge, the shell or SQL. One row for each name
-- added or removed, both names of a rename; an update that keeps the name notes nothing.
-- The rows wait until re-tagging has read the articles that may spell those names, in the
-- transaction that deletes them.

CREATE OR REPLACE FUNCTION articles_entity_names_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_gazetteerchange (name, entity_id) SELECT name, id FROM new_rows;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_entity_names_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_gazetteerchange (name, entity_id) SELECT name, id FROM old_rows;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_entity_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_gazetteerchange (name, entity_id)
    SELECT changed.name, changed.id FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.name, o.id), (n.name, n.id)) AS changed (name, id)
    WHERE o.name IS DISTINCT FROM n.name;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_alias_names_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_gazetteerchange (name, entity_id) SELECT name, entity_id FROM new_rows;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_alias_names_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_gazetteerchange (name, entity_id) SELECT name, entity_id FROM old_rows;
    RETURN NULL;
END
$$;

-- An alias moved to another entity (a merge moves them) changes which entity the name tags.
CREATE OR REPLACE FUNCTION articles_alias_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_gazetteerchange (name, entity_id)
    SELECT changed.name, changed.entity_id FROM old_rows o JOIN new_rows n ON n.id = o.id
    CROSS JOIN LATERAL (VALUES (o.name, o.entity_id), (n.name, n.entity_id))
        AS changed (name, entity_id)
    WHERE (o.name, o.entity_id) IS DISTINCT FROM (n.name, n.entity_id);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER articles_entity_names_added
    AFTER INSERT ON articles_entity REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_entity_names_added();
CREATE OR REPLACE TRIGGER articles_entity_names_removed
    AFTER DELETE ON articles_entity REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_entity_names_removed();
CREATE OR REPLACE TRIGGER articles_entity_names_changed
    AFTER UPDATE ON articles_entity REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_entity_names_changed();
CREATE OR REPLACE TRIGGER articles_alias_names_added
    AFTER INSERT ON articles_alias REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_alias_names_added();
CREATE OR REPLACE TRIGGER articles_alias_names_removed
    AFTER DELETE ON articles_alias REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_alias_names_removed();
CREATE OR REPLACE TRIGGER articles_alias_names_changed
    AFTER UPDATE ON articles_alias REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_alias_names_changed();

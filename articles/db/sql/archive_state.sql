-- The archive's state, which keys the public page cache (articles/reader/caching.py): a
-- random token in articles_archive_state's one row, replaced as each transaction that
-- writes what public pages show commits, and only then. Tokens never repeat, so a
-- restore, which brings back its dump's token, never meets a page cached for another
-- archive under it. The tables are made by migration 0017.
--
-- Statement-level triggers on the watched tables note the write in
-- articles_archive_pending: one row per writing transaction (keyed by its id), however
-- many rows it writes, counting its write statements. Only the writing transaction sees
-- its own pending row: the cache keys its pages by that row's id and count too.
--
-- That row's insert queues a deferred constraint trigger, which runs as the transaction
-- commits. It first marks the row, which queues a second run after every other deferred
-- check of the commit (foreign keys among them); the second run replaces the token and
-- deletes the row. So the token's row lock is taken last, is held only while the commit
-- completes, and the transaction holding it waits for no other lock: two writers cannot
-- deadlock over it, and a long import holds up no one until its own commit. A writer at
-- REPEATABLE READ or SERIALIZABLE would fail to commit after another writer's commit (a
-- concurrent update of the token): the project writes at READ COMMITTED.

CREATE OR REPLACE FUNCTION articles_note_archive_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_archive_pending AS pending DEFAULT VALUES
    ON CONFLICT (xact) DO UPDATE SET writes = pending.writes + 1;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_renew_archive_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT NEW.committing THEN
        -- Runs again once every other deferred check of this commit has run.
        UPDATE articles_archive_pending SET committing = true WHERE xact = NEW.xact;
    ELSE
        UPDATE articles_archive_state SET token = gen_random_uuid();
        DELETE FROM articles_archive_pending WHERE xact = NEW.xact;
    END IF;
    RETURN NULL;
END
$$;

-- A constraint trigger cannot be replaced in place (CREATE OR REPLACE does not take one).
-- A transaction running this file must not have written a watched table before: the
-- renewal its write queued would go with the dropped trigger, and its pending row stay.
DROP TRIGGER IF EXISTS articles_archive_pending_renews_state ON articles_archive_pending;
CREATE CONSTRAINT TRIGGER articles_archive_pending_renews_state
    AFTER INSERT OR UPDATE OF committing ON articles_archive_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION articles_renew_archive_state();

-- The tables public pages read. The tallies are kept by triggers on the tables above
-- them, but pages read them too.
CREATE OR REPLACE TRIGGER articles_article_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_article
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_entity_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_entity
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_alias_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_alias
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_mention_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_mention
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_entityredirect_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_entityredirect
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_entity_places_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_entity_places
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_entity_participants_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_entity_participants
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_entitytally_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_entitytally
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();
CREATE OR REPLACE TRIGGER articles_archivetally_notes_archive_write
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON articles_archivetally
    FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();

"""The archive's state, which keys the public page cache (articles/caching.py), changes
when a write commits, and only then.

Migration 0005 bumped a sequence on every write, but a sequence is not transactional: a
reader saw the new version as soon as the writer wrote, before it committed, cached the
old page under it and kept serving it after the commit; and a restore rewound the sequence
to a value that later writes reached again, keyed to pages of another archive.

Now one row holds a random token, and every transaction that writes what public pages
show replaces it as it commits: the new token is part of that transaction, so readers see
it together with the data. Tokens never repeat, so a restore, which brings back its dump's
token, can never meet a page cached for another archive under it.

Statement-level triggers on the watched tables note the write in
articles_archive_pending: one row per writing transaction (keyed by its id), however many
rows it writes, counting its write statements. That row's insert queues a deferred
constraint trigger, which runs as the transaction commits. It first marks the row, which
queues a second run after every other deferred check of the commit (foreign keys among
them); the second run replaces the token and deletes the row. So the token's row lock is
taken last, is held only while the commit completes, and the transaction holding it waits
for no other lock: two writers cannot deadlock over it, and a long import holds up no one
until its own commit. A writer running at REPEATABLE READ or SERIALIZABLE would fail to
commit after another writer's commit (a concurrent update of the token): the project
writes at READ COMMITTED, PostgreSQL's and Django's default.

Only the writing transaction sees its own pending row: the cache keys its pages by that
row's id and count too (a test's transaction, which never commits, sees its writes at once).
"""

from django.db import migrations

WATCHED_TABLES = [
    "articles_article",
    "articles_entity",
    "articles_alias",
    "articles_mention",
    "articles_entityredirect",
    "articles_entity_places",
    "articles_entity_participants",
    # Kept by triggers on the tables above, but pages read them too.
    "articles_entitytally",
    "articles_archivetally",
]

CREATE = """
CREATE TABLE articles_archive_state (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    token uuid NOT NULL
);
INSERT INTO articles_archive_state (token) VALUES (gen_random_uuid());

CREATE TABLE articles_archive_pending (
    xact xid8 PRIMARY KEY DEFAULT pg_current_xact_id(),
    writes bigint NOT NULL DEFAULT 1,
    committing boolean NOT NULL DEFAULT false
);

CREATE FUNCTION articles_note_archive_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO articles_archive_pending AS pending DEFAULT VALUES
    ON CONFLICT (xact) DO UPDATE SET writes = pending.writes + 1;
    RETURN NULL;
END
$$;

CREATE FUNCTION articles_renew_archive_state() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE CONSTRAINT TRIGGER articles_archive_pending_renews_state
    AFTER INSERT OR UPDATE OF committing ON articles_archive_pending
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION articles_renew_archive_state();
""" + "".join(
    f"CREATE TRIGGER {table}_notes_archive_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
    f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION articles_note_archive_write();\n"
    for table in WATCHED_TABLES
)

DROP = (
    "".join(f"DROP TRIGGER {table}_notes_archive_write ON {table};\n" for table in WATCHED_TABLES)
    + """
DROP TABLE articles_archive_pending;
DROP TABLE articles_archive_state;
DROP FUNCTION articles_renew_archive_state();
DROP FUNCTION articles_note_archive_write();
"""
)

# Migration 0005's sequence and triggers, dropped here and made again when reversing.
VERSION_TABLES = WATCHED_TABLES[:7]
DROP_VERSION = (
    "".join(f"DROP TRIGGER {table}_bumps_archive_version ON {table};\n" for table in VERSION_TABLES)
    + "DROP FUNCTION articles_bump_archive_version(); DROP SEQUENCE articles_archive_version;"
)

CREATE_VERSION = """
CREATE SEQUENCE articles_archive_version;
CREATE FUNCTION articles_bump_archive_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('articles_archive_version');
    RETURN NULL;
END
$$;
""" + "".join(
    f"CREATE TRIGGER {table}_bumps_archive_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
    f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION articles_bump_archive_version();\n"
    for table in VERSION_TABLES
)


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_article_imported_version")]

    operations = [
        migrations.RunSQL(DROP_VERSION, CREATE_VERSION),
        migrations.RunSQL(CREATE, DROP),
    ]

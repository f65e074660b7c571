"""A counter of changes to what public pages show, for caching them (articles/caching.py).

Statement-level triggers bump a sequence on every write to the tables public pages read,
whatever writes them (admin, importer bulk operations, SQL). A sequence takes no row
lock, so concurrent writers never wait on each other for it.
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
]

CREATE = """
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
    for table in WATCHED_TABLES
)

DROP = "".join(
    f"DROP TRIGGER {table}_bumps_archive_version ON {table};\n" for table in WATCHED_TABLES
) + "DROP FUNCTION articles_bump_archive_version(); DROP SEQUENCE articles_archive_version;"


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_editorial_groups")]

    operations = [migrations.RunSQL(CREATE, DROP)]

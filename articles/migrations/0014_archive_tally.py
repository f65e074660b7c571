"""The archive's tally: how many articles have the published status, kept by the database.

The home page's paginator counted every public article on each request: an index-only
scan of all of them, 11 ms at 100,000 articles and growing with the archive. Statement-
level triggers with transition tables now add what each statement changed (articles
inserted, deleted, or whose status changed) to one row, which is upserted, so that it
comes back after a TRUNCATE of both tables. Scheduled articles are subtracted when
counting (``ArticleManager.public_count``).
"""

from django.db import migrations, models

PUBLISHED_IN = "(SELECT count(*) FROM {table} WHERE status = 'published')"
NEW, OLD = PUBLISHED_IN.format(table="new_articles"), PUBLISHED_IN.format(table="old_articles")


def tally(delta: str) -> str:
    return f"""
    INSERT INTO articles_archivetally AS t (id, published)
    SELECT 1, delta FROM (SELECT {delta} AS delta) AS change WHERE delta <> 0
    ON CONFLICT (id) DO UPDATE SET published = t.published + EXCLUDED.published;
    """


TRIGGERS = {
    "articles_archive_tally_inserted": ("INSERT", "NEW TABLE AS new_articles", NEW),
    "articles_archive_tally_deleted": ("DELETE", "OLD TABLE AS old_articles", f"-{OLD}"),
    "articles_archive_tally_updated": (
        "UPDATE",
        "OLD TABLE AS old_articles NEW TABLE AS new_articles",
        f"{NEW} - {OLD}",
    ),
}

CREATE = "".join(
    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
    f" BEGIN {tally(delta)} RETURN NULL; END $$;\n"
    f"CREATE TRIGGER {name} AFTER {event} ON articles_article REFERENCING {tables}"
    f" FOR EACH STATEMENT EXECUTE FUNCTION {name}();\n"
    for name, (event, tables, delta) in TRIGGERS.items()
) + tally("(SELECT count(*) FROM articles_article WHERE status = 'published')")

DROP = "".join(
    f"DROP TRIGGER {name} ON articles_article; DROP FUNCTION {name}();\n" for name in TRIGGERS
)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_search_vector_in_line")]

    operations = [
        migrations.CreateModel(
            name="ArchiveTally",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, primary_key=True, serialize=False
                    ),
                ),
                ("published", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunSQL(CREATE, DROP),
    ]

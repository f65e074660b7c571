"""Article bodies and revision snapshots are compressed with LZ4 instead of pglz.

Both are several kilobytes, so PostgreSQL compresses each one it writes; with pglz that
was a tenth of the time of an import of 1,000 articles. LZ4 compresses several times
faster, and decompresses faster when a search reads the bodies of a page to highlight
them. The search vectors stay with pglz: LZ4 leaves them about a tenth larger, and a
search reads hundreds of them to filter and rank (5–10% slower at 100,000 articles).
Values already written keep their compression until rewritten; both read the same. A
server built without LZ4 keeps pglz.
"""

from django.db import migrations

COLUMNS = {"articles_article": "body", "articles_revision": "snapshot"}


def set_compression(method: str) -> str:
    alters = "".join(
        f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method};"
        for table, column in COLUMNS.items()
    )
    return f"DO $$ BEGIN {alters} EXCEPTION WHEN feature_not_supported THEN NULL; END $$;"


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_tally_by_index")]

    operations = [migrations.RunSQL(set_compression("lz4"), set_compression("pglz"))]

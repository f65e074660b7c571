"""A search ranks the articles whose headline or standfirst answers it first, by how well
those answer it (docs/search.md): their vector gets a RUM index, which gives them in that
order, in place of the GIN index that only found them (the editors' search finds them by
the RUM index as well).

Built CONCURRENTLY, outside a transaction: articles stay writable while it is built on a
live archive (manage.py check_migrations); the GIN index is dropped once the RUM index is
there. Building it reads every article (25 s at a million on the benchmark's
machine), longer than the settings' statement timeout allows a statement: the migration
lifts the timeout while it runs."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations

import articles.db.indexes


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0026_translations_index")]

    operations = [
        migrations.RunSQL("SET statement_timeout = 0", "RESET statement_timeout"),
        AddIndexConcurrently(
            model_name="article",
            index=articles.db.indexes.RumIndex(
                fields=["head_vector"], name="article_head_rum", opclasses=["rum_tsvector_ops"]
            ),
        ),
        RemoveIndexConcurrently(model_name="article", name="article_head_vector"),
        migrations.RunSQL("RESET statement_timeout", "SET statement_timeout = 0"),
    ]

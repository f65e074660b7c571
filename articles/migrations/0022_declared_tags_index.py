"""The tags a file or an editor declared get an index of their own: a search for a name
adds the articles tagged with it that way to those whose text names it, and found them by
reading every tag of the entity (all of Afghanistan's, to keep the two it had declared).

Built CONCURRENTLY, outside a transaction: the tags stay writable while it is built on a
live archive (manage.py check_migrations)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0021_retagging")]

    operations = [
        AddIndexConcurrently(
            model_name="mention",
            index=models.Index(
                condition=models.Q(("origin", "text"), _negated=True),
                fields=["entity", "article"],
                name="mention_declared",
            ),
        ),
    ]

"""The index of articles' translations (a partial index: few articles are translations),
built concurrently, so that articles can be written meanwhile."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("articles", "0025_translations")]

    operations = [
        AddIndexConcurrently(
            model_name="article",
            index=models.Index(
                condition=models.Q(("translation_of__isnull", False)),
                fields=["translation_of"],
                name="article_translations",
            ),
        ),
    ]

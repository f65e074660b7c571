"""What a re-import needs to tell an editor's work from its file's: the revision each
article's last import wrote, the values each entity's last gazetteer import wrote, the tags
editors added (a new origin) and the tags they removed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


KIND_FIELDS = {
    "person": ["role"],
    "place": ["country", "latitude", "longitude"],
    "event": ["start_date", "start_precision", "end_date", "end_precision"],
    "organisation": [],
}


def record_imported_values(apps, schema_editor):
    """The entities imported so far: their current values stand for what was imported."""
    Entity = apps.get_model("articles", "Entity")
    entities = Entity.objects.exclude(gazetteer_checksum="").prefetch_related(
        "places", "participants"
    )
    for entity in entities:
        values = {}
        for name in ["name", "description", *KIND_FIELDS[entity.kind]]:
            value = getattr(entity, name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if entity.kind == "event":
            values["places"] = sorted(e.slug for e in entity.places.all())
            values["participants"] = sorted(e.slug for e in entity.participants.all())
        entity.imported_values = values
        entity.save(update_fields=["imported_values"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_admin_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RemovedTag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("removed_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.RemoveConstraint(
            model_name="mention",
            name="mention_valid_origin",
        ),
        migrations.AddField(
            model_name="article",
            name="imported_version",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="The revision the last import of its file wrote; a later version means an editor changed it since, which a re-import must not silently undo.",
            ),
        ),
        migrations.AddField(
            model_name="entity",
            name="imported_values",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="The values the last gazetteer import wrote; values that differ now were changed by an editor, which a re-import must not silently undo.",
            ),
        ),
        migrations.AlterField(
            model_name="mention",
            name="origin",
            field=models.CharField(
                choices=[
                    ("text", "found in the text"),
                    ("declared", "declared by its file"),
                    ("editor", "added by an editor"),
                ],
                default="editor",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="mention",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin__in", ["text", "declared", "editor"])),
                name="mention_valid_origin",
            ),
        ),
        migrations.AddField(
            model_name="removedtag",
            name="article",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="removed_tags",
                to="articles.article",
            ),
        ),
        migrations.AddField(
            model_name="removedtag",
            name="entity",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="removed_tags",
                to="articles.entity",
            ),
        ),
        migrations.AddField(
            model_name="removedtag",
            name="removed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="removedtag",
            constraint=models.UniqueConstraint(
                fields=("article", "entity"), name="removed_tag_unique_pair"
            ),
        ),
        # The articles imported so far: their last import is their newest revision made by
        # an import (the importer's comment), or, with no revisions, their current version.
        migrations.RunSQL(
            """
            UPDATE articles_article a
            SET imported_version = coalesce(
                (SELECT max(r.number) FROM articles_revision r
                 WHERE r.article_id = a.id AND r.author_id IS NULL
                   AND r.comment LIKE 'Imported from %'),
                a.version)
            WHERE a.source_file <> ''
            """,
            migrations.RunSQL.noop,
        ),
        # Editors' tags: every declared tag of an article written in the admin, and of an
        # imported article the tags its last import did not write; the tags that import
        # wrote and an editor has removed since are recorded as removed.
        migrations.RunSQL(
            """
            UPDATE articles_mention m SET origin = 'editor'
            FROM articles_article a
            WHERE a.id = m.article_id AND a.source_file = '' AND m.origin = 'declared';

            UPDATE articles_mention m SET origin = 'editor'
            FROM articles_article a
            JOIN articles_revision r ON r.article_id = a.id AND r.number = a.imported_version
            WHERE a.id = m.article_id AND a.source_file <> '' AND a.version <> a.imported_version
              AND NOT EXISTS (
                SELECT 1 FROM jsonb_array_elements(r.snapshot -> 'tags') AS tag
                WHERE (tag ->> 0)::bigint = m.entity_id);

            INSERT INTO articles_removedtag (article_id, entity_id, removed_at)
            SELECT a.id, (tag ->> 0)::bigint, now()
            FROM articles_article a
            JOIN articles_revision r ON r.article_id = a.id AND r.number = a.imported_version
            CROSS JOIN jsonb_array_elements(r.snapshot -> 'tags') AS tag
            WHERE a.source_file <> '' AND a.version <> a.imported_version
              AND EXISTS (SELECT 1 FROM articles_entity e WHERE e.id = (tag ->> 0)::bigint)
              AND NOT EXISTS (
                SELECT 1 FROM articles_mention m
                WHERE m.article_id = a.id AND m.entity_id = (tag ->> 0)::bigint);
            """,
            migrations.RunSQL.noop,
        ),
        migrations.RunPython(record_imported_values, migrations.RunPython.noop),
    ]

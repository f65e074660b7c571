"""The two editorial roles. Editors write, tag and publish; contributors write drafts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    "view_article", "add_article", "change_article", "delete_article", "publish_article",
    "view_mention", "add_mention", "change_mention", "delete_mention",
    "view_entity", "add_entity", "change_entity",
    "view_alias", "add_alias", "change_alias", "delete_alias",
    "view_revision", "view_entityredirect",
]  # fmt: skip
CONTRIBUTORS = [
    "view_article", "add_article", "change_article",
    "view_mention", "add_mention", "change_mention", "delete_mention",
    "view_entity", "view_alias", "view_revision",
]  # fmt: skip
GROUPS = {"Editors": EDITORS, "Contributors": CONTRIBUTORS}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"Missing permissions for the {name} group.")
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""The two editorial roles. Editors write, tag and publish; contributors write drafts.

Created by migration 0004 and kept in place after every ``migrate`` and ``flush`` (which
empties tables, as transactional tests do) by a post_migrate handler.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

EDITORS = [
    "view_article", "add_article", "change_article", "delete_article", "publish_article",
    "view_mention", "add_mention", "change_mention", "delete_mention",
    "view_entity", "add_entity", "change_entity",
    "view_alias", "add_alias", "change_alias", "delete_alias",
    "view_revision", "view_entityredirect",
    "view_quotation", "add_quotation", "change_quotation", "delete_quotation",
    "view_namecandidate", "change_namecandidate", "view_importrun", "view_refusededit",
]  # fmt: skip
CONTRIBUTORS = [
    "view_article", "add_article", "change_article",
    "view_mention", "add_mention", "change_mention", "delete_mention",
    "view_entity", "view_alias", "view_revision",
    "view_quotation", "add_quotation", "change_quotation", "delete_quotation",
]  # fmt: skip
GROUPS = {"Editors": EDITORS, "Contributors": CONTRIBUTORS}


def ensure_groups(apps) -> None:
    """Creates the groups with exactly their permissions; ``apps`` may be a migration's."""
    app_config = apps.get_app_config("articles")
    # Permissions are normally created after all migrations; the groups need them now.
    # create_permissions skips app configs without a models module, as migration stubs are.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    # A migration's apps know the models of its time: the permissions of later models are
    # given by the handler that runs after every migrate.
    models = {model._meta.model_name for model in app_config.get_models()}
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, all_codenames in GROUPS.items():
        codenames = [c for c in all_codenames if c.split("_", 1)[1] in models]
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = permission_model.objects.filter(
            content_type__app_label="articles", codename__in=codenames
        )
        if permissions.count() != len(codenames):
            raise RuntimeError(f"Missing permissions for the {name} group.")
        group.permissions.set(permissions)


def ensure_groups_after_migrate(sender, apps=global_apps, **kwargs) -> None:
    ensure_groups(apps)

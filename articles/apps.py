from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class ArchiveAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the archive's site (the editors' desk on its first page);
    named in INSTALLED_APPS, never chosen for the articles app."""

    default = False
    default_site = "articles.admin_site.ArchiveAdminSite"


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self):
        from django.core import checks

        from articles.editorial.roles import ensure_groups_after_migrate
        from articles.editorial.services import article_saved
        from articles.geo.atlas import check_atlas
        from articles.importing.names_queue import refresh_saved_article_names

        post_migrate.connect(ensure_groups_after_migrate, sender=self)
        article_saved.connect(refresh_saved_article_names, dispatch_uid="names_queue")
        checks.register(check_atlas)

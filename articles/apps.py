from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self):
        from django.core import checks

        from articles.editorial.roles import ensure_groups_after_migrate
        from articles.geo.atlas import check_atlas

        post_migrate.connect(ensure_groups_after_migrate, sender=self)
        checks.register(check_atlas)

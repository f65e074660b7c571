from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Archive"

    def ready(self):
        from articles.editorial.roles import ensure_groups_after_migrate
        from articles.editorial.services import article_saved
        from articles.importing.names_queue import refresh_saved_article_names

        post_migrate.connect(ensure_groups_after_migrate, sender=self)
        article_saved.connect(refresh_saved_article_names, dispatch_uid="names_queue")

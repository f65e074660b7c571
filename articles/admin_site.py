"""The archive's admin site: Django's, with the editors' desk on its first page
(articles/admin/desk.py). Installed as the default site by articles.apps.ArchiveAdminConfig.

Outside the articles.admin package, which registers the models with this site as Django
imports it: the site must exist before that package does, so it reads the desk only when
its first page is asked for."""

from django.contrib.admin import AdminSite


class ArchiveAdminSite(AdminSite):
    index_template = "admin/articles/index.html"

    def index(self, request, extra_context=None):
        from articles.admin.desk import editors_desk

        return super().index(request, {"desk": editors_desk(request.user), **(extra_context or {})})

from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from articles.reader.caching import public_page
from articles.reader.sitemaps import SITEMAPS

admin.site.site_header = "Newsarchive editors"
admin.site.site_title = "Newsarchive admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", public_page(sitemaps.index), {"sitemaps": SITEMAPS}),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps.sitemap, page_number="p"),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/v1/", include("articles.api.urls")),
    path("", include("articles.reader.urls")),
]

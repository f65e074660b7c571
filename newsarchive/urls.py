from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views import defaults

from articles.reader.caching import public_page
from articles.reader.sitemaps import SITEMAPS
from newsarchive.health import healthz
from newsarchive.middleware import API_PREFIX, error_response

admin.site.site_header = "Newsarchive editors"
admin.site.site_title = "Newsarchive admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", public_page(sitemaps.index), {"sitemaps": SITEMAPS}),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps.sitemap, page_number="p"),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("api/v1/", include("articles.api.urls")),
    # The public pages in each language of the interface: English at /, the others under
    # their code (/ps/, /fa-af/, /ur/). The admin, the API and the sitemaps, which list
    # the English addresses (each page names its others by hreflang), stay unprefixed.
    *i18n_patterns(path("", include("articles.reader.urls")), prefix_default_language=False),
]


def page_not_found(request, exception):
    """The 404 page, or for an address under the API's, its JSON error."""
    if request.path_info.startswith(API_PREFIX):
        return error_response(request, 404, "404.html", "Not found.")
    return defaults.page_not_found(request, exception)


handler404 = page_not_found

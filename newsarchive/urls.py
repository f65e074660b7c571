from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Newsarchive editors"
admin.site.site_title = "Newsarchive admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

from django.urls import path

from . import views
from .models import Entity

app_name = "articles"

ENTITY_URL_PREFIXES = {
    Entity.Kind.PERSON: "people",
    Entity.Kind.PLACE: "places",
    Entity.Kind.EVENT: "events",
    Entity.Kind.ORGANISATION: "organisations",
}

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article_list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
]
for kind, prefix in ENTITY_URL_PREFIXES.items():
    urlpatterns += [
        path(f"{prefix}/", views.EntityListView.as_view(kind=kind), name=f"{kind}_list"),
        path(
            f"{prefix}/<slug:slug>/",
            views.EntityDetailView.as_view(kind=kind),
            name=f"{kind}_detail",
        ),
    ]

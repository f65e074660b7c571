from django.urls import path

from . import views
from .caching import public_page
from .feeds import EntityFeed, LatestArticlesFeed
from .forms import SearchForm, SuggestForm
from .models import Entity

app_name = "articles"

ENTITY_URL_PREFIXES = {
    Entity.Kind.PERSON: "people",
    Entity.Kind.PLACE: "places",
    Entity.Kind.EVENT: "events",
    Entity.Kind.ORGANISATION: "organisations",
}

# Every page here is public: cached until the archive changes, with 304 answers. Each
# names the query parameters it reads; it sees no others, and they alone key its cache.
urlpatterns = [
    path(
        "",
        public_page(views.ArticleListView.as_view(), page_number="page"),
        name="article_list",
    ),
    path(
        "articles/<slug:slug>/",
        public_page(views.ArticleDetailView.as_view()),
        name="article_detail",
    ),
    path(
        "search/",
        public_page(views.SearchView.as_view(), query=SearchForm.base_fields, page_number="page"),
        name="search",
    ),
    path(
        "search/suggest/",
        public_page(views.search_suggest, query=SuggestForm.base_fields),
        name="search_suggest",
    ),
    path("feed/", public_page(LatestArticlesFeed()), name="feed"),
]
for kind, prefix in ENTITY_URL_PREFIXES.items():
    urlpatterns += [
        path(
            f"{prefix}/",
            public_page(views.EntityListView.as_view(kind=kind)),
            name=f"{kind}_list",
        ),
        path(
            f"{prefix}/<slug:slug>/",
            public_page(views.EntityDetailView.as_view(kind=kind), page_number="page"),
            name=f"{kind}_detail",
        ),
        path(
            f"{prefix}/<slug:slug>/feed/",
            public_page(EntityFeed(kind=kind)),
            name=f"{kind}_feed",
        ),
    ]

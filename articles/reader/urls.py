from django.urls import path

from articles import kinds
from articles.reader import views
from articles.reader.caching import public_page
from articles.reader.exports import export_csv, export_json_lines
from articles.reader.feeds import EntityFeed, LatestArticlesFeed, SearchFeed
from articles.reader.timeline import TimelineForm
from articles.search.forms import SearchForm, SuggestForm

app_name = "articles"


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
    *(
        path(
            f"articles/<slug:slug>/cite.{suffix}",
            public_page(views.article_citation),
            {"citation_format": name},
            name=f"article_{name}",
        )
        for name, (_build, _type, suffix) in views.CITATION_FORMATS.items()
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
    path(
        "timeline/",
        public_page(views.TimelineView.as_view(), query=TimelineForm.base_fields),
        name="timeline",
    ),
    path("map/", public_page(views.MapView.as_view()), name="map"),
    path(
        "search/feed/", public_page(SearchFeed(), query=SearchForm.base_fields), name="search_feed"
    ),
    # Streamed: never stored by the page cache, but answered with 304 when unchanged.
    path(
        "search/export.csv",
        public_page(export_csv, query=SearchForm.base_fields),
        name="search_export_csv",
    ),
    path(
        "search/export.jsonl",
        public_page(export_json_lines, query=SearchForm.base_fields),
        name="search_export_jsonl",
    ),
    path("feed/", public_page(LatestArticlesFeed()), name="feed"),
]
for kind, prefix in ((k.value, k.url_prefix) for k in kinds.KINDS):
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

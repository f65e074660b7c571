"""Thin views: each wires a request to a queryset and a template."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from articles import kinds
from articles.models import Article, Entity, EntityRedirect
from articles.reader import citations
from articles.reader.maps import place_map, places_map
from articles.reader.metadata import article_metadata, entity_metadata
from articles.reader.paging import ArchivePaginator
from articles.reader.quoting import person_quotations
from articles.reader.timeline import TimelineForm, build_timeline, entity_timeline
from articles.search.forms import SearchForm, SuggestForm
from articles.search.names import suggest
from articles.search.results import search


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().cards()

    def get_paginator(self, queryset, per_page, **kwargs):
        return ArchivePaginator(queryset, per_page, count=Article.objects.public_count(), **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_mentions().with_quotations().with_versions()

    def get_context_data(self, **kwargs):
        metadata = article_metadata(self.object, self.request.build_absolute_uri)
        return super().get_context_data(**metadata, **kwargs)


class EntityListView(ListView):
    kind: str = ""
    template_name = "entities/entity_list.html"
    context_object_name = "entities"

    def get_queryset(self):
        return Entity.objects.of_kind(self.kind).with_article_counts().order_by("name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=kinds.BY_VALUE[self.kind].shown_plural, **kwargs)


class EntityDetailView(DetailView):
    kind: str = ""
    template_name = "entities/entity_detail.html"
    context_object_name = "entity"

    def get_queryset(self):
        return (
            Entity.objects.of_kind(self.kind)
            .with_names_and_links()
            .with_article_counts()
            .with_events_and_words(self.kind)
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = EntityRedirect.objects.filter(kind=self.kind, slug=kwargs["slug"]).first()
            if moved is None:
                raise
            return redirect(moved.entity, permanent=True)

    def get_context_data(self, **kwargs):
        articles = Article.objects.published().mentioning(self.object).cards()
        paginator = ArchivePaginator(
            articles, settings.ARTICLES_PER_PAGE, count=self.object.article_count
        )
        page = paginator.get_page(self.request.GET.get("page"))
        events, event_count = entity_timeline(self.object)
        return super().get_context_data(
            events=events,
            event_count=event_count,
            quotations=person_quotations(self.object),
            place_map=place_map(self.object) if self.kind == Entity.Kind.PLACE else None,
            page_obj=page,
            articles=page.object_list,
            list_title=kinds.BY_VALUE[self.kind].shown_plural,
            mentioned_alongside=Entity.objects.mentioned_alongside(self.object),
            **entity_metadata(self.object, self.request.build_absolute_uri),
            **kwargs,
        )


class TimelineView(TemplateView):
    """Every event in time order, narrowed by place, person, organisation and year."""

    template_name = "timeline/timeline.html"

    def get_context_data(self, **kwargs):
        chosen, notices = TimelineForm(self.request.GET).criteria()
        return super().get_context_data(
            timeline=build_timeline(self.request.path, chosen, notices), **kwargs
        )


class MapView(TemplateView):
    """The places of the archive on a map of the region, and as a table."""

    template_name = "maps/map.html"

    def get_context_data(self, **kwargs):
        drawn, places = places_map()
        return super().get_context_data(map=drawn, places=places, **kwargs)


class SearchView(TemplateView):
    """Search results: the form cleans the input, articles/search/queries.py does the rest."""

    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        form = SearchForm(self.request.GET)
        results = search(form.criteria(), self.request.GET.get("page"))
        return super().get_context_data(
            results=results,
            page_obj=results.page,
            notices=form.notices,
            search_query=results.criteria.text,
            **kwargs,
        )


def search_suggest(request):
    """Autocomplete: the entities a prefix or near miss may mean, as JSON."""
    text = SuggestForm(request.GET).text()
    return JsonResponse({"query": text, "results": suggest(text)})


# An article's citation as a file for a reference manager: (builder, content type, suffix).
CITATION_FORMATS = {
    "bibtex": (citations.bibtex, "application/x-bibtex; charset=utf-8", "bib"),
    "ris": (citations.ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "csl_json": (
        citations.csl_json_file,
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        "json",
    ),
}


def article_citation(request, slug: str, citation_format: str):
    """Downloads of an article's citation: BibTeX, RIS or CSL-JSON."""
    article = get_object_or_404(Article.objects.published().with_mentions(), slug=slug)
    build, content_type, suffix = CITATION_FORMATS[citation_format]
    url = request.build_absolute_uri(article.get_absolute_url())
    keywords = [mention.entity.name for mention in article.mentions.all()]
    response = HttpResponse(build(article, url, keywords), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}.{suffix}"'
    return response

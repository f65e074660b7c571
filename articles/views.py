"""Thin views: each wires a request to a queryset and a template."""

from django.conf import settings
from django.core.paginator import Paginator
from django.views.generic import DetailView, ListView

from .models import Article, Entity


class ArticleListView(ListView):
    template_name = "articles/article_list.html"
    context_object_name = "articles"
    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().latest_first().with_mentions()


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_mentions()


class EntityListView(ListView):
    kind: str = ""
    template_name = "entities/entity_list.html"
    context_object_name = "entities"

    def get_queryset(self):
        return Entity.objects.of_kind(self.kind).with_article_counts().order_by("name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=Entity.PLURALS[self.kind], **kwargs)


class EntityDetailView(DetailView):
    kind: str = ""
    template_name = "entities/entity_detail.html"
    context_object_name = "entity"

    def get_queryset(self):
        return Entity.objects.of_kind(self.kind).prefetch_related(
            "aliases", "places", "participants"
        )

    def get_context_data(self, **kwargs):
        articles = Article.objects.published().mentioning(self.object)
        page = Paginator(
            articles.latest_first().with_mentions(), settings.ARTICLES_PER_PAGE
        ).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            articles=page.object_list,
            list_title=Entity.PLURALS[self.kind],
            mentioned_alongside=Entity.objects.mentioned_alongside(self.object),
            **kwargs,
        )

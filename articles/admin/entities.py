"""The editors' admin for entities: aliases, where each is used, edit-conflict protection,
merging, a lookup for the article form's tags, and the entities that lack a description or
coordinates; and the redirects merging leaves. A change to the names the gazetteer knows
re-tags the archive once it commits, and says what changed."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from articles import kinds
from articles.admin.forms import EntityAdminForm, MergeForm
from articles.editorial.merging import MergeRefused, merge_entities
from articles.editorial.services import save_entity
from articles.importing.retagging import (
    WHILE_YOU_WAIT,
    RetagRefused,
    RetagReport,
    retag_after_commit,
)
from articles.models import Alias, Article, Entity, EntityRedirect
from articles.text.cleaning import clean_text
from articles.text.folding import name_key

# Entities the lookup offers for a few letters, and the longest text it reads.
LOOKUP_LIMIT = 10
LOOKUP_LENGTH = 200


def retag_once_committed(request) -> None:
    """Re-tags the archive for the gazetteer's changes once the request's change commits,
    and tells the editor what changed, or why it did not."""

    def report(result: RetagReport | None, refused: RetagRefused | None) -> None:
        if refused is not None:
            messages.warning(
                request,
                f"The archive was not re-tagged for the changed names: {refused}. They wait "
                "for the next re-tag (manage.py retag_articles).",
            )
        elif result is not None:
            messages.success(request, str(result))

    retag_after_commit(author=request.user, report=report, max_articles=WHILE_YOU_WAIT)


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Entities without a description, and places without coordinates: the editors' desk
    links here."""

    title = "needs attention"
    parameter_name = "lacking"

    def lookups(self, request, model_admin):
        return [("description", "no description"), ("coordinates", "place without coordinates")]

    def queryset(self, request, queryset):
        if self.value() == "description":
            return queryset.filter(description="")
        if self.value() == "coordinates":
            return queryset.filter(kind=Entity.Kind.PLACE, latitude__isnull=True)
        return queryset


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 2


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityAdminForm
    list_display = ["name", "kind", "slug", "published_articles"]
    list_filter = ["kind", NeedsAttentionFilter]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["places", "participants"]
    readonly_fields = ["used_in"]
    inlines = [AliasInline]
    actions = ["merge"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "description", "used_in", "opened_state"]}),
        ("Person", {"fields": ["role"]}),
        ("Place", {"fields": ["country", "latitude", "longitude"]}),
        (
            "Event",
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("end_date", "end_precision"),
                    "places",
                    "participants",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # The tally the database keeps (EntityTally): counting every entity's tags took
        # three joins of the whole tags table a page.
        published = Coalesce("tally__published", 0)
        return super().get_queryset(request).annotate(published_articles=published)

    def save_model(self, request, obj, form, change):
        """Saved with its aliases and links by save_related, through save_entity, which
        refuses the save if someone changed the entity meanwhile."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request alone (modelform_factory)
        return form

    def save_related(self, request, form, formsets, change):
        save_entity(
            form.instance,
            opened_state=form.cleaned_data.get("opened_state"),
            write_related=lambda entity: super(EntityAdmin, self).save_related(
                request, form, formsets, change
            ),
        )
        retag_once_committed(request)

    def get_urls(self):
        lookup = path(
            "lookup/", self.admin_site.admin_view(self.lookup_view), name="articles_entity_lookup"
        )
        return [lookup, *super().get_urls()]

    def lookup_view(self, request):
        """Entities whose name or an alias holds the words typed (the article form's tag
        box): the most tagged first, with their published articles, in one query."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        key = name_key(clean_text(request.GET.get("q", ""), LOOKUP_LENGTH))
        if not key:
            return JsonResponse({"results": []})
        matches = (
            Entity.objects.filter(
                Q(search_name__contains=key) | Q(aliases__search_name__contains=key)
            )
            .annotate(published=Coalesce("tally__published", 0))
            .order_by("-published", "name")
            .distinct()
            .values("pk", "kind", "slug", "name", "published")[:LOOKUP_LIMIT]
        )
        results = [
            {
                "id": row["pk"],
                "kind": row["kind"],
                "kind_label": kinds.BY_VALUE[row["kind"]].title,
                "kind_plural": kinds.BY_VALUE[row["kind"]].plural,
                "slug": row["slug"],
                "name": row["name"],
                "articles": row["published"],
            }
            for row in matches
        ]
        return JsonResponse({"results": results})

    @admin.display(description="published articles", ordering="published_articles")
    def published_articles(self, entity):
        return entity.published_articles

    @admin.display(description="used in")
    def used_in(self, entity):
        if not entity.pk:
            return "–"
        articles = Article.objects.filter(mentions__entity=entity)  # as the article list orders
        total = articles.count()
        links = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (reverse("admin:articles_article_change", args=[a.pk]), a.title, a.status)
                for a in articles[:20]
            ),
        )
        return format_html("{} article(s)<ul>{}</ul>", total, links)

    @admin.action(description="Merge selected entities into one", permissions=["change"])
    def merge(self, request, queryset):
        entities = queryset.order_by("name")
        if entities.count() < 2 or len({e.kind for e in entities}) != 1:
            self.message_user(
                request, "Select two or more entities of the same kind to merge.", messages.ERROR
            )
            return None
        form = MergeForm(request.POST if "survivor" in request.POST else None, entities=entities)
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            others = [e for e in entities if e.pk != survivor.pk]
            try:
                merge_entities(survivor, others)
            except MergeRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                return None
            names = ", ".join(e.name for e in others)
            self.message_user(request, f"Merged {names} into {survivor.name}.", messages.SUCCESS)
            retag_once_committed(request)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge entities",
            "form": form,
            "entities": entities,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/entity/merge.html", context)


@admin.register(EntityRedirect)
class EntityRedirectAdmin(admin.ModelAdmin):
    list_display = ["kind", "slug", "entity"]
    list_filter = ["kind"]
    search_fields = ["slug", "entity__name"]
    autocomplete_fields = ["entity"]

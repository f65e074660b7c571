"""The editors' admin for entities: aliases, where each is used, edit-conflict protection
and merging; and the redirects merging leaves."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.admin.forms import EntityAdminForm, MergeForm
from articles.editorial.merging import MergeRefused, merge_entities
from articles.editorial.services import save_entity
from articles.models import Alias, Article, Entity, EntityRedirect


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 2


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityAdminForm
    list_display = ["name", "kind", "slug", "published_articles"]
    list_filter = ["kind"]
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

    def save_related(self, request, form, formsets, change):
        save_entity(
            form.instance,
            opened_state=form.cleaned_data.get("opened_state"),
            write_related=lambda entity: super(EntityAdmin, self).save_related(
                request, form, formsets, change
            ),
        )

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

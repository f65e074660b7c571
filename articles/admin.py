from django.contrib import admin
from django.db.models import Count

from .models import Alias, Article, Entity, Mention


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 1
    autocomplete_fields = ["entity"]
    fields = ["entity", "count", "origin"]
    verbose_name = "tag"
    verbose_name_plural = "tags (people, places, events, organisations it mentions)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "source_name", "language", "updated_at"]
    list_filter = ["status", "language", "source_name", "date_precision"]
    search_fields = ["title", "standfirst", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["source_file", "checksum", "sidecar_checksum", "created_at", "updated_at"]
    inlines = [MentionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "body"]}),
        ("Publication", {"fields": ["status", "published_at", "date_precision"]}),
        ("Source", {"fields": ["source_name", "source_url", "byline", "language"]}),
        (
            "Provenance",
            {
                "classes": ["collapse"],
                "fields": [
                    "inferred_fields",
                    "source_file",
                    "checksum",
                    "sidecar_checksum",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 2


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "mention_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["places", "participants"]
    inlines = [AliasInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "description"]}),
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
        return (
            super().get_queryset(request).annotate(mention_count=Count("mentions")).order_by("name")
        )

    @admin.display(description="tagged articles", ordering="mention_count")
    def mention_count(self, entity):
        return entity.mention_count

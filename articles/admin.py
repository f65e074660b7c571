"""The editors' admin: articles with tags, suggestions, history, conflict protection,
preview and bulk import; entities with aliases, usage and merging."""

import tempfile
from pathlib import Path

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .admin_forms import (
    RESTORE_REFUSED,
    ArticleAdminForm,
    EntityAdminForm,
    ImportUploadForm,
    MergeForm,
    RestoreForm,
    conflict_message,
    suggestion_fields,
)
from .forms import clean_text
from .importing import EditedSinceImport, Importer, ImportFailed
from .limits import article_text_refusal
from .merging import MergeRefused, merge_entities
from .models import Alias, Article, Entity, EntityRedirect, Mention, Revision
from .permissions import may_change_article, may_import, may_publish, may_restore
from .rendering import render_markdown
from .revisions import EditConflict, note_removed_tags, record_revision, restore_revision
from .search import MAX_QUERY_LENGTH
from .tagging import Tagger, candidate_names
from .uploads import unpack_uploads

# Deleting is one object at a time, from its own page, after seeing what goes with it.
admin.site.disable_action("delete_selected")


def uploaded_name(path: Path, folder: str) -> str:
    """A path as the editor uploaded it, without the temporary folder it was unpacked in."""
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 1
    autocomplete_fields = ["entity"]
    fields = ["entity", "count", "origin"]
    # A tag added here is an editor's (the model's default origin), which re-imports keep.
    readonly_fields = ["origin"]
    verbose_name = "tag"
    verbose_name_plural = "tags (people, places, events, organisations it mentions)"


class RevisionInline(admin.TabularInline):
    model = Revision
    extra = 0
    can_delete = False
    max_num = 0
    fields = ["revision", "created_at", "author", "comment", "changed_fields"]
    readonly_fields = fields
    verbose_name_plural = "history"

    @admin.display(description="revision")
    def revision(self, revision):
        url = reverse(
            "admin:articles_article_revision", args=[revision.article_id, revision.number]
        )
        return format_html('<a href="{}">Revision {}</a>', url, revision.number)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "published_at", "source_name", "language", "updated_at"]
    list_filter = ["status", "language", "source_name", "date_precision"]
    search_fields = ["title", "standfirst", "slug"]  # shows the box; see get_search_results
    search_help_text = (
        "Words of the title or standfirst, or their beginnings (refug finds refugees); "
        "or an article's slug."
    )
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "reading_time",
        "source_file",
        "checksum",
        "sidecar_checksum",
        "created_at",
        "updated_at",
    ]
    inlines = [MentionInline, RevisionInline]
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        js = ["js/admin-preview.js"]
        css = {"all": ["css/admin-preview.css"]}

    def get_search_results(self, request, queryset, search_term):
        """Found by the head vector's index. The default, a LIKE on each field, read every
        row of the table: 0.2-0.3 s a statement at 100,000 articles, four a page."""
        text = clean_text(search_term, MAX_QUERY_LENGTH)
        if not text:
            return queryset, False
        return queryset.with_heading_or_slug(text), False

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "title",
                        "slug",
                        "standfirst",
                        "body",
                        "reading_time",
                        "opened_version",
                    ]
                },
            ),
            (
                "Publication",
                {
                    "fields": ["status", "published_at", "date_precision"],
                    "description": "A published article with a future date stays hidden "
                    "until then.",
                },
            ),
            ("Source", {"fields": ["source_name", "source_url", "byline", "language"]}),
        ]
        suggestions = suggestion_fields(request.user)
        if obj is not None and suggestions:
            fieldsets.append(("Tag suggestions", {"fields": suggestions}))
        fieldsets.append(
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
            )
        )
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a class made for this request alone (modelform_factory)
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not may_publish(request.user):
            fields.append("status")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and not may_change_article(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="reading time")
    def reading_time(self, article):
        return f"{article.reading_minutes} min" if article.pk else "–"

    def save_related(self, request, form, formsets, change):
        tagged_before = set(form.instance.mentions.values_list("entity_id", flat=True))
        super().save_related(request, form, formsets, change)
        form.apply_suggestions(form.instance)
        note_removed_tags(form.instance, tagged_before, request.user)
        record_revision(
            form.instance, request.user, "Edited in the admin" if change else "Added in the admin"
        )

    def get_urls(self):
        own = [
            path(
                "preview/", self.admin_site.admin_view(self.preview_view), name="articles_preview"
            ),
            path("import/", self.admin_site.admin_view(self.import_view), name="articles_import"),
            path(
                "<int:article_id>/revisions/<int:number>/",
                self.admin_site.admin_view(self.revision_view),
                name="articles_article_revision",
            ),
        ]
        return own + super().get_urls()

    def preview_view(self, request):
        """The rendered, sanitised body, reading time and tag suggestions for unsaved text."""
        if request.method != "POST":
            return JsonResponse({"error": "POST the text to preview."}, status=405)
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        draft = Article(
            title=request.POST.get("title", ""),
            standfirst=request.POST.get("standfirst", ""),
            body=request.POST.get("body", ""),
        )
        if refusal := article_text_refusal(draft.title, draft.standfirst, draft.body):
            return JsonResponse({"error": f"{refusal[0].upper()}{refusal[1:]}."}, status=400)
        tagger = Tagger.from_database()
        text = f"{draft.title}\n{draft.standfirst}\n{draft.body}"
        found = tagger.count(text)
        entities = Entity.objects.filter(pk__in=found).order_by("name")
        return JsonResponse(
            {
                "html": render_markdown(draft.body),
                "reading_minutes": draft.reading_minutes,
                "found": [{"name": e.name, "kind": e.kind, "count": found[e.pk]} for e in entities],
                "new_names": [
                    {"name": name, "count": count} for name, count in candidate_names(text, tagger)
                ],
            }
        )

    def import_view(self, request):
        if not may_import(request.user):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        report, errors, outcomes, edited_elsewhere = None, [], [], False
        if request.method == "POST" and form.is_valid():
            with tempfile.TemporaryDirectory(prefix="newsarchive-upload-") as folder:
                try:
                    unpack_uploads(form.cleaned_data["files"], Path(folder))
                    importer = Importer(
                        dry_run=form.cleaned_data["dry_run"], edited=form.cleaned_data["edited"]
                    )
                    report = importer.run([Path(folder)])
                    outcomes = [
                        (uploaded_name(p, folder), outcome)
                        for p, outcome in report.article_outcomes
                    ]
                except ImportFailed as failure:
                    errors = [(uploaded_name(e.path, folder), e.reason) for e in failure.errors]
                    edited_elsewhere = any(isinstance(e, EditedSinceImport) for e in failure.errors)
            if report is not None:
                messages.success(
                    request, f"Articles: {report.articles}. Entities: {report.entities}."
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import files",
            "form": form,
            "report": report,
            "outcomes": outcomes,
            "errors": errors,
            "edited_elsewhere": edited_elsewhere,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def revision_view(self, request, article_id, number):
        article = get_object_or_404(Article, pk=article_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, article=article, number=number)
        if request.method == "POST":
            return self.restore(request, revision)
        entities = Entity.objects.in_bulk([tag[0] for tag in revision.snapshot.get("tags", [])])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revision {number} of “{article}”",
            "article": article,
            "revision": revision,
            "fields": [(k, v) for k, v in revision.snapshot.items() if k != "tags"],
            "tags": [
                (entities[entity_id], count)
                for entity_id, count, _ in revision.snapshot.get("tags", [])
                if entity_id in entities
            ],
            "can_restore": may_restore(request.user, article),
            "restore_form": RestoreForm(initial={"opened_version": article.version}),
            "keeps_status": not may_publish(request.user)
            and revision.snapshot.get("status") != article.status,
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def restore(self, request, revision):
        """Restores ``revision`` unless the article changed since its page was shown."""
        opened = RestoreForm(request.POST).opened()
        try:
            restored = restore_revision(revision, request.user, opened)
        except EditConflict as conflict:
            refusal = " ".join(conflict_message(conflict, RESTORE_REFUSED))
        except ValidationError as invalid:
            refusal = f"Revision {revision.number} was not restored: {' '.join(invalid.messages)}"
        else:
            article = Article.objects.get(pk=revision.article_id)
            outcome = f" as revision {restored.number}" if restored else " (nothing had changed)"
            status = revision.snapshot.get("status")
            if status != article.status:
                outcome += (
                    f"; its status ({status}) was not restored: publishing is for editors, so "
                    f"the article stays a {article.get_status_display()}"
                )
            messages.success(request, f"Restored revision {revision.number}{outcome}.")
            return redirect("admin:articles_article_change", article.pk)
        messages.error(request, refusal)
        return redirect("admin:articles_article_revision", revision.article_id, revision.number)


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

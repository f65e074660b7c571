"""The editors' admin for articles: tags (chips grouped by kind), suggestions, history,
conflict protection, preview and bulk import (which re-tags the archive when the gazetteer
changes)."""

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from articles.admin.entities import retag_once_committed
from articles.admin.forms import (
    RESTORE_REFUSED,
    ArticleAdminForm,
    ImportUploadForm,
    RestoreForm,
    conflict_message,
    suggestion_fields,
    tag_chips,
)
from articles.editorial.permissions import (
    may_add_tags,
    may_change_article,
    may_import,
    may_publish,
    may_restore,
)
from articles.editorial.quotations import record_quotation_edits
from articles.editorial.revisions import EditConflict
from articles.editorial.services import note_refused_edit, restore_revision, save_article
from articles.importing.tagging import Tagger, article_text, candidate_names
from articles.importing.uploads import unpack_uploads
from articles.importing.writer import EditedSinceImport, Importer, ImportFailed
from articles.models import (
    Article,
    Entity,
    ImportRun,
    NameCandidate,
    Quotation,
    RefusedEdit,
    Revision,
)
from articles.text.cleaning import clean_text
from articles.text.limits import article_text_refusal
from articles.text.markdown import render_markdown

# Deleting is one object at a time, from its own page, after seeing what goes with it.
admin.site.disable_action("delete_selected")
# The longest text the article list's search box reads.
SEARCH_BOX_LENGTH = 300
# The revisions an article's page lists, the latest first.
HISTORY_SHOWN = 20


def uploaded_name(path: Path, folder: str) -> str:
    """A path as the editor uploaded it, without the temporary folder it was unpacked in."""
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else str(path)


class UsesNameFilter(admin.SimpleListFilter):
    """The articles using a name of the names-to-add queue (linked from the queue)."""

    title = "name to add"
    parameter_name = "new_name"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value or "").isdigit():
            return []
        return [(value, name) for name in NameCandidate.objects.filter(pk=value).values_list(
            "name", flat=True
        )]  # fmt: skip

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(new_names__candidate_id=int(value))


class QuotationFormSet(forms.BaseInlineFormSet):
    """Saves an article's quotations and keeps what the editor did for
    ``record_quotation_edits``: the quotations corrected (with the passage each had)."""

    def save(self, commit=True):
        self.corrected = [
            (form.initial.get("passage", ""), form.instance)
            for form in self.initial_forms
            if form.has_changed() and not self._should_delete_form(form)
        ]
        return super().save(commit)


class QuotationInline(admin.StackedInline):
    model = Quotation
    formset = QuotationFormSet
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "passage", "position", "origin"]
    # A quotation added or corrected here is an editor's, which finding the quotations
    # again (at every save and import) keeps; a found one deleted here is not found again.
    readonly_fields = ["origin"]
    formfield_overrides = {
        Quotation._meta.get_field("passage").__class__: {
            "widget": forms.Textarea(attrs={"rows": 3})
        }
    }
    verbose_name_plural = (
        "quotations (who said what in its text: found at each save, or an editor's)"
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "published_at", "source_name", "language", "updated_at"]
    list_filter = ["status", "language", "source_name", "date_precision", UsesNameFilter]
    search_fields = ["title", "standfirst", "slug"]  # shows the box; see get_search_results
    search_help_text = (
        "Words of the title or standfirst, or their beginnings (refug finds refugees); "
        "or an article's slug."
    )
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["translation_of"]
    readonly_fields = [
        "reading_time",
        "tags",
        "history",
        "source_file",
        "checksum",
        "sidecar_checksum",
        "created_at",
        "updated_at",
    ]
    inlines = [QuotationInline]
    change_list_template = "admin/articles/article/change_list.html"

    class Media:
        js = ["js/admin-preview.js", "js/admin-tags.js"]
        css = {"all": ["css/admin-preview.css", "css/admin-tags.css"]}

    def get_search_results(self, request, queryset, search_term):
        """Found by the head vector's index. The default, a LIKE on each field, read every
        row of the table, in four statements a page."""
        text = clean_text(search_term, SEARCH_BOX_LENGTH)
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
            (
                "Source",
                {"fields": ["source_name", "source_url", "byline", "language", "translation_of"]},
            ),
            (
                "Tags",
                {
                    "classes": ["article-tags"],
                    "fields": self.tag_fields(request, obj),
                    "description": "The people, places, events and organisations the article "
                    "mentions: found in its text, declared by its file or added by an editor.",
                },
            ),
        ]
        suggestions = suggestion_fields(request.user)
        if obj is not None and suggestions:
            fieldsets.append(("Tag suggestions", {"fields": suggestions}))
        if obj is not None:
            fieldsets.append(("History", {"fields": ["history"]}))
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

    def tag_fields(self, request, obj=None) -> list[str]:
        """The chips to remove tags and the box to add them, for those who may change the
        article; the chips alone, to look at, for those who may only view it."""
        if obj is not None and not self.has_change_permission(request, obj):
            return ["tags"]
        return ["remove_tags", *(["add_tags"] if may_add_tags(request.user) else [])]

    @admin.display(description="tags")
    def tags(self, article):
        return tag_chips(article)

    @admin.display(description="revisions")
    def history(self, article):
        """The latest revisions, each a row linking to it: the article's title is on the
        page once, not on every row."""
        revisions = list(
            article.revisions.select_related("author")
            .defer("snapshot")
            .order_by("-number")[:HISTORY_SHOWN]
        )
        rows = format_html_join(
            "",
            '<tr><th scope="row"><a href="{}">Revision {}</a></th><td>{}</td><td>{}</td>'
            "<td>{}</td><td>{}</td></tr>",
            (
                (
                    reverse("admin:articles_article_revision", args=[article.pk, r.number]),
                    r.number,
                    date_format(timezone.localtime(r.created_at), "DATETIME_FORMAT"),
                    r.author.get_username() if r.author else "an import",
                    r.comment,
                    ", ".join(r.changed_fields) or "nothing",
                )
                for r in revisions
            ),
        )
        earlier = revisions[-1].number - 1 if revisions else 0
        return format_html(
            '<table class="article-history"><thead><tr><th scope="col">Revision</th>'
            '<th scope="col">Saved</th><th scope="col">By</th><th scope="col">Comment</th>'
            '<th scope="col">Changed</th></tr></thead><tbody>{}</tbody></table>{}',
            rows,
            format_html("<p>and {} earlier.</p>", earlier) if earlier > 0 else "",
        )

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

    def save_model(self, request, obj, form, change):
        """Saved with its tags by save_related, through save_article: one revision records
        both, and the save is refused there if someone saved the article meanwhile."""

    def save_related(self, request, form, formsets, change):
        def write_tags(article):
            super(ArticleAdmin, self).save_related(request, form, formsets, change)
            form.apply_tags(article)
            for formset in formsets:
                if isinstance(formset, QuotationFormSet):
                    record_quotation_edits(
                        article, formset.corrected, formset.deleted_objects, request.user
                    )
            form.apply_suggestions(article)

        save_article(
            form.instance,
            author=request.user,
            opened_version=form.cleaned_data.get("opened_version"),
            comment="Edited in the admin" if change else "Added in the admin",
            write_related=write_tags,
        )
        # An entity created from a suggested name tags the other articles that name it.
        if form.cleaned_data.get("new_entities"):
            retag_once_committed(request)

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
        text = article_text(draft)
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
                        dry_run=form.cleaned_data["dry_run"],
                        edited=form.cleaned_data["edited"],
                        user=request.user,
                        via=ImportRun.Via.UPLOAD,
                        file_name=lambda path, folder=folder: uploaded_name(path, folder),
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
                if report.retag_refused is not None:
                    messages.warning(request, report.retag_summary)
                elif report.retag is not None:
                    messages.success(request, report.retag_summary)
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
            note_refused_edit(
                request.user,
                RefusedEdit.Action.RESTORE,
                article=conflict.article,
                opened_version=conflict.opened_version,
            )
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


@admin.register(Quotation)
class QuotationAdmin(admin.ModelAdmin):
    """Every quotation, to find one: each is corrected on its article's page, where the
    save keeps a revision as for any edit of the article."""

    list_display = ["person", "short_passage", "article_link", "origin"]
    list_filter = ["origin"]
    list_select_related = ["person", "article"]
    search_fields = ["passage"]
    search_help_text = "Words of the passage."
    fields = ["person", "passage", "position", "origin", "article_link"]
    readonly_fields = fields

    @admin.display(description="passage")
    def short_passage(self, quotation):
        return f"“{quotation.passage[:120]}{'…' if len(quotation.passage) > 120 else ''}”"

    @admin.display(description="article")
    def article_link(self, quotation):
        url = reverse("admin:articles_article_change", args=[quotation.article_id])
        return format_html('<a href="{}">{}</a>', url, quotation.article.title)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

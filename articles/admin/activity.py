"""What editors' work leaves, in the admin: the imports with their reports, and the edits
refused to keep someone else's changes. Both are written by the archive, never here."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from articles.models import ImportRun, RefusedEdit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "via", "user", "succeeded", "summary"]
    list_filter = ["succeeded", "via"]
    date_hierarchy = "started_at"
    fields = [
        "started_at",
        "finished_at",
        "via",
        "user",
        "succeeded",
        "files",
        "summary",
        "details",
    ]
    readonly_fields = fields

    @admin.display(description="report")
    def details(self, run):
        report = run.report or {}
        rows, heading = report.get("outcomes"), ("File", "Article")
        if rows is None:
            rows, heading = report.get("errors", []), ("File", "Refused because")
        listed = report.get("files_listed", len(rows))
        table = format_html(
            '<table class="import-report"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            *heading,
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows),
        )
        more = (
            f" The first {len(rows):,} of {listed:,} files are listed."
            if listed > len(rows)
            else ""
        )
        retag = report.get("retag", {}).get("summary", "")
        return format_html("{}<p>{}{}</p>", table, retag, more)


@admin.register(RefusedEdit)
class RefusedEditAdmin(ReadOnlyAdmin):
    list_display = [
        "refused_at",
        "action",
        "user",
        "article",
        "entity",
        "opened_version",
        "version",
    ]
    list_filter = ["action"]
    list_select_related = ["user", "article", "entity"]
    date_hierarchy = "refused_at"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("article__body", "article__standfirst")

"""The names-to-add queue in the editors' admin: the capitalised names the gazetteer does
not know, most used first, with their articles, sources and dates, each turned in one step
into an entity of a kind or another entity's alias (which re-tags the archive once it
commits), or dismissed for good. Read from the tallies the database keeps: a page of the
queue is one query and its count, whatever the archive holds."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles import kinds
from articles.admin.entities import retag_once_committed
from articles.editorial.permissions import (
    may_add_alias,
    may_add_entity_from_name,
    may_dismiss_name,
)
from articles.editorial.services import add_alias, add_entity_from_name, dismiss_name
from articles.importing.names_queue import queue
from articles.importing.writer import TagResolver
from articles.models import NameCandidate
from articles.text.cleaning import clean_text

NAMES_PER_PAGE = 50
SEARCH_LENGTH = 200


@admin.register(NameCandidate)
class NameCandidateAdmin(admin.ModelAdmin):
    """Not Django's change list: the queue page and the one-step actions on its names."""

    class Media:
        js = ["js/admin-tags.js"]
        css = {"all": ["css/admin-tags.css"]}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.queue_view),
                name="articles_namecandidate_changelist",
            ),
            path(
                "<int:candidate_id>/",
                self.admin_site.admin_view(require_POST(self.act_view)),
                name="articles_namecandidate_act",
            ),
        ]

    def queue_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        search = clean_text(request.GET.get("q", ""), SEARCH_LENGTH)
        page = Paginator(queue(search), NAMES_PER_PAGE).get_page(request.GET.get("p"))
        user = request.user
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Names to add",
            "page": page,
            "search": search,
            "kinds": kinds.KINDS,
            "may_add_entity": may_add_entity_from_name(user),
            "may_add_alias": may_add_alias(user),
            "may_dismiss": may_dismiss_name(user),
            "lookup_url": reverse("admin:articles_entity_lookup"),
            "articles_url": reverse("admin:articles_article_changelist"),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/namecandidate/queue.html", context)

    def act_view(self, request, candidate_id):
        """One step on one name: ``action`` is "entity" (with a ``kind``), "alias" (with
        the ``entity`` named as the article form's tag box names one) or "dismiss"."""
        candidate = get_object_or_404(NameCandidate, pk=candidate_id)
        action = request.POST.get("action")
        back = reverse("admin:articles_namecandidate_changelist")
        if page := request.POST.get("p", ""):
            back += f"?p={page}" if page.isdigit() else ""
        try:
            if action == "entity":
                kind = request.POST.get("kind", "")
                entity = add_entity_from_name(candidate, kind, request.user)
                messages.success(
                    request, f"Added {entity.get_kind_display()} {entity.name} to the gazetteer."
                )
                retag_once_committed(request)
            elif action == "alias":
                named = clean_text(request.POST.get("entity", ""), SEARCH_LENGTH)
                if not named:
                    raise ValidationError("Name the entity this is another name of.")
                try:
                    entity_id = TagResolver.from_database().entity_of(named)
                except LookupError as error:
                    raise ValidationError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None
                alias = add_alias(entity_id, candidate.name, request.user)
                messages.success(
                    request, f"{alias.name} is now another name of {alias.entity.name}."
                )
                retag_once_committed(request)
            elif action == "dismiss":
                dismiss_name(candidate, request.user)
                messages.success(request, f"{candidate.name} will not be offered again.")
            else:
                raise ValidationError("Choose what to do with the name.")
        except ValidationError as invalid:
            messages.error(request, " ".join(invalid.messages))
        return redirect(back)

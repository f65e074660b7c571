"""Forms of the editors' admin: the article and entity forms with conflict detection (and
for articles their tags, grouped by kind, and tag suggestions), the upload form for bulk
imports, and the merge form for entities."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import kinds, languages
from articles.editorial.permissions import (
    may_add_tags,
    may_create_entities,
    may_remove_tags,
    may_tag,
)
from articles.editorial.revisions import EditConflict, revisions_since
from articles.editorial.services import (
    EntityConflict,
    entity_fingerprint,
    lock_unchanged_article,
    lock_unchanged_entity,
    note_refused_edit,
)
from articles.editorial.slugs import unique_slugs
from articles.importing.tagging import Tagger, article_text, candidate_names
from articles.importing.writer import Edited, TagResolver
from articles.models import Article, Entity, Mention, RefusedEdit
from articles.text.limits import article_text_refusal

# Posted values of a suggestion field the user is not offered are refused, not dropped: a
# contributor who ticked a name on a page they still had open would otherwise believe the
# entity created. What each field does that needs the permission:
WITHHELD_SUGGESTIONS = {
    "suggested_entities": "Only users who may tag articles can accept suggested tags.",
    "new_entities": "Only editors create entities (people, places, events, organisations): "
    "ask one to add {names}.",
}


def suggestion_fields(user) -> list[str]:
    """The tag-suggestion fields offered to ``user``: ticking a found entity tags the
    article; ticking a new name also creates the entity."""
    fields = []
    if may_tag(user):
        fields.append("suggested_entities")
        if may_create_entities(user):
            fields.append("new_entities")
    return fields


SAVE_REFUSED = (
    "Your save was refused to keep their changes: copy what you need, reload the page and "
    "apply your edits again."
)
RESTORE_REFUSED = (
    "Nothing was restored, to keep their changes: reload this page and restore again if "
    "you still want to."
)


def conflict_message(conflict: EditConflict, refused: str = SAVE_REFUSED) -> list[str]:
    """What a refused save or restore tells its editor: what changed since they opened it."""
    if conflict.opened_version is None:
        return [
            "This form does not say which version of the article it was opened at, so it "
            f"could have overwritten someone else's changes unseen. {refused}"
        ]
    lines = [f"Someone else saved this article after you opened it. {refused} Their changes:"]
    for revision in revisions_since(conflict.article, conflict.opened_version):
        who = revision.author.get_username() if revision.author else "an import"
        when = timezone.localtime(revision.created_at).strftime("%d %b %Y %H:%M")
        fields = ", ".join(revision.changed_fields) or "nothing"
        lines.append(f"Revision {revision.number} by {who} at {when}: changed {fields}.")
        for name in revision.changed_fields:
            if name in {"title", "standfirst", "status", "published_at", "source_name"}:
                lines.append(f"{name} is now: {revision.snapshot.get(name)!r}")
    return lines


class OpenedVersionField(forms.IntegerField):
    """The article's version when its page was shown, posted back to detect a save made
    by someone else meanwhile. Blank or not a number reads as unknown, which is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, **kwargs)


class SuggestedEntityField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, counts=None, **kwargs):
        self.counts = counts or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, entity):
        return f"{entity.name} ({entity.get_kind_display()}, {self.counts.get(entity.pk, 0)}×)"


class TagChips(forms.CheckboxSelectMultiple):
    """An article's tags as compact chips grouped by kind, each with its count and whether
    the text, the file or an editor gave it; ticking one removes it when the form is saved.
    admin-tags.js lets editors remove and add tags in place, but the form works without it.
    ``mentions`` (entity id → tag, with its entity) are set by the form."""

    template_name = "admin/articles/article/tag_chips.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mentions: dict[str, Mention] = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [option for _, group, _ in context["widget"]["optgroups"] for option in group]
        grouped: dict[str, list] = {}
        for option in options:
            mention = self.mentions[str(option["value"])]
            grouped.setdefault(mention.entity.kind, []).append((option, mention))
        context["widget"]["kinds"] = [
            {"value": kind.value, "plural": kind.plural, "tags": grouped[kind.value]}
            for kind in kinds.KINDS
            if kind.value in grouped
        ]
        context["widget"]["total"] = len(options)
        return context


def tag_chips(article: Article) -> str:
    """``article``'s tags as chips, to look at (for those who may only view it)."""
    widget = TagChips(attrs={"disabled": True, "id": "id_tags"})
    mentions = _tags_of(article)
    widget.choices = [(str(m.entity_id), m.entity.name) for m in mentions]
    widget.mentions = {str(m.entity_id): m for m in mentions}
    return widget.render("tags", [])


def _tags_of(article: Article) -> list[Mention]:
    if article.pk is None:
        return []
    return list(article.mentions.select_related("entity").order_by("-count", "entity__name"))


def tag_lines(text: str) -> list[str]:
    """The tags written in the add-tags box: one a line, or separated by commas."""
    return [tag.strip() for line in text.splitlines() for tag in line.split(",") if tag.strip()]


class ArticleAdminForm(forms.ModelForm):
    opened_version = OpenedVersionField()
    remove_tags = forms.MultipleChoiceField(
        required=False,
        widget=TagChips,
        label="Tags",
        help_text="Tick a tag to remove it when you save. A tag found in the text that you "
        "remove stays removed when the archive is re-tagged.",
    )
    add_tags = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField add-tags"}),
        label="Add tags",
        help_text="Names, aliases or slugs of people, places, events or organisations, one a "
        "line or separated by commas; write the kind first where a name is ambiguous "
        "(place:doha).",
    )
    suggested_entities = SuggestedEntityField(
        queryset=Entity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Found in the text",
        help_text="Gazetteer entities the text names that are not tagged yet. Tick to tag.",
    )
    new_entities = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Likely new names",
        help_text="Capitalised names the gazetteer does not know. Tick a kind to create the "
        "entity and tag this article with it.",
    )

    class Meta:
        model = Article
        fields = [
            "title", "slug", "standfirst", "body", "status", "published_at", "date_precision",
            "source_name", "source_url", "byline", "language", "translation_of",
            "inferred_fields",
        ]  # fmt: skip

    # Who fills the form in: ArticleAdmin.get_form sets it on the class it makes for a request.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        self.found_counts: dict[int, int] = {}
        self.candidate_counts: dict[str, int] = {}
        self._offer_tags()
        offered = suggestion_fields(self.user)
        self.withheld = [name for name in WITHHELD_SUGGESTIONS if name not in offered]
        for name in self.withheld:
            del self.fields[name]
        if self.instance.pk and offered:
            self._offer_suggestions()

    def _offer_tags(self) -> None:
        """The article's tags as chips; only those who may remove or add tags do."""
        mentions = []
        if self.instance.pk:
            mentions = list(
                self.instance.mentions.select_related("entity").order_by("-count", "entity__name")
            )
        field = self.fields["remove_tags"]
        field.choices = [(str(m.entity_id), m.entity.name) for m in mentions]
        field.widget.mentions = {str(m.entity_id): m for m in mentions}
        self.tagged = {m.entity_id for m in mentions}
        if not may_remove_tags(self.user):
            field.disabled = True
        if not may_add_tags(self.user):
            del self.fields["add_tags"]
        else:
            lookup = reverse("admin:articles_entity_lookup")
            self.fields["add_tags"].widget.attrs["data-lookup-url"] = lookup

    def _offer_suggestions(self) -> None:
        tagger = Tagger.from_database()
        text = article_text(self.instance)
        tagged = set(self.instance.mentions.values_list("entity_id", flat=True))
        self.found_counts = {
            entity_id: count
            for entity_id, count in tagger.count(text).items()
            if entity_id not in tagged
        }
        field = self.fields["suggested_entities"]
        field.queryset = Entity.objects.filter(pk__in=self.found_counts).order_by("name")
        field.counts = self.found_counts
        if "new_entities" not in self.fields:
            return
        self.candidate_counts = dict(candidate_names(text, tagger))
        self.fields["new_entities"].choices = [
            (
                f"{phrase} ({count}×)",
                [(f"{kind.value}:{phrase}", kind.label) for kind in kinds.KINDS],
            )
            for phrase, count in self.candidate_counts.items()
        ]

    def clean_language(self):
        """The code in the archive's one form (fa-af and prs are fa-AF), as the importer
        writes it, so that the search's language facet counts one language once."""
        code = languages.canonical(self.cleaned_data["language"])
        if not code:
            raise ValidationError("A language code, such as en, ps, fa-AF (Dari) or ur.")
        return code

    def clean_translation_of(self):
        """A story has one original: an article translates neither itself nor a
        translation (the importer refuses the same)."""
        original = self.cleaned_data.get("translation_of")
        if original is not None:
            if self.instance.pk and original.pk == self.instance.pk:
                raise ValidationError("An article cannot be a translation of itself.")
            if original.translation_of_id is not None:
                raise ValidationError(
                    "That article is itself a translation: name its original, "
                    f"“{original.translation_of}”."
                )
        return original

    def clean_body(self):
        body = self.cleaned_data["body"]
        title, standfirst = (self.cleaned_data.get(name, "") for name in ("title", "standfirst"))
        if refusal := article_text_refusal(title, standfirst, body):
            raise ValidationError(f"{refusal[0].upper()}{refusal[1:]}.")
        return body

    def clean_add_tags(self):
        """The entities named in the box, by id; each name is resolved as a file's tags
        are (importing/writer.py), and one that names no entity, or several, is refused."""
        tags = tag_lines(self.cleaned_data.get("add_tags", ""))
        if not tags:
            return []
        resolver, entities, errors = TagResolver.from_database(), [], []
        for tag in tags:
            try:
                entities.append(resolver.entity_of(tag))
            except LookupError as error:
                errors.append(f"{str(error)[0].upper()}{str(error)[1:]}.")
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(e for e in entities if e not in self.tagged))

    def clean_new_entities(self):
        chosen = self.cleaned_data["new_entities"]
        phrases = [value.partition(":")[2] for value in chosen]
        duplicates = {p for p in phrases if phrases.count(p) > 1}
        if duplicates:
            raise ValidationError(f"Choose one kind for: {', '.join(sorted(duplicates))}.")
        return chosen

    def clean(self):
        cleaned = super().clean()
        for name in self.withheld:
            posted = self.data.getlist(self.add_prefix(name))
            if posted:
                names = ", ".join(value.partition(":")[2] for value in posted)
                self.add_error(None, WITHHELD_SUGGESTIONS[name].format(names=names))
        if self.instance.pk:
            # The rule save_article applies, checked here to tell the editor what changed;
            # the row stays locked until the admin's save commits.
            try:
                lock_unchanged_article(self.instance.pk, cleaned.get("opened_version"))
            except EditConflict as conflict:
                note_refused_edit(
                    self.user,
                    RefusedEdit.Action.SAVE,
                    article=conflict.article,
                    opened_version=conflict.opened_version,
                )
                raise ValidationError(conflict_message(conflict)) from conflict
        return cleaned

    def apply_tags(self, article: Article) -> None:
        """Removes the tags ticked and adds those named, as an editor's (which re-imports
        and re-tagging keep), counted in the text."""
        removed = [int(entity_id) for entity_id in self.cleaned_data.get("remove_tags") or []]
        if removed:
            article.mentions.filter(entity_id__in=removed).delete()
        added = self.cleaned_data.get("add_tags") or []
        if added:
            found = Tagger.from_database().count(article_text(article))
            Mention.objects.bulk_create(
                [
                    Mention(
                        article=article,
                        entity_id=entity_id,
                        count=found.get(entity_id, 0),
                        origin=Mention.Origin.EDITOR,
                    )
                    for entity_id in added
                ],
                ignore_conflicts=True,
            )

    def apply_suggestions(self, article: Article) -> None:
        """Tags the article with the accepted suggestions and the new entities: an
        editor's tags, which re-imports keep."""
        mentions = [
            Mention(
                article=article,
                entity=entity,
                count=self.found_counts.get(entity.pk, 0),
                origin=Mention.Origin.EDITOR,
            )
            for entity in self.cleaned_data.get("suggested_entities") or []
        ]
        for value in self.cleaned_data.get("new_entities") or []:
            kind, _, phrase = value.partition(":")
            entity = Entity.objects.filter(kind=kind, name__iexact=phrase).first()
            if entity is None:
                [slug] = unique_slugs(Entity, [phrase], fallback=kind, scope={"kind": kind})
                entity = Entity.objects.create(kind=kind, name=phrase, slug=slug)
            mentions.append(
                Mention(
                    article=article,
                    entity=entity,
                    count=self.candidate_counts.get(phrase, 0),
                    origin=Mention.Origin.EDITOR,
                )
            )
        Mention.objects.bulk_create(mentions, ignore_conflicts=True)


class EntityAdminForm(forms.ModelForm):
    """The entity form, refused when the entity changed after its page was shown (by an
    editor, a merge or an import), as the article form is."""

    opened_state = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Entity
        fields = [
            "kind", "name", "slug", "description", "role", "country", "latitude", "longitude",
            "start_date", "start_precision", "end_date", "end_precision", "places",
            "participants",
        ]  # fmt: skip

    # Who fills the form in: EntityAdmin.get_form sets it on the class it makes for a request.
    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_state"].initial = entity_fingerprint(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # The rule save_entity applies, checked here to tell the editor; the row stays
            # locked until the admin's save commits.
            try:
                lock_unchanged_entity(self.instance.pk, cleaned.get("opened_state"))
            except EntityConflict as conflict:
                note_refused_edit(self.user, RefusedEdit.Action.SAVE, entity=conflict.entity)
                raise ValidationError(
                    "Someone else changed this entity after you opened it (or this form "
                    "does not say what it showed). Your save was refused to keep their "
                    "changes: copy what you need, reload the page and apply your edits again."
                ) from conflict
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,.yaml,.yml,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        help_text="Articles (.txt with .meta.yaml sidecars, .md with front matter), gazetteer "
        ".yaml files, or a .zip of them. All or nothing: one bad file and nothing is imported."
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run: check and report, but import nothing"
    )
    edited = forms.TypedChoiceField(
        choices=[
            (Edited.REFUSE, "Refuse the import, naming them"),
            (Edited.SKIP, "Keep the editors' versions and import the rest"),
            (Edited.OVERWRITE, "Take the files' text and details"),
        ],
        coerce=Edited,
        initial=Edited.REFUSE,
        required=False,
        empty_value=Edited.REFUSE,
        widget=forms.RadioSelect,
        label="Changed files whose articles or entities editors changed since their import",
        help_text="Whichever wins, editors' tags, the event links they added and their "
        "decision to publish or withdraw an article stay.",
    )


class RestoreForm(forms.Form):
    """The button that restores a revision, with the version the revision page showed."""

    opened_version = OpenedVersionField()

    def opened(self) -> int | None:
        return self.cleaned_data.get("opened_version") if self.is_valid() else None


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Entity.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this one",
        help_text="The others' tags, aliases and event links move to it; their names become "
        "aliases and their addresses redirect to it; then they are deleted.",
    )

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = entities

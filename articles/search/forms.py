"""Search input: whatever arrives in the query string becomes valid ``Criteria``.

Nothing here raises: text is cleaned (control characters and NUL bytes removed, Unicode
normalised, capped), and a filter that is not valid is dropped with a notice the page shows.
"""

import datetime

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy

from articles import kinds, languages
from articles.numerals import digits
from articles.search.criteria import MAX_FILTERS_PER_KIND, MAX_QUERY_LENGTH, SORTS, Criteria
from articles.text.cleaning import clean_text

MIN_YEAR, MAX_YEAR = 1800, 2200
MAX_SOURCE_LENGTH = 120
MAX_SLUG_LENGTH = 200


class CleanTextField(forms.CharField):
    """A text field that cleans instead of refusing; ``max_length`` truncates."""

    def __init__(self, *, max_length: int, **kwargs):
        self.truncate_to = max_length
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return clean_text(super().to_python(value), self.truncate_to)


class ValuesField(forms.Field):
    """Every value of a repeated query parameter (``?person=a&person=b``), cleaned."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            value = [value] if value else []
        return [clean_text(str(v), MAX_SLUG_LENGTH + 1) for v in value if str(v).strip()]


class SearchForm(forms.Form):
    q = CleanTextField(max_length=MAX_QUERY_LENGTH, label=gettext_lazy("Search"))
    person = ValuesField()
    place = ValuesField()
    event = ValuesField()
    organisation = ValuesField()
    year = CleanTextField(max_length=10)
    source = CleanTextField(max_length=MAX_SOURCE_LENGTH + 1)
    sort = CleanTextField(max_length=20)
    language = CleanTextField(max_length=languages.MAX_CODE_LENGTH + 1)
    # "from" and "to" (days, both included) are Python keywords: added below the class.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices: list[str] = []

    def _clean_entity_filter(self, kind: str) -> list[str]:
        slugs = []
        for slug in self.cleaned_data.get(kind, []):
            try:
                if len(slug) > MAX_SLUG_LENGTH:
                    raise forms.ValidationError("too long")
                validate_slug(slug)
            except forms.ValidationError:
                self.notices.append(
                    gettext("Ignored the %(kind)s filter “%(slug)s”: not a valid name.")
                    % {"kind": _kind_name(kind), "slug": slug[:40]}
                )
                continue
            if slug not in slugs:
                slugs.append(slug)
        if len(slugs) > MAX_FILTERS_PER_KIND:
            self.notices.append(
                gettext("Kept the first %(count)s %(kind)s filters and ignored the rest.")
                % {"count": digits(str(MAX_FILTERS_PER_KIND)), "kind": _kind_name(kind)}
            )
        return slugs[:MAX_FILTERS_PER_KIND]

    def clean_person(self):
        return self._clean_entity_filter("person")

    def clean_place(self):
        return self._clean_entity_filter("place")

    def clean_event(self):
        return self._clean_entity_filter("event")

    def clean_organisation(self):
        return self._clean_entity_filter("organisation")

    def clean_year(self):
        value = self.cleaned_data["year"]
        if not value:
            return None
        if value.isascii() and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
            return int(value)
        self.notices.append(
            gettext("Ignored the year “%(value)s”: not a year between %(first)s and %(last)s.")
            % {"value": value, "first": digits(str(MIN_YEAR)), "last": digits(str(MAX_YEAR))}
        )
        return None

    def clean_source(self):
        value = self.cleaned_data["source"]
        if len(value) > MAX_SOURCE_LENGTH:
            self.notices.append(gettext("Ignored the source filter: too long to be a source name."))
            return ""
        return value

    def clean_sort(self):
        value = self.cleaned_data["sort"]
        if value and value not in SORTS:
            self.notices.append(
                gettext("Ignored the order “%(value)s”: not one of %(orders)s.")
                % {"value": value, "orders": ", ".join(SORTS)}
            )
            return ""
        return value

    def clean_language(self):
        value = self.cleaned_data["language"]
        code = languages.canonical(value)
        if value and not code:
            self.notices.append(f"Ignored the language “{value[:20]}”: not a language code.")
        return code

    def _clean_day(self, name: str, label: str) -> datetime.date | None:
        value = self.cleaned_data.get(name, "")
        if not value:
            return None
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None or len(value) != len("2025-11-21"):
            self.notices.append(
                gettext("Ignored the %(which)s date “%(value)s”: not a day as 2025-11-21.")
                % {"which": label, "value": value}
            )
            return None
        # The last day there is bounds nothing (and has no day after it to end before).
        return None if day == datetime.date.max else day

    def clean(self):
        data = super().clean()
        data["since"] = self._clean_day("from", pgettext("which date", "from"))
        data["until"] = self._clean_day("to", pgettext("which date", "to"))
        if data["since"] and data["until"] and data["since"] > data["until"]:
            # Read as the range they bound, as the active filters then show it.
            data["since"], data["until"] = data["until"], data["since"]
        return data

    def criteria(self) -> Criteria:
        """The search asked for, from whatever the form received."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        return Criteria(
            text=data.get("q", ""),
            entities=tuple((kind, slug) for kind in kinds.VALUES for slug in data.get(kind, [])),
            year=data.get("year"),
            source=data.get("source", ""),
            since=data.get("since"),
            until=data.get("until"),
            sort=data.get("sort", ""),
            language=data.get("language", ""),
        )


SearchForm.base_fields["from"] = CleanTextField(
    max_length=20, label=pgettext_lazy("date range", "From")
)
SearchForm.base_fields["to"] = CleanTextField(
    max_length=20, label=pgettext_lazy("date range", "To")
)


class SuggestForm(forms.Form):
    q = CleanTextField(max_length=MAX_QUERY_LENGTH)

    def text(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("q", "")


def _kind_name(kind: str) -> str:
    """A kind of entity as a notice names it: "person" in English."""
    return str(kinds.BY_VALUE[kind].shown).lower()

"""The timeline: events grouped by year and month, written with their precision, and the
filters that narrow it (by place, person, organisation and year), as links."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext, gettext_lazy

from articles import kinds
from articles.dates import DatePrecision, format_range, format_with_precision, precision_note
from articles.models import Entity, EntityLink
from articles.models.entities import TIMELINE_LIMIT
from articles.models.links import slug_url
from articles.numerals import digits
from articles.text.cleaning import clean_text

MIN_YEAR, MAX_YEAR = 1, 9999
FILTER_KINDS = ("place", "person", "organisation")
FACET_TITLES = {
    "year": gettext_lazy("Year"),
    **{kind: kinds.BY_VALUE[kind].shown_plural for kind in FILTER_KINDS},
}


class TimelineForm(forms.Form):
    """What a timeline's address asks for: never an error, a filter that is not valid is
    dropped with a notice."""

    place = forms.CharField(required=False)
    person = forms.CharField(required=False)
    organisation = forms.CharField(required=False)
    year = forms.CharField(required=False)

    def criteria(self) -> tuple[dict[str, str], list[str]]:
        """The valid filters ({"place": slug, "year": "2025"}), and notices of the others."""
        self.is_valid()
        chosen, notices = {}, []
        for name in (*FILTER_KINDS, "year"):
            value = clean_text(self.cleaned_data.get(name) or "", 210)
            if not value:
                continue
            if name == "year":
                if value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
                    chosen[name] = str(int(value))
                else:
                    notices.append(
                        gettext("“%(value)s” is not a year: the year filter was left out.")
                        % {"value": value}
                    )
                continue
            try:
                validate_slug(value)
            except forms.ValidationError:
                notices.append(
                    gettext("“%(value)s” names no %(kind)s: that filter was left out.")
                    % {"value": value, "kind": str(kinds.BY_VALUE[name].shown).lower()}
                )
            else:
                chosen[name] = value
        return chosen, notices


@dataclass
class TimelineEvent:
    name: str
    url: str
    when: str  # "late November 2025", or a range
    iso_start: str
    note: str  # what its precision leaves unknown
    articles: int
    places: list[EntityLink]
    participants: list[EntityLink]
    year: int | None
    month: int | None  # None for an event known to the year

    @classmethod
    def of(cls, entry: dict) -> "TimelineEvent":
        start = _date(entry["start_date"])
        end = _date(entry["end_date"])
        period = _date(entry["period_start"])
        known_month = entry["start_precision"] != DatePrecision.YEAR
        return cls(
            name=entry["name"],
            url=slug_url("articles:event_detail", entry["slug"]),
            when=format_range(start, entry["start_precision"], end, entry["end_precision"])
            or gettext("Date unknown"),
            iso_start=_iso(start, entry["start_precision"]),
            note=precision_note(entry["start_precision"]) if start else "",
            articles=entry["articles"] or 0,
            places=[EntityLink(**link) for link in entry["places"] or []],
            participants=[EntityLink(**link) for link in entry["participants"] or []],
            year=period.year if period else None,
            month=period.month if period and known_month else None,
        )


def _iso(value: datetime.date | None, precision: str) -> str:
    """The date as ``<time datetime>`` gives what is known of it: a day, a month, a year."""
    if value is None:
        return ""
    if precision == DatePrecision.DAY:
        return value.isoformat()
    return str(value.year) if precision == DatePrecision.YEAR else value.strftime("%Y-%m")


def _date(value) -> datetime.date | None:
    if not value:
        return None
    return datetime.date.fromisoformat(value[:10]) if isinstance(value, str) else value


@dataclass
class MonthGroup:
    label: str
    events: list[TimelineEvent] = field(default_factory=list)


@dataclass
class YearGroup:
    label: str
    months: list[MonthGroup] = field(default_factory=list)


def grouped(events: list[TimelineEvent]) -> list[YearGroup]:
    """Events (in timeline order) by year, then month; those known to the year only come
    first in their year, those without a date last."""
    years: list[YearGroup] = []
    for event in events:
        year = digits(str(event.year)) if event.year else ""
        year_label = year or gettext("Date unknown")
        if not years or years[-1].label != year_label:
            years.append(YearGroup(year_label))
        if event.year is None:
            month_label = gettext("Date unknown")
        elif event.month is None:
            month_label = gettext("%(year)s, month unknown") % {"year": year}
        else:
            month_label = format_with_precision(
                datetime.date(event.year, event.month, 1), DatePrecision.MONTH
            )
        months = years[-1].months
        if not months or months[-1].label != month_label:
            months.append(MonthGroup(month_label))
        months[-1].events.append(event)
    return years


@dataclass
class FacetValue:
    label: str
    url: str
    count: int
    active: bool


@dataclass
class Facet:
    name: str
    title: str
    values: list[FacetValue]


@dataclass
class Timeline:
    years: list[YearGroup]
    count: int
    facets: list[Facet]
    active: list[tuple[str, str]]  # (label, address without it)
    notices: list[str]
    capped: bool


def timeline_events(chosen: dict[str, str]):
    """The query of the events the filters of ``chosen`` other than the year keep."""
    events = Entity.objects.all()
    for kind in FILTER_KINDS:
        if kind in chosen:
            relation = "places" if kind == "place" else "participants"
            events = events.filter(**{f"{relation}__slug": chosen[kind], f"{relation}__kind": kind})
    return events.timeline_entries()


def build_timeline(path: str, chosen: dict[str, str], notices: list[str]) -> Timeline:
    """The timeline the filters ``chosen`` ask for, with its facets: one query. The year is
    applied here, so that the year facet offers every year of the other filters' events."""
    entries = [row["entry"] for row in timeline_events(chosen)[: TIMELINE_LIMIT + 1]]
    capped = len(entries) > TIMELINE_LIMIT
    every = [TimelineEvent.of(entry) for entry in entries[:TIMELINE_LIMIT]]
    year = int(chosen["year"]) if "year" in chosen else None
    shown = [event for event in every if year is None or event.year == year]

    def address(**changes) -> str:
        query = {**chosen, **changes}
        query = {name: value for name, value in query.items() if value is not None}
        return f"{path}?{urlencode(query)}" if query else path

    years: dict[int, int] = {}
    for event in every:
        if event.year:
            years[event.year] = years.get(event.year, 0) + 1
    facets = [
        Facet(
            "year",
            FACET_TITLES["year"],
            [
                FacetValue(
                    digits(str(y)),
                    address(year=None if str(y) == chosen.get("year") else str(y)),
                    n,
                    str(y) == chosen.get("year"),
                )
                for y, n in sorted(years.items(), reverse=True)
            ],
        )
    ]
    labels: dict[tuple[str, str], str] = {}
    for kind in FILTER_KINDS:
        counts: dict[tuple[str, str], int] = {}
        for event in shown:
            for link in event.places if kind == "place" else event.participants:
                if link.kind == kind:
                    counts[(link.slug, link.name)] = counts.get((link.slug, link.name), 0) + 1
                    labels[(kind, link.slug)] = link.name
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][1]))
        facets.append(
            Facet(
                kind,
                FACET_TITLES[kind],
                [
                    FacetValue(
                        name,
                        address(**{kind: None if chosen.get(kind) == slug else slug}),
                        n,
                        chosen.get(kind) == slug,
                    )
                    for (slug, name), n in ordered
                ],
            )
        )
    active = [
        (
            # Translators: an active filter of the timeline, as "Places: Khost".
            gettext("%(name)s: %(value)s")
            % {
                "name": FACET_TITLES[name],
                "value": labels.get((name, value), value) if name != "year" else digits(value),
            },
            address(**{name: None}),
        )
        for name, value in chosen.items()
    ]
    return Timeline(grouped(shown), len(shown), facets, active, notices, capped)


def entity_timeline(entity: Entity) -> tuple[list[YearGroup], int]:
    """An entity page's events (``with_events_and_words``), grouped, and how many in all."""
    events = [TimelineEvent.of(entry) for entry in getattr(entity, "event_entries", None) or []]
    return grouped(events), getattr(entity, "event_count", 0)

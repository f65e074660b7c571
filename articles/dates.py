"""Dates as the news gives them: a day, a part of a month, a month or a year, written in
the language of the interface (its words, word order and digits)."""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext, pgettext, pgettext_lazy

from articles.numerals import digits


class DatePrecision(models.TextChoices):
    DAY = "day", "exact day"
    EARLY_MONTH = "early_month", "early in the month"
    MID_MONTH = "mid_month", "mid-month"
    LATE_MONTH = "late_month", "late in the month"
    MONTH = "month", "month"
    YEAR = "year", "year"


# The months of the Gregorian calendar as the archive's catalogues name them (Django's
# Persian names are Iran's, and it has none in Pashto).
MONTHS = (
    pgettext_lazy("month", "January"),
    pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"),
    pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"),
    pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"),
    pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"),
    pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"),
    pgettext_lazy("month", "December"),
)


def _parts(value: datetime.date) -> dict[str, str]:
    return {
        "day": digits(str(value.day)),
        "month": str(MONTHS[value.month - 1]),
        "year": digits(str(value.year)),
    }


def format_with_precision(value: datetime.date | None, precision: str) -> str:
    """'19 October 2025', 'late November 2025', 'November 2025' or '2025' (in Dari
    'اواخر نومبر ۲۰۲۵'): each precision is one message, so that each language puts the
    part of the month where its grammar does."""
    if value is None:
        return ""
    parts = _parts(value)
    if precision == DatePrecision.YEAR:
        return parts["year"]
    if precision == DatePrecision.MONTH:
        return pgettext("date", "%(month)s %(year)s") % parts
    if precision == DatePrecision.EARLY_MONTH:
        return pgettext("date", "early %(month)s %(year)s") % parts
    if precision == DatePrecision.MID_MONTH:
        return pgettext("date", "mid-%(month)s %(year)s") % parts
    if precision == DatePrecision.LATE_MONTH:
        return pgettext("date", "late %(month)s %(year)s") % parts
    return pgettext("date", "%(day)s %(month)s %(year)s") % parts


def format_range(
    start: datetime.date | None, start_precision: str, end: datetime.date | None, end_precision: str
) -> str:
    """A period as the news gives it, with an en dash between its ends: '11' to '12
    October 2025', '25 October' to 'November 2025', or one date ('late November 2025').
    The start leaves out the year (and the month) the end says too, when it is a day."""
    first = format_with_precision(start, start_precision)
    if end is None or start is None:
        return first
    last = format_with_precision(end, end_precision)
    if (end, end_precision) == (start, start_precision):
        return first
    if start_precision == DatePrecision.DAY and start.year == end.year:
        if end_precision == DatePrecision.DAY and start.month == end.month:
            return f"{digits(str(start.day))}–{last}"
        if end_precision != DatePrecision.YEAR:
            first = pgettext("date", "%(day)s %(month)s") % _parts(start)
    # Translators: a period from one date to another.
    return pgettext("date", "%(first)s – %(last)s") % {"first": first, "last": last}


def precision_note(precision: str) -> str:
    """What a date at ``precision`` leaves unknown, or '' for an exact day."""
    if precision == DatePrecision.DAY:
        return ""
    return gettext("month unknown") if precision == DatePrecision.YEAR else gettext("day unknown")


# A part of a month: its first day, and the first day of the next part (None: the month's end).
_PART_DAYS = {
    DatePrecision.EARLY_MONTH: (1, 11),
    DatePrecision.MID_MONTH: (11, 21),
    DatePrecision.LATE_MONTH: (21, None),
}


def span(value: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a date of this precision may be: late November 2025 is
    21 to 30 November, November 2025 the whole month, 2025 the whole year."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1), value.replace(month=12, day=31)
    if precision == DatePrecision.DAY:
        return value, value
    month_end = value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision == DatePrecision.MONTH:
        return value.replace(day=1), month_end
    first, next_part = _PART_DAYS[DatePrecision(precision)]
    last = month_end if next_part is None else value.replace(day=next_part - 1)
    return value.replace(day=first), last


def iso_with_precision(value: datetime.date | None, precision: str) -> str:
    """The date as ISO 8601 says no more than is known: 2025-11-03 for a day, 2025-11
    for a month or a part of one (ISO has no "late November"), 2025 for a year. What
    schema.org, OpenGraph and citations publish; the precision itself and ``span`` go
    where a format has room for them."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04}"
    if precision == DatePrecision.DAY:
        return value.isoformat()
    return f"{value.year:04}-{value.month:02}"


def date_parts(value: datetime.date, precision: str) -> list[int]:
    """The date as CSL-JSON's date-parts: [year, month, day] down to what is known."""
    iso = iso_with_precision(value, precision)
    return [int(part) for part in iso.split("-")]

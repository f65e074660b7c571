"""Dates as the news gives them: a day, a part of a month, a month or a year."""

import datetime

from django.db import models


class DatePrecision(models.TextChoices):
    DAY = "day", "exact day"
    EARLY_MONTH = "early_month", "early in the month"
    MID_MONTH = "mid_month", "mid-month"
    LATE_MONTH = "late_month", "late in the month"
    MONTH = "month", "month"
    YEAR = "year", "year"


_PART_OF_MONTH = {
    DatePrecision.EARLY_MONTH: "early",
    DatePrecision.MID_MONTH: "mid-",
    DatePrecision.LATE_MONTH: "late",
}


def format_with_precision(value: datetime.date | None, precision: str) -> str:
    """'19 October 2025', 'late November 2025', 'November 2025' or '2025'."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    month_year = value.strftime("%B %Y")
    if precision == DatePrecision.MONTH:
        return month_year
    if precision in _PART_OF_MONTH:
        part = _PART_OF_MONTH[DatePrecision(precision)]
        return f"{part}{'' if part.endswith('-') else ' '}{month_year}"
    return f"{value.day} {month_year}"


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
            return f"{start.day}–{last}"
        if end_precision != DatePrecision.YEAR:
            first = f"{start.day} {start.strftime('%B')}"
    return f"{first} – {last}"


def precision_note(precision: str) -> str:
    """What a date at ``precision`` leaves unknown, or '' for an exact day."""
    if precision == DatePrecision.DAY:
        return ""
    return "month unknown" if precision == DatePrecision.YEAR else "day unknown"

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

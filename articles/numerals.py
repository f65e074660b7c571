"""Numbers as each language of the interface writes them.

Pashto and Dari write Extended Arabic-Indic digits (۰۱۲۳۴۵۶۷۸۹), CLDR's default numbering
system for both (arabext). Urdu keeps European digits, CLDR's default for ur (latn);
Extended Arabic-Indic is only its alternative there. Django groups and separates a
number by the language's formats (newsarchive/formats/) but writes European digits
whatever the language: the digits are changed here, for counts, page numbers and dates
alike."""

from django.utils import formats, translation

EXTENDED_ARABIC_INDIC = "۰۱۲۳۴۵۶۷۸۹"
# By a language's base code (fa-af: fa).
_DIGITS = {"ps": EXTENDED_ARABIC_INDIC, "fa": EXTENDED_ARABIC_INDIC}
_TABLES = {base: str.maketrans("0123456789", digits) for base, digits in _DIGITS.items()}


def digits(text: str, language: str | None = None) -> str:
    """``text`` with its European digits written as ``language`` (the active one by
    default) writes them."""
    code = (language or translation.get_language() or "").split("-")[0]
    table = _TABLES.get(code)
    return text.translate(table) if table else text


def number(value: int | float) -> str:
    """A count as the active language writes it: 1,234 in English, in Dari the same
    digits in its own script with the Arabic thousands separator."""
    return digits(formats.number_format(value, use_l10n=True, force_grouping=True))


def symbols() -> tuple[str, str]:
    """The active language's ten digits and thousands separator, for scripts that write
    numbers in the page (browsers' Intl may lack a language's data: Chromium's has no
    Pashto)."""
    return digits("0123456789"), formats.get_format("THOUSAND_SEPARATOR")


def decimal(value: float, places: int) -> str:
    """A decimal (a coordinate) to ``places``, without grouping: 34.5553 in English, with
    the Arabic decimal separator in Pashto and Dari."""
    return digits(formats.number_format(round(value, places), places, use_l10n=True))

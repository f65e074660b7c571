"""The languages articles are written in: their codes (BCP 47, as articles give them), each
with its name in English and in its own script, and its direction. What the search's
language facet, an article's "Also in" and the importer read.

Codes are kept in one form (``canonical``): the language lower case, a region upper case
(fa-AF, Dari), a script title case; ``prs``, Dari's own ISO 639-3 code, is written fa-AF,
as Afghan outlets tag Dari."""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    # Its name as its readers write it: "Also in: اردو · English".
    own_name: str


LANGUAGES = (
    Language("en", "English", "English"),
    Language("ps", "Pashto", "پښتو"),
    Language("fa-AF", "Dari", "دری"),
    Language("fa", "Persian", "فارسی"),
    Language("ur", "Urdu", "اردو"),
    Language("ar", "Arabic", "العربية"),
)
BY_CODE = {language.code: language for language in LANGUAGES}
SYNONYMS = {"prs": "fa-AF"}
# Languages written right to left, by their first subtag.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "ps", "ur", "prs", "ckb", "sd", "ug", "he", "yi", "dv"})
# A code as the archive stores it: a language of two or three letters, then subtags.
CODE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
MAX_CODE_LENGTH = 12


def canonical(code: str) -> str:
    """``code`` in the archive's one form ("FA-af" is fa-AF, "prs" fa-AF); "" when it is
    not a language code."""
    code = code.strip()
    if len(code) > MAX_CODE_LENGTH or not CODE.match(code):
        return ""
    language, *subtags = code.split("-")
    parts = [language.lower()]
    for subtag in subtags:
        if len(subtag) == 2 and subtag.isalpha():
            parts.append(subtag.upper())  # a region
        elif len(subtag) == 4 and subtag.isalpha():
            parts.append(subtag.title())  # a script
        else:
            parts.append(subtag.lower())
    written = "-".join(parts)
    return SYNONYMS.get(written, written)


def named(code: str) -> Language:
    """The language of ``code``, or one named by its code when the archive does not know
    it."""
    return BY_CODE.get(code) or Language(code, code, code)


def is_right_to_left(code: str) -> bool:
    return code.split("-")[0].lower() in RIGHT_TO_LEFT


# Letters only Pashto, or only Urdu, writes among the archive's languages in Arabic script.
_PASHTO_LETTERS = frozenset("ټډړږښګڼېۍځڅ")
_URDU_LETTERS = frozenset("ٹڈڑںےہھ")
# How much of a text is read to guess its language.
_GUESS_CHARS = 5_000


def guess(text: str) -> str:
    """The language of a text that does not say: English, unless most of its letters are
    Arabic script; then Pashto or Urdu by the letters only each of them writes, and Dari
    where neither shows (the Persian of most of the archive's Arabic-script sources)."""
    letters = [c for c in text[:_GUESS_CHARS] if c.isalpha()]
    arabic = [c for c in letters if "\u0600" <= c <= "\u06ff"]
    if not letters or 2 * len(arabic) < len(letters):
        return "en"
    pashto = sum(c in _PASHTO_LETTERS for c in arabic)
    urdu = sum(c in _URDU_LETTERS for c in arabic)
    if pashto > urdu:
        return "ps"
    return "ur" if urdu else "fa-AF"

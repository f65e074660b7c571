"""The folding rule: how names and texts are compared, whatever their spelling.

Lower case, no diacritics, one form of each Arabic-script letter that Pashto, Dari, Urdu
and Arabic type differently, and one apostrophe. The tagger (articles/importing/tagging.py)
folds with it in Python; the database folds names and search text with its SQL twin,
``newsarchive_fold`` (articles/db/sql/), and a test proves the two agree.
"""

import re
import unicodedata
from functools import cache, lru_cache

# Letters typed differently for the same word in Pashto, Dari, Urdu and Arabic text.
_LETTER_VARIANTS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Farsi yeh
        "\u0649": "\u06cc",  # alef maksura → Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u200c": " ",  # zero-width non-joiner separates parts of one word
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
    }
)
_WORD = re.compile(r"\w+")


@cache
def _combining_marks() -> re.Pattern:
    """A regex matching every combining mark (accents, Arabic vowel signs and hamza)."""
    marks = [ord(mark) for mark in filter(unicodedata.combining, map(chr, range(0x300, 0x20000)))]
    ranges, start = [], marks[0]
    for previous, current in zip(marks, [*marks[1:], None], strict=True):
        if current != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = current
    return re.compile(f"[{''.join(ranges)}]+")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=8192)
def _fold_run(run: str) -> str:
    """Runs recur: the same quotes and dashes in every English text, the same short words
    in Pashto, Dari and Urdu. Folding each once takes a third off the instructions of
    folding a text (callgrind, 100 corpus articles)."""
    folded = _combining_marks().sub("", unicodedata.normalize("NFKD", run))
    return folded.translate(_LETTER_VARIANTS)


def _fold_non_ascii(run: re.Match) -> str:
    return _fold_run(run.group())


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify letter variants, keeping words intact.
    Folding folded text changes nothing: letters are unified after marks are removed,
    since removing a mark can reveal a variant (ئ is ي with a hamza above). Only runs of
    non-ASCII characters need more than lower case (decomposing, dropping marks and
    unifying letters work character by character), which keeps English text fast."""
    return _NON_ASCII.sub(_fold_non_ascii, text.casefold())


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A name reduced to its folded words, so spellings that differ only in case,
    diacritics or punctuation compare equal."""
    return " ".join(_WORD.findall(fold(name)))

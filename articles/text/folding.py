"""The folding rule: how names and texts are compared, whatever their spelling.

Compatibility forms decomposed (full-width letters, ligatures, Arabic presentation forms,
superscripts), lower case, no diacritics (the combining marks Latin, Greek and Cyrillic
letters decompose into; the Arabic harakat, hamza and madda, superscript alef and tatweel),
one form of each Arabic-script letter that Pashto, Dari, Urdu and Arabic type differently,
plain letters for the Latin letters that do not decompose (ł, ø, ß, the dotless i...), one
apostrophe. A name's words are then its runs of letters and digits: anything else parts
them.

The tagger (articles/importing/tagging.py) and the importer's tag resolver fold in Python;
the database folds entity names, aliases and the names a search spells with the SQL twin
of ``name_key``, ``newsarchive_fold`` (articles/db/sql/text.sql), and tests/text/test_folding.py
proves the two agree on every character both know. The database lowers and classifies
with ICU, whose classes are Unicode's general categories, as Python's are.

Full-text search folds less (``newsarchive_search_text``, in the same file: letter
variants, harakat and tatweel, then the text search configuration's unaccent): a word with
hamza or madda on its letters (آباد), in presentation forms or parted by a ZWNJ is indexed
as it is written.
"""

import re
import unicodedata
from functools import lru_cache

# Marks dropped once letters are decomposed: the blocks of combining diacritical marks
# (Latin, Greek and Cyrillic diacritics), and what newsarchive_search_text drops of Arabic
# script (harakat, hamza and madda above and below, superscript alef, and tatweel).
_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u064b-\u065f\u0670\u0640]+"
)
_LETTERS = str.maketrans(
    {
        # Letters typed differently for the same word in Pashto, Dari, Urdu and Arabic text.
        "\u064a": "\u06cc",  # Arabic yeh → Farsi yeh
        "\u0649": "\u06cc",  # alef maksura → Farsi yeh
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        # Latin letters with no decomposition, as unaccent writes them.
        "ß": "ss",
        "æ": "ae",
        "ð": "d",
        "ø": "o",
        "þ": "th",
        "đ": "d",
        "ħ": "h",
        "ı": "i",
        "ł": "l",
        "ŋ": "n",
        "œ": "oe",
        "ŧ": "t",
        "\u200c": " ",  # zero-width non-joiner separates parts of one word
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=8192)
def _fold_run(run: str) -> str:
    """Runs recur: the same quotes and dashes in every English text, the same short words
    in Pashto, Dari and Urdu. Folding each once takes a third off the instructions of
    folding a text (callgrind, 100 corpus articles)."""
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", run).lower())
    return folded.translate(_LETTERS)


def _fold_non_ascii(run: re.Match) -> str:
    return _fold_run(run.group())


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify letter variants, keeping words and what
    separates them. Text is lowered whole, as the database lowers it (a Greek sigma is
    final by what follows it), and again once decomposed (some capitals' compatibility
    forms decompose to capitals). Letters are unified after marks are removed, since
    removing a mark can reveal a variant (ئ is ي with a hamza above), so folding folded text
    changes nothing. Only runs of non-ASCII characters need more than lower case, which
    keeps English text fast."""
    return _NON_ASCII.sub(_fold_non_ascii, text.lower())


def _is_word_character(character: str) -> bool:
    """A letter or a decimal digit (Unicode's L and Nd categories), as ICU's [[:alnum:]]."""
    return character.isalpha() or character.isdecimal()


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A name reduced to its folded words, so spellings that differ only in case,
    diacritics or punctuation compare equal: ``newsarchive_fold`` in Python."""
    folded = fold(name)
    return " ".join("".join(c if _is_word_character(c) else " " for c in folded).split())

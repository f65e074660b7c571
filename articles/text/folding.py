"""The folding rule: how names and texts are compared, whatever their spelling.

Arabic script folds by one rule everywhere (``fold_arabic_script`` here, and its twin
``newsarchive_search_text`` in articles/db/sql/text.sql): the tagger, the names a search
recognises and the full-text index and queries all read text through it. The letters
Pashto, Dari, Urdu and Arabic type differently for the same word become one: every yeh
(ي ی ې ۍ ێ ى ئ) the Farsi yeh ی, kaf (ك) keheh ک, every heh and teh marbuta (ه ہ ھ ە ۀ ة ۃ)
the Arabic heh ه, every alef (أ إ آ ٱ ٲ ٳ) the bare alef ا, and ؤ the waw و; Arabic-Indic
and Persian digits are ASCII digits; tatweel, the zero-width joiner and the combining marks
of Arabic script (harakat, hamza and madda above and below, the superscript alef, Quranic
annotation marks) are dropped; Arabic presentation forms are decomposed into the letters
they show. The zero-width non-joiner becomes a space: it parts the pieces of one word
(کتاب‌ها, ذبیح‌الله), which writers also part with a space, and the text search parser
reads it as a word break anyway; so ذبیح‌الله, ذبیح الله and ذبیح اللہ all read as two
words, ذبیح and الله. The Urdu yeh barree (ے) is a letter of its own (کے is not کی), and
stays.

Names fold further (``name_key``, and ``newsarchive_fold`` in the database):
compatibility forms decomposed (full-width letters, ligatures, superscripts), lower case,
no diacritics (the combining marks Latin, Greek and Cyrillic letters decompose into), the
Arabic-script rule above, plain letters for the Latin letters that do not decompose (ł, ø,
ß, the dotless i...), one apostrophe. A name's words are then its runs of letters and
digits: anything else parts them.

The tagger (articles/importing/tagging.py) and the importer's tag resolver fold in Python;
the database folds entity names, aliases and the names a search spells with
``newsarchive_fold``, and article text and search words with ``newsarchive_search_text``;
tests/text/test_folding.py proves each pair agrees on every character both know. The
database lowers and classifies with ICU, whose classes are Unicode's general categories,
as Python's are. Latin text is left to the text search configurations (lower case,
unaccent, and for English the stemmer).
"""

import re
import unicodedata
from functools import lru_cache

# Marks dropped from names once letters are decomposed: the blocks of combining diacritical
# marks (Latin, Greek and Cyrillic diacritics). Arabic script's are the Arabic rule's.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_LETTERS = str.maketrans(
    {
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
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
    }
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

# The Arabic-script rule. Any character it changes is one of these: text without them is
# returned as it is (in the database, after one test).
ARABIC_SCRIPT_CHANGES = (
    "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u200c\u200d"
)
_ARABIC_SCRIPT = re.compile(f"[{ARABIC_SCRIPT_CHANGES}]")
# Presentation forms (the shapes a letter takes in a word, and ligatures), as old software
# and PDFs write them: decomposed to the letters they show.
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]+")
# One letter for another: (from, to) pairs, in the order the SQL twin's translate() takes.
ARABIC_LETTERS = (
    # yeh: Arabic yeh, alef maksura, Pashto's ې ۍ ێ, yeh with hamza → Farsi yeh
    ("\u064a\u0649\u06d0\u06cd\u06ce\u0626", "\u06cc" * 6),
    # kaf → keheh
    ("\u0643", "\u06a9"),
    # heh goal, heh doachashmee, ae, heh with yeh above, heh goal with hamza, teh marbuta
    # and teh marbuta goal → heh
    ("\u06c1\u06be\u06d5\u06c0\u06c2\u0629\u06c3", "\u0647" * 7),
    # alef with madda, hamza above, hamza below, wasla, wavy hamza above and below → alef
    ("\u0622\u0623\u0625\u0671\u0672\u0673", "\u0627" * 6),
    # waw with hamza → waw; yeh barree with hamza → yeh barree
    ("\u0624\u06d3", "\u0648\u06d2"),
    # Arabic-Indic and extended (Persian, Urdu) digits → ASCII digits
    ("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "0123456789"),
    ("\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9", "0123456789"),
    # zero-width non-joiner → space
    ("\u200c", " "),
)
_ARABIC_LETTERS = str.maketrans(
    "".join(source for source, _ in ARABIC_LETTERS),
    "".join(target for _, target in ARABIC_LETTERS),
)
# Dropped: Arabic combining marks (signs, harakat with hamza and madda above and below,
# the superscript alef, Quranic annotation, the extended blocks' marks), tatweel and the
# zero-width joiner. The ranges, as the SQL twin's regular expression writes them.
ARABIC_DROPPED = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff\u0640\u200d"
)
_ARABIC_DROPPED = re.compile(f"[{ARABIC_DROPPED}]+")


def _decompose(match: re.Match) -> str:
    return unicodedata.normalize("NFKD", match.group())


def fold_arabic_script(text: str) -> str:
    """Text with Arabic script folded by the one rule (see the module's docstring), and
    nothing else changed: ``newsarchive_search_text`` in Python. Letters are unified
    after presentation forms are decomposed and before marks are dropped, so that a letter
    typed whole (أ) and as a letter and a mark (ا and U+0654) fold alike, and folding
    folded text changes nothing."""
    if not _ARABIC_SCRIPT.search(text):
        return text
    text = _PRESENTATION_FORMS.sub(_decompose, text)
    return _ARABIC_DROPPED.sub("", text.translate(_ARABIC_LETTERS))


@lru_cache(maxsize=8192)
def _fold_run(run: str) -> str:
    """Runs recur: the same quotes and dashes in every English text, the same short words
    in Pashto, Dari and Urdu. Folding each once takes a third off the instructions of
    folding a text (callgrind, 100 corpus articles)."""
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", run).lower())
    return fold_arabic_script(folded).translate(_LETTERS)


def _fold_non_ascii(run: re.Match) -> str:
    return _fold_run(run.group())


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify letter variants, keeping words and what
    separates them. Text is lowered whole, as the database lowers it (a Greek sigma is
    final by what follows it), and again once decomposed (some capitals' compatibility
    forms decompose to capitals). Only runs of non-ASCII characters need more than lower
    case, which keeps English text fast."""
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

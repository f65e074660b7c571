"""The tagger: finds the gazetteer's entities in a text by their names and aliases.

Names are matched as whole words, ignoring case, diacritics, the kind of apostrophe or
hyphen, and the Arabic/Persian letter variants that the same word is typed with. At each
position the longest name wins and matches never overlap, so "Tehrik-i-Taliban Pakistan"
tags the TTP, not also the Taliban and Pakistan.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
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
# What may stand between the words of a name: spaces, hyphens, apostrophes, dots.
_SEPARATOR = r"[\s\-\u2010-\u2015'.]+"


@cache
def _without_combining_marks() -> dict[int, None]:
    """A str.translate table deleting every combining mark (accents, Arabic vowel signs)."""
    return {cp: None for cp in range(0x300, 0x20000) if unicodedata.combining(chr(cp))}


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify letter variants, keeping words intact."""
    folded = text.casefold().translate(_LETTER_VARIANTS)
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_without_combining_marks())


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A name reduced to its folded words, so spellings that differ only in case,
    diacritics or punctuation compare equal."""
    return " ".join(_WORD.findall(fold(name)))


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex matching any of ``keys``, shaped as a trie so that each position of the
    text is tried once per shared prefix rather than once per name. Greedy optional
    branches make the longest name win."""
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    branches = [
        (_SEPARATOR if char == " " else re.escape(char)) + _node_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" in node:
        return f"(?:{pattern})?"
    return pattern


class Tagger:
    """Counts, for one text, how often each entity's name or aliases occur in it."""

    def __init__(self, names: Iterable[tuple[int, str]]):
        self._entities_by_key: dict[str, set[int]] = {}
        for entity_id, name in names:
            key = name_key(name)
            if key:
                self._entities_by_key.setdefault(key, set()).add(entity_id)
        pattern = _trie_pattern(self._entities_by_key)
        self._pattern = re.compile(rf"(?<!\w){pattern}(?!\w)") if pattern else None

    @classmethod
    def from_database(cls) -> "Tagger":
        from .models import Alias, Entity

        names = [
            *Entity.objects.values_list("id", "name"),
            *Alias.objects.values_list("entity_id", "name"),
        ]
        return cls(names)

    def count(self, text: str) -> Counter[int]:
        """Entity id → number of mentions in ``text``."""
        counts: Counter[int] = Counter()
        if self._pattern is None:
            return counts
        for match in self._pattern.finditer(fold(text)):
            for entity_id in self._entities_by_key[name_key(match.group())]:
                counts[entity_id] += 1
        return counts

"""The tagger: finds the gazetteer's entities in a text by their names and aliases.

Names are matched as whole words, ignoring case, diacritics, the kind of apostrophe or
hyphen, and the Arabic/Persian letter variants that the same word is typed with. At each
position the longest name wins and matches never overlap, so "Tehrik-i-Taliban Pakistan"
tags the TTP, not also the Taliban and Pakistan.
"""

import re
from collections import Counter
from collections.abc import Iterable

from articles.db.state import write_state
from articles.models import Alias, Article, Entity
from articles.text.folding import fold, name_key

# What may stand between the words of a name: spaces, hyphens, apostrophes, dots.
_SEPARATOR = r"[\s\-\u2010-\u2015'.]+"
# The phrases a tagger remembers whether it knows (candidate names across an import).
KNOWN_PHRASES_KEPT = 100_000


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
        self._words = {word for key in self._entities_by_key for word in key.split()}
        pattern = _trie_pattern(self._entities_by_key)
        self._pattern = re.compile(rf"(?<!\w){pattern}(?!\w)") if pattern else None
        # Phrases recur from article to article ("United Nations"): each is looked for once.
        self._known_phrases: dict[str, bool] = {}
        self._unknown_names: dict[str, str] = {}

    @classmethod
    def from_database(cls) -> "Tagger":
        """The tagger of the gazetteer as the current transaction sees it: built again
        only when the archive's state has changed since this process last built one (any
        write to entities or aliases changes it, committed or the transaction's own), so
        that forms and previews reuse it."""
        state = write_state()
        built = _LatestTagger.built
        if built is None or built[0] != state:
            names = [
                *Entity.objects.values_list("id", "name"),
                *Alias.objects.values_list("entity_id", "name"),
            ]
            built = _LatestTagger.built = (state, cls(names))
        return built[1]

    def knows(self, text: str) -> bool:
        """Whether ``text`` contains any known name."""
        return self._pattern is not None and self._pattern.search(fold(text)) is not None

    def unknown_name(self, phrase: str) -> str:
        """The name a capitalised ``phrase`` of a text stands for, if the gazetteer does not
        know it; "" if none. Words that are no names ("The", "Pakistani") are dropped from
        both ends, as is a possessive's "'s"; a single word that is part of a known name
        is none. Remembered: phrases recur from article to article."""
        name = self._unknown_names.get(phrase)
        if name is None:
            if len(self._unknown_names) >= KNOWN_PHRASES_KEPT:
                self._unknown_names.clear()
            name = self._unknown_names[phrase] = self._read_unknown_name(phrase)
        return name

    def _read_unknown_name(self, phrase: str) -> str:
        words = phrase.split()
        while words and words[0].lower() in _NOT_NAMES:
            words.pop(0)
        while words and (words[-1].lower() in _NOT_NAMES or words[-1] in _CONNECTORS):
            words.pop()
        if words:  # "Rawalpindi's garrison" names Rawalpindi
            words[-1] = _POSSESSIVE.sub("", words[-1])
        name = " ".join(words).strip("'’-")
        if not 3 <= len(name) <= MAX_NAME_LENGTH or len(words) > MAX_NAME_WORDS:
            return ""
        if name.lower() in _NOT_NAMES or (len(words) == 1 and self.knows_word(name)):
            return ""
        return "" if self.knows_phrase(name) else name

    def knows_phrase(self, phrase: str) -> bool:
        """``knows(phrase)``, remembered for the phrases of names (a few words each)."""
        known = self._known_phrases.get(phrase)
        if known is None:
            if len(self._known_phrases) >= KNOWN_PHRASES_KEPT:
                self._known_phrases.clear()
            known = self._known_phrases[phrase] = self.knows(phrase)
        return known

    def knows_name(self, name: str) -> bool:
        """Whether ``name`` is, in any spelling, the name or alias of an entity."""
        return name_key(name) in self._entities_by_key

    def knows_word(self, word: str) -> bool:
        """Whether ``word`` is part of a known name (a surname alone, say)."""
        return name_key(word) in self._words

    def count(self, text: str) -> Counter[int]:
        """Entity id → number of mentions in ``text``."""
        counts: Counter[int] = Counter()
        if self._pattern is None:
            return counts
        for match in self._pattern.finditer(fold(text)):
            for entity_id in self._entities_by_key.get(name_key(match.group()), ()):
                counts[entity_id] += 1
        return counts


class _LatestTagger:
    """The last tagger this process built from the database, with the state it read."""

    built: tuple[str, Tagger] | None = None


def article_text(article: Article) -> str:
    """What the tagger reads of an article: its title, standfirst and body."""
    return f"{article.title}\n{article.standfirst}\n{article.body}"


# Capitalised phrases: "Noor Wali Mehsud", "Bank of Khyber", "Tehrik-i-Taliban". Their words
# stand on one line: a heading's last word and the next paragraph's first are no name.
_SPACE = r"[^\S\n]+"
_CAPITALISED_PHRASE = re.compile(
    rf"(?<![\w'’])[A-Z][\w'’\-]*(?:(?:{_SPACE}(?:of|al|ul|ud|bin|e|i|de|the)){{0,2}}"
    rf"{_SPACE}[A-Z][\w'’\-]*)*"
)
_CONNECTORS = frozenset("of al ul ud bin e i de the".split())
_POSSESSIVE = re.compile(r"['’]s\Z")
_NOT_NAMES = frozenset(
    """a after also an and as at but by despite during even for from he her his how however i
    if in it its just meanwhile mr mrs ms on once our she since so some specifically that the
    their then there these they this those today under we what when where while who why with
    yet you afghan afghans pakistani pakistanis western western-backed islamist islamists
    january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday""".split()
)
# A longer run of capitalised words is a headline in title case, not a name; the queue
# keeps names of at most as many characters as the gazetteer's.
MAX_NAME_WORDS = 8
MAX_NAME_LENGTH = 200


# What comes just before a word that starts a sentence, a paragraph or a heading.
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“”]\s+|\n[\s#>*\-]*)\Z")


def new_names(text: str, tagger: Tagger) -> Counter[str]:
    """Likely names the gazetteer does not know yet: capitalised phrases (as
    ``Tagger.unknown_name`` reads them), with how often each occurs. A single word that
    starts a sentence is left out."""
    counts: Counter[str] = Counter()
    for match in _CAPITALISED_PHRASE.finditer(text):
        name = tagger.unknown_name(match.group())
        if not name:
            continue
        if " " not in name:
            before = text[max(0, match.start() - 8) : match.start()]
            if _SENTENCE_START.search(before) is not None:
                continue
        counts[name] += 1
    return counts


def candidate_names(text: str, tagger: Tagger, limit: int = 15) -> list[tuple[str, int]]:
    """The ``limit`` likeliest new names of ``text`` (``new_names``), most frequent first."""
    return sorted(new_names(text, tagger).items(), key=lambda item: (-item[1], item[0]))[:limit]

"""Who said what: direct quotations in an English text, attributed to the people it names.

A quotation is the words between quotation marks (curly or straight, a paragraph or more:
a quotation left open at the end of a paragraph goes on in the next one that opens with a
quotation mark). It is attributed to a speaker only on the evidence of an attribution that
reporters write, beside it in the same sentence:

* after it: ``“…,” said Basir``, ``“…,” Basir said``, ``“…,” Taliban spokesman Zabihullah
  Mujahid told reporters``, ``“…,” he said``, ``“…,” according to Basir``;
* before it: ``Basir said: “…”``, ``Basir told DW, “…”``, ``According to Basir, “…”``, ``He
  added: “…”``, or a paragraph ending ``Basir said:`` before a paragraph that is the quotation;
* a second quotation of a paragraph whose first was attributed, with no other speaker
  between them, is the same speaker's.

"He" or "she" is taken to be a speaker only when the nearest sentence before it (in its
paragraph, or the one before) that says who speaks starts with that speaker's name: a
sentence in between that gives speech to anyone else (an unnamed official, another person)
leaves the quotation unattributed. A speaker is named by a name or alias, or by the last
word of their name when no other speaker of the text shares it ("Basir"), but not in the
possessive ("Basir's office said"). Quotations of fewer than MIN_WORDS words are titles or
scare quotes, not speech. Anything less certain is left unattributed: a wrong attribution
puts words in someone's mouth, a missed one only leaves them out.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_WORDS = 4
SPEECH_VERBS = (
    "said", "says", "told", "tells", "added", "adds", "stated", "noted", "explained",
    "insisted", "argued", "warned", "wrote", "writes", "declared", "asked", "claimed",
    "continued", "remarked", "recalled", "stressed", "emphasised", "emphasized", "replied",
    "posted", "tweeted", "announced", "maintained", "observed", "pointed out", "went on",
)  # fmt: skip
_VERB = "(?:" + "|".join(v.replace(" ", r"\s+") for v in SPEECH_VERBS) + ")"
_OPENING, _CLOSING = '“"«', '”"»'
_SEPARATOR = r"[\s\-\u2010-\u2015'’.]+"
# Words that tie a name to someone else ("a spokesman for Basir", "met with Basir"): a name
# after one of them is not the speaker.
_NOT_TITLES = (
    "and|or|but|with|for|to|by|of|from|about|against|on|at|in|after|before|when|"
    "while|as|that|than|like|met|meets|called|urged|accused|blamed|criticised|criticized|"
    "praised|thanked|named|visited|killed|arrested|replaced|succeeded|appointed|who|whom|"
    "whose|which|where|if|because|since|his|her|their|its"
)
# What may stand before a speaker's name: a title of up to three words ("Taliban
# spokesman", "Pakistan's defence minister,"), never one of _NOT_TITLES or a speech verb.
_TITLE = rf"(?:(?!(?i:{_NOT_TITLES}|{_VERB})\b)[\w\-’']+,?\s+){{0,3}}?"
_PRONOUN = r"(?P<pronoun>[Hh]e|[Ss]he)"
# Words that may stand between a speaker and the verb ("Basir later said", "he has said").
_ADVERBS = (
    r"(?:(?:also|later|then|has|had|have|once|previously|recently|further|again|earlier|"
    r"himself|herself|simply|only|just|quickly|finally|bluntly|flatly)\s+){0,2}"
)
# A clause before the speaker's name that ends with a comma ("Speaking in Doha, Muttaqi
# said:").
_LEAD = r"(?:[^,.!?“”\"]{1,60},\s+)?"
_AFTER_NAME = r"(?![\w'’])(?![’']s\b)"


@dataclass(frozen=True)
class Speaker:
    """Someone a quotation may be attributed to: an id, and the names the text may use."""

    id: int
    names: tuple[str, ...]


@dataclass(frozen=True)
class Found:
    speaker: int
    passage: str
    paragraph: int  # the paragraph it starts in, counting from 0


@dataclass
class _Quote:
    paragraph: int
    start: int  # in its first paragraph
    end: int  # just after the closing mark, in its last paragraph
    last_paragraph: int
    text: str


def paragraphs_of(body: str) -> list[str]:
    """The paragraphs of a Markdown body as plain text: blocks parted by blank lines,
    without block markers or backslash escapes. Headings come back as empty paragraphs
    (nobody speaks in them, and they part what is said before from what follows)."""
    result = []
    for block in re.split(r"\n\s*\n", body.strip()):
        block = block.strip()
        if block.startswith("#"):
            result.append("")
            continue
        block = re.sub(r"^(?:>\s?)+", "", block, flags=re.MULTILINE)
        block = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", block)
        result.append(" ".join(block.split()))
    return result


class _Names:
    """Finds speakers by name in text: full names and aliases, and last names that belong
    to one speaker alone."""

    def __init__(self, speakers: Sequence[Speaker]):
        by_name: dict[str, int] = {}
        last_words: dict[str, set[int]] = {}
        for speaker in speakers:
            for name in speaker.names:
                words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", name)
                if not words or not all(w.isascii() for w in words):
                    continue
                by_name[" ".join(words)] = speaker.id
                if len(words) > 1 and len(words[-1]) >= 3 and words[-1][0].isupper():
                    last_words.setdefault(words[-1], set()).add(speaker.id)
        for word, ids in last_words.items():
            if len(ids) == 1 and word not in by_name:
                by_name[word] = next(iter(ids))
        self._ids = {_key(name): speaker for name, speaker in by_name.items()}
        names = sorted(by_name, key=len, reverse=True)
        alternatives = "|".join(_SEPARATOR.join(map(re.escape, n.split())) for n in names)
        self.pattern = f"(?P<name>{alternatives}){_AFTER_NAME}" if names else None

    def speaker(self, name: str) -> int | None:
        return self._ids.get(_key(name))

    def subject(self, sentence: str) -> int | None:
        """The speaker a sentence is about: the one it starts with ("Former minister Abbas
        Basir, …"), or the one it gives speech to ("…,” Basir said."), if any."""
        if self.pattern is None:
            return None
        match = (
            re.match(rf"\W*{_LEAD}{_TITLE}{self.pattern}", sentence)
            or re.search(rf"{self.pattern}\s+{_ADVERBS}{_VERB}\b", sentence)
            or re.search(rf"\b{_VERB}\s+{_TITLE}{self.pattern}", sentence)
        )
        return self.speaker(match["name"]) if match else None


def _key(name: str) -> str:
    return " ".join(re.findall(r"[^\W\d_]+", name.replace("’", "'").replace("'", ""))).lower()


def find_quotations(body: str, speakers: Sequence[Speaker]) -> list[Found]:
    """The quotations of ``body`` (Markdown, English) attributed to ``speakers``, in
    order; each passage once."""
    names = _Names(speakers)
    if names.pattern is None:
        return []
    paragraphs = paragraphs_of(body)
    found: list[Found] = []
    seen: set[str] = set()
    previous: tuple[_Quote, int] | None = None  # the last attributed quotation, its speaker
    for quote in _quotes(paragraphs):
        if len(quote.text.split()) < MIN_WORDS:
            continue
        speaker = _attribute(quote, paragraphs, names)
        if speaker is None and previous is not None:
            speaker = _continued(quote, previous, paragraphs, names)
        if speaker is None:
            previous = None
            continue
        previous = (quote, speaker)
        passage = quote.text.rstrip(",;: ")
        if passage not in seen:
            seen.add(passage)
            found.append(Found(speaker, passage, quote.paragraph))
    return found


def _quotes(paragraphs: list[str]) -> list[_Quote]:
    """Every quotation: an opening mark to its closing mark; one left open at the end of
    its paragraph goes on where the next paragraph opens with a mark."""
    quotes = []
    index, position = 0, 0
    while index < len(paragraphs):
        text = paragraphs[index]
        start = _next_opening(text, position)
        if start is None:
            index, position = index + 1, 0
            continue
        closing = _closing_index(text, start)
        if closing is not None:
            quotes.append(_Quote(index, start, closing + 1, index, text[start + 1 : closing]))
            position = closing + 1
            continue
        # Open at the end of the paragraph: continued by paragraphs that open with a mark.
        pieces, last, end = [text[start + 1 :].strip()], index, None
        while last + 1 < len(paragraphs) and paragraphs[last + 1][:1] in _OPENING:
            last += 1
            following = paragraphs[last]
            closing = _closing_index(following, 0)
            if closing is not None:
                pieces.append(following[1:closing])
                end = closing + 1
                break
            pieces.append(following[1:].strip())
        if end is None:
            index, position = index + 1, 0  # never closed: no quotation
            continue
        quotes.append(_Quote(index, start, end, last, " ".join(pieces)))
        index, position = last, end
    return quotes


def _next_opening(text: str, position: int) -> int | None:
    for index in range(position, len(text)):
        char = text[index]
        # A straight quotation mark opens where a word starts after it.
        if char in "“«" or (
            char == '"' and index + 1 < len(text) and not text[index + 1].isspace()
        ):
            return index
    return None


def _closing_index(text: str, start: int) -> int | None:
    opening = text[start]
    closing = {"“": "”", "«": "»", '"': '"'}[opening]
    index = text.find(closing, start + 1)
    if opening == "“":
        straight = text.find('"', start + 1)
        if index == -1 or (straight != -1 and straight < index):
            index = straight if index == -1 else index
    return index if index != -1 else None


def _attribute(quote: _Quote, paragraphs: list[str], names: _Names) -> int | None:
    first, last = paragraphs[quote.paragraph], paragraphs[quote.last_paragraph]
    after = last[quote.end :]
    before = first[: quote.start]
    paragraph = quote.paragraph
    if not before.strip() and quote.paragraph > 0:
        # A paragraph that is the quotation, after one that ends "Basir said:".
        introduction = paragraphs[quote.paragraph - 1]
        if introduction.rstrip().endswith(":"):
            before, paragraph = introduction, quote.paragraph - 1
    ends_speech = quote.text.rstrip()[-1:] in ",.?!…—-" or after[:1] in ",.?!"
    name = names.pattern
    if ends_speech:
        after_patterns = (
            rf"^[,.]?\s+{_VERB}\s+{_TITLE}{name}",
            rf"^[,.]?\s+{_TITLE}{name}\s+{_ADVERBS}{_VERB}\b",
            rf"^[,.]?\s+according\s+to\s+{_TITLE}{name}",
        )
        for pattern in after_patterns:
            if match := re.match(pattern, after):
                return names.speaker(match["name"])
        if re.match(rf"^[,.]?\s+{_PRONOUN}\s+{_ADVERBS}{_VERB}\b", after):
            own = first[: quote.start]
            return _pronoun_speaker(quote.paragraph, own, paragraphs, names)
    before_patterns = (
        rf"(?:^|[.!?]\s+){_LEAD}{_TITLE}{name}(?:,[^,“”\"]{{1,150}},)?\s+{_ADVERBS}"
        rf"{_VERB}\b[^.!?“”\"]{{0,60}}[:,]\s*$",
        rf"(?:^|[.!?]\s+)[Aa]ccording\s+to\s+{_TITLE}{name},?\s*$",
    )
    for pattern in before_patterns:
        if match := re.search(pattern, before):
            return names.speaker(match["name"])
    pronoun = rf"(?:^|[.!?]\s+|,\s+){_PRONOUN}\s+{_ADVERBS}{_VERB}\b[^.!?“”\"]{{0,60}}[:,]\s*$"
    if match := re.search(pronoun, before):
        return _pronoun_speaker(paragraph, before[: match.start()], paragraphs, names)
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[“\"A-Z])")


def _pronoun_speaker(paragraph: int, before: str, paragraphs: list[str], names) -> int | None:
    """Whom "he" or "she" stands for, in paragraph ``paragraph`` whose text before the
    attribution is ``before``: the one speaker named there, or if nothing is said there,
    in the paragraph before; and only if the nearest sentence that gives speech to anyone
    gives it to them. Nobody if two speakers are named, or someone unnamed speaks."""
    texts = [before]
    if paragraph > 0:
        texts.append(paragraphs[paragraph - 1])
    for text in texts:
        named = {names.speaker(m["name"]) for m in re.finditer(names.pattern, text)}
        speaks = re.search(rf"\b{_VERB}\b|[“”\"]", text)
        if len(named) > 1:
            return None
        if not named:
            if speaks:
                return None  # someone unnamed speaks, or is quoted
            continue
        (speaker,) = named
        for sentence in reversed(_SENTENCE_END.split(text.strip())):
            if names.subject(sentence) == speaker:
                return speaker
            if re.search(rf"\b{_VERB}\b|[“”\"]", sentence):
                return None
        return None
    return None


def _continued(quote: _Quote, previous: tuple[_Quote, int], paragraphs, names) -> int | None:
    """A later quotation of the paragraph whose last quotation was attributed, with
    nothing between them but that attribution ("he said.", "said Basir.") or words that
    give speech to no one: the same speaker's."""
    earlier, speaker = previous
    if earlier.last_paragraph != quote.paragraph:
        return None
    between = paragraphs[quote.paragraph][earlier.end : quote.start]
    speaker_words = rf"(?:{_PRONOUN}|{_TITLE}{names.pattern})"
    rest = r"\b[^.!?“”\"]*[.!?]?\s*"
    attribution = re.fullmatch(
        rf"[,.]?\s+{speaker_words}\s+{_ADVERBS}{_VERB}{rest}", between
    ) or re.fullmatch(rf"[,.]?\s+{_VERB}\s+{speaker_words}{rest}", between)
    if attribution:
        named = attribution["name"]
        return speaker if named is None or names.speaker(named) == speaker else None
    if re.search(names.pattern, between) or re.search(rf"\b(?:according\s+to|{_VERB})\b", between):
        return None
    return speaker

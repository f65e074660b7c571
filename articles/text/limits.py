"""What an article's text may hold, checked wherever it is written (the admin's form and
preview, the importer): a body the renderer renders within bounds (markdown_cost.py), and
words the search index can hold."""

import itertools
import re
from collections import Counter

from articles.text.markdown_cost import markdown_hazard

# PostgreSQL refuses a tsvector whose lexemes and positions take more than 1 MiB ("string
# is too long for tsvector"); the article's search vector holds its title, standfirst and
# body, and each pair of adjacent words among the first PAIRED_POSITIONS
# (articles/db/sql/vectors.sql). The estimate below is an upper bound, within a few per
# cent for plain words.
MAX_SEARCH_BYTES = 1_000_000
# PostgreSQL counts positions up to 16,383, where every later word stands; words at
# consecutive positions before it are paired.
PAIRED_POSITIONS = 16_382
# Text of fewer bytes than this cannot reach the limit: it makes at most about five bytes
# of lexemes and positions a byte (one-letter parts of hyphenated words), and its pairs
# about twice that again.
_SMALL_ENOUGH = MAX_SEARCH_BYTES // 16
_TOKEN = re.compile(r"\S+")
_WORD_PART = re.compile(r"[^\W_]+")


def article_text_refusal(title: str, standfirst: str, body: str) -> str | None:
    """Why an article with this text cannot be written, or None."""
    if hazard := markdown_hazard(body):
        return f"the body {hazard}"
    return search_overflow(title, standfirst, body)


def search_overflow(*texts: str) -> str | None:
    """Why these texts together make more words than the search index holds, or None."""
    text = "\n".join(texts)
    if len(text.encode()) <= _SMALL_ENOUGH:
        return None
    tokens = _TOKEN.findall(text)
    estimate, in_order = 0, []
    for token, count in Counter(tokens).items():
        estimate += sum(
            len(lexeme.encode()) + 3 + 2 * min(count, 256) for lexeme in _lexemes(token)
        )
    for token in tokens:
        in_order += _lexemes(token)
        if len(in_order) >= PAIRED_POSITIONS:
            break
    in_order = in_order[:PAIRED_POSITIONS]
    pairs = Counter(itertools.pairwise(in_order))
    estimate += sum(
        len(first.encode()) + 1 + len(second.encode()) + 3 + 2 * min(count, 256)
        for (first, second), count in pairs.items()
    )
    words = len(set(tokens))
    if estimate <= MAX_SEARCH_BYTES:
        return None
    return (
        f"the text has {words:,} distinct words, about {estimate:,} bytes for the search "
        f"index, which holds at most {MAX_SEARCH_BYTES:,}"
    )


def _lexemes(token: str) -> list[str]:
    """The lexemes PostgreSQL's parser makes of a token, at most: the token and, for a
    compound (a URL, a hyphenated word…), its parts, each at a position of its own; each
    keeps up to 256 positions."""
    parts = _WORD_PART.findall(token)
    return [token, *parts] if parts != [token] else [token]

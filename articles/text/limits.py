"""What an article's text may hold, checked wherever it is written (the admin's form and
preview, the importer): a body the renderer renders within bounds (markdown_cost.py), and
words the search index can hold."""

import itertools
import re
from collections import Counter

from articles.text.markdown_cost import markdown_hazard

# PostgreSQL refuses a tsvector whose lexemes and positions take more than 1 MiB ("string
# is too long for tsvector"); the article's pair vector holds the words of its title,
# standfirst and body and each pair of adjacent words among the first 16,382 (where
# PostgreSQL stops counting positions: articles/db/sql/vectors.sql). The estimate below is
# an upper bound, within a few per cent for plain words.
MAX_SEARCH_BYTES = 1_000_000
LAST_PAIRED_POSITION = 16_382
# Text of fewer bytes than this cannot reach the limit: it makes at most about five bytes
# of lexemes and positions a byte (one-letter parts of hyphenated words), and its pairs as
# many again.
_SMALL_ENOUGH = MAX_SEARCH_BYTES // 12
_TOKEN = re.compile(r"\S+")
_WORD_PART = re.compile(r"[^\W_]+")


def article_text_refusal(title: str, standfirst: str, body: str) -> str | None:
    """Why an article with this text cannot be written, or None."""
    if hazard := markdown_hazard(body):
        return f"the body {hazard}"
    return search_overflow(title, standfirst, body)


def _lexemes(token: str) -> list[str]:
    """The lexemes PostgreSQL's parser makes of a token, each at a position of its own:
    the token and, for a compound (a URL, a hyphenated word…), its parts too."""
    parts = _WORD_PART.findall(token)
    return [token, *parts] if parts != [token] else [token]


def _vector_bytes(lexemes: Counter) -> int:
    """The bytes of a tsvector of these lexemes, each with up to 256 positions."""
    return sum(len(lexeme.encode()) + 3 + 2 * min(count, 256) for lexeme, count in lexemes.items())


def search_overflow(*texts: str) -> str | None:
    """Why these texts together make more words than the search index holds, or None."""
    text = "\n".join(texts)
    if len(text.encode()) <= _SMALL_ENOUGH:
        return None
    tokens = _TOKEN.findall(text)
    lexemes = [lexeme for token in tokens for lexeme in _lexemes(token)]
    paired = lexemes[:LAST_PAIRED_POSITION]
    pairs = Counter(f"{first} {second}" for first, second in itertools.pairwise(paired))
    words = Counter(lexemes)
    estimate = _vector_bytes(words) + _vector_bytes(pairs)
    if estimate <= MAX_SEARCH_BYTES:
        return None
    return (
        f"the text has {len(set(tokens)):,} distinct words, about {estimate:,} bytes for the "
        f"search index, which holds at most {MAX_SEARCH_BYTES:,}"
    )

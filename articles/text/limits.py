"""What an article's text may hold, checked wherever it is written (the admin's form and
preview, the importer): a body the renderer renders within bounds (markdown_cost.py), and
words the search index can hold."""

import re
from collections import Counter

from articles.text.markdown_cost import markdown_hazard

# PostgreSQL refuses a tsvector whose lexemes and positions take more than 1 MiB ("string
# is too long for tsvector"); the article's search vector holds its title, standfirst and
# body. The estimate below is an upper bound, within a few per cent for plain words.
MAX_SEARCH_BYTES = 1_000_000
# Text of fewer bytes than this cannot reach the limit: it makes at most about five bytes
# of lexemes and positions a byte (one-letter parts of hyphenated words).
_SMALL_ENOUGH = MAX_SEARCH_BYTES // 6
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
    estimate, words = 0, 0
    for token, count in Counter(_TOKEN.findall(text)).items():
        # PostgreSQL's parser makes a lexeme of a token and, for a compound (a URL, a
        # hyphenated word…), of its parts too; each lexeme keeps up to 256 positions.
        parts = _WORD_PART.findall(token)
        lexemes = [token, *parts] if parts != [token] else [token]
        estimate += sum(len(lexeme.encode()) for lexeme in lexemes)
        estimate += len(lexemes) * (3 + 2 * min(count, 256))
        words += 1
    if estimate <= MAX_SEARCH_BYTES:
        return None
    return (
        f"the text has {words:,} distinct words, about {estimate:,} bytes for the search "
        f"index, which holds at most {MAX_SEARCH_BYTES:,}"
    )

"""Text typed by people into one clean line, never refused: search boxes, filters."""

import unicodedata


def clean_text(value: str, max_length: int) -> str:
    """``value`` as NFKC text on one line: control characters, NUL bytes, surrogates and
    private-use characters become spaces, runs of spaces one space; at most ``max_length``
    characters."""
    text = unicodedata.normalize("NFKC", value)
    text = "".join(" " if unicodedata.category(c) in {"Cc", "Cs", "Co"} else c for c in text)
    return " ".join(text.split())[:max_length].strip()

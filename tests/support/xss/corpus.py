"""The XSS payload corpus in payloads.txt, and ways of packing it into length-limited fields."""

from functools import cache
from pathlib import Path

CORPUS_FILE = Path(__file__).with_name("payloads.txt")
COMMENT = "%%"
LINE_BREAK, TAB = "⏎", "⇥"


@cache
def payloads() -> tuple[str, ...]:
    """Every payload, in file order, with its line breaks and tabs restored."""
    # Split on "\n" only: some payloads hold U+2028/U+2029, which splitlines() would break.
    lines = CORPUS_FILE.read_text(encoding="utf-8").split("\n")
    return tuple(
        line.replace(LINE_BREAK, "\n").replace(TAB, "\t")
        for line in lines
        if line and not line.startswith(COMMENT)
    )


def packed(items: list[str] | tuple[str, ...], limit: int, separator: str = " ") -> list[list[str]]:
    """``items`` in order, grouped so that each group joined by ``separator`` fits ``limit``
    characters (an item longer than ``limit`` gets a group of its own)."""
    groups: list[list[str]] = []
    for item in items:
        if groups and len(separator.join([*groups[-1], item])) <= limit:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def chunks(items: tuple[str, ...], count: int) -> list[list[str]]:
    """``items`` in ``count`` contiguous, nearly equal parts."""
    size = -(-len(items) // count)
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def shortest(group: list[str], limit: int) -> str:
    """The shortest payload of ``group``, cut to ``limit`` characters if even that is longer."""
    return min(group, key=len)[:limit]


def as_markdown(group: list[str]) -> str:
    """A Markdown body carrying each payload as a block of its own, mid-sentence and as a
    list item: the places where Markdown treats raw HTML and link syntax differently."""
    blocks = ["Hostile text, as a reader would see it."]
    blocks += group
    blocks.append(" ".join(f"Before {payload} after." for payload in group))
    blocks.append("\n".join(f"- {payload}" for payload in group if "\n" not in payload))
    return "\n\n".join(blocks)

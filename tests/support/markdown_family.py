"""Markdown bodies that make Python-Markdown recurse or work super-linearly, for the tests
(tests/text/test_markdown_bounds.py) and the benchmark's render row (bench/run.py).

Each member repeats a construct until the body reaches a given length; `AT_THE_LIMITS`
holds bodies just inside each of the renderer's hard limits, which must render as
Markdown."""

from collections.abc import Callable

PARAGRAPH = (
    "Delegations from [Kabul](https://example.org/kabul) and Islamabad met in **Doha** on "
    "Monday, a *senior border official* said, after fighting near the Torkham crossing "
    'killed at least 10 people. "The situation was tense but under control," he told '
    "reporters; trade worth millions of dollars had been lost (about $3m a day) & more."
)
_NORMAL_BLOCKS = [
    "# Talks resume in Doha",
    PARAGRAPH,
    "## At the border",
    PARAGRAPH,
    "- Flour and [fuel](https://example.org/fuel)\n- Medicine\n- Cooking oil",
    "> A quotation from a *tribal* leader.",
    "| Day | Trucks |\n|---|---|\n| Monday | 40 |\n| Tuesday | 55 |",
    PARAGRAPH,
]


def normal_article(length: int) -> str:
    """An article of about ``length`` characters in the Markdown editors write."""
    blocks, size = [], 0
    while size < length:
        block = _NORMAL_BLOCKS[len(blocks) % len(_NORMAL_BLOCKS)]
        blocks.append(block)
        size += len(block) + 2
    return "\n\n".join(blocks)


def _repeated(unit: str, head: str = "", tail: str = "") -> Callable[[int], str]:
    return lambda length: head + unit * max(1, (length - len(head) - len(tail)) // len(unit)) + tail


def _nested(opening: str, middle: str, closing: str) -> Callable[[int], str]:
    def build(length: int) -> str:
        count = max(1, (length - len(middle)) // (len(opening) + len(closing)))
        return opening * count + middle + closing * count

    return build


def _lines(make_line: Callable[[int], str]) -> Callable[[int], str]:
    def build(length: int) -> str:
        lines, size = [], 0
        while size < length:
            lines.append(make_line(len(lines)))
            size += len(lines[-1]) + 1
        return "\n".join(lines)

    return build


PATHOLOGICAL: dict[str, Callable[[int], str]] = {
    # nesting: Python-Markdown recurses a few frames a level
    "definitions without blank lines": _repeated("a\n: b\n"),
    "nested lists by indentation": _lines(lambda n: "    " * n + "- x"),
    "nested numbered lists": _lines(lambda n: "    " * n + "1. x"),
    "nested definitions by indentation": _lines(lambda n: "    " * (n // 2) + ("a", ": b")[n % 2]),
    "lists opened on one line": _repeated("* ", tail="x"),
    "numbered lists on one line": _repeated("1. ", tail="x"),
    "quotations and lists on one line": _repeated("> - ", tail="x"),
    "deepening quotations": _lines(lambda n: ">" * n + " x"),
    "quotation marks": _repeated(">", tail=" x"),
    "lists opened in a footnote": _repeated("- ", head="x[^1]\n\n[^1]: ", tail="x"),
    "lists opened after a markdown div": _repeated("- ", head='<div markdown="1">', tail="x"),
    "indented lists opened after a markdown div": _repeated("\t- ", head='<div markdown="1">'),
    "emphasis nested in a run": _nested("*", "a", "*"),
    "strong nested in a run": _nested("_", "a", "_"),
    "markdown divs nested": _nested('<div markdown="1">\n', "x\n", "</div>\n"),
    "html elements nested": _nested("<blockquote>", "x", "</blockquote>"),
    "html list items nested": _repeated("<ul><li>"),
    # brackets and parentheses read on to their match, or the paragraph's end
    "open brackets": _repeated("["),
    "open image brackets": _repeated("!["),
    "nested brackets": _nested("[", "a", "]"),
    "nested links": _nested("[", "a", "](b)"),
    "links never closed": _repeated("[a]("),
    "link destinations in angle brackets": _repeated("[a](<"),
    "image references never closed": _repeated("![a]["),
    "brackets on many lines": _repeated("[\n"),
    "code spans in links": _nested("[`", "x", "`]"),
    "emphasised links": _nested("*[", "x", "](y)*"),
    "an escaped paragraph in brackets": _repeated("\\*", head="["),
    "brackets closed only by escaped ']'": _repeated("[\\]"),
    "brackets closed only in code spans": _repeated("\n`]#####\\`![", head="- ["),
    # each inline match rebuilds its paragraph's text
    "entities": _repeated("&amp;"),
    "emphasis": _repeated("*a"),
    "code spans": _repeated("`a"),
    "code spans of growing length": _lines(lambda n: "`" * (n + 1)),
    "code spans opened after escapes": _repeated("\\``"),
    "a first line of '`' and '|'": _repeated("`|", tail="\nx"),
    "inline html": _repeated("<span>"),
    "escapes": _repeated("\\\\"),
    # a block found inside a paragraph splits the rest of it off
    "rules without blank lines": _lines(lambda n: "---"),
    "setext headings without blank lines": _repeated("a\n=\n"),
    "setext subheadings without blank lines": _repeated("a\n-\n"),
    "headings without blank lines": _lines(lambda n: "# h"),
    "definitions of one term": _repeated(": b\n", head="a\n"),
    "definitions inside a list item": _repeated("\n     : ===", head="1. ---"),
    "headings inside a list item": _repeated("\n     # h", head="1. x"),
    "abbreviation definitions": _lines(lambda n: f"*[A{n}]: t"),
    # "<" that opens no tag on its line makes the HTML parser read on
    "unclosed tags": _repeated("<a "),
    "unclosed tags across paragraphs": _repeated("<a x\n\n"),
    "unclosed attribute quotes": _repeated('<a x="\n\n'),
    "tag openings": _repeated("<a"),
    "autolinks never closed": _repeated("<http://"),
    "quoted closing brackets": _repeated('<a x=">" '),
    "cdata never closed": _repeated("<![CDATA["),
    "comments never closed": _repeated("<!--\n\n"),
    # extensions: table of contents, footnotes, abbreviations, attribute lists
    "headings of one name": _repeated("# h\n\n"),
    "table of contents markers": _repeated("[TOC]\n\n", head="# a\n\n# b\n\n" * 300),
    "footnotes": _repeated("x[^1]\n\n[^1]: y\n\n"),
    "footnote references": _repeated(" x[^1]", tail="\n\n[^1]: y"),
    "abbreviations used": _repeated("A ", head="*[A]: t\n\n"),
    "line breaks in a paragraph": _repeated("\nx    "),
    "paragraphs under an abbreviation": _repeated("word word word\n\n", head="*[A]: t\n\n"),
    # text copied into the page at each use
    "a long heading in many tables of contents": _repeated("\n\n[TOC]", head="# " + "h" * 5_000),
    "a long abbreviation title used often": _repeated("A ", head="*[A]: " + "t" * 5_000 + "\n\n"),
    "a long link definition used often": _repeated("[r] ", head="[r]: " + "u" * 5_000 + "\n\n"),
    "spaces before a heading's end": _repeated(" ", head="# +", tail="'"),
    "tabs before a heading's end": _repeated("\t", head="# + ", tail="'"),
    "spaces after a fence": _repeated(" ", head="~~~", tail="x"),
    "attribute lists": _lines(lambda n: f"# h {{: #i{n} .c }}"),
    "attribute lists in a heading not at its end": _repeated("{: .c}      ", head="# ", tail="&"),
    # many small elements
    "table rows": _repeated("x|y\n", head="a|b\n-|-\n"),
    "table cells": _repeated("|x"),
    "paragraphs of one letter": _repeated("a\n\n"),
    "list items": _repeated("- x\n"),
    "loose list items": _repeated("- x\n\n"),
    "definitions": _repeated("a\n: b\n\n"),
    "fences": _repeated("```\n"),
}

# The issue's own examples: 500 lines of "a" / ": b", and 20,000 "[".
ISSUE_EXAMPLES = {
    "definitions without blank lines (the issue's)": "a\n: b\n" * 500,
    "open brackets (the issue's)": "[" * 20_000,
}

AT_THE_LIMITS = {
    "lists 20 deep": "\n".join("    " * n + "- x" for n in range(20)),
    "quotations 20 deep": ">" * 20 + " x",
    "lists opened 19 times on one line": "* " * 19 + "x",
    "20 definitions in a paragraph": "a\n: b\n" * 20,
    "brackets 20 deep": "[" * 20 + "a" + "]" * 20,
    "links 20 deep": "[" * 20 + "a" + "](b)" * 20,
    "a run of 100 stars": "*" * 100 + "a" + "*" * 100,
    "html elements 1,000 deep": "<blockquote>" * 1_000 + "x" + "</blockquote>" * 1_000,
    "markdown divs 50 deep": '<div markdown="1">\n' * 50 + "x\n" + "</div>\n" * 50,
    "1,000 headings of one name": "\n\n".join("## Update" for n in range(1000)),
    "100 abbreviations": "\n".join(f"*[AB{n}]: t{n}" for n in range(100))
    + "\n\n"
    + " ".join(f"AB{n}" for n in range(100)),
}


def pathological_bodies(length: int) -> dict[str, str]:
    """Every member at about ``length`` characters, and the issue's examples."""
    return {name: build(length) for name, build in PATHOLOGICAL.items()} | ISSUE_EXAMPLES

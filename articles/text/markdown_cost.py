"""The work a Markdown body would make the renderer do, measured before it is done.

Python-Markdown (articles/text/markdown.py) recurses a few frames for each level of nesting,
and on some texts its work grows with the square of a paragraph's length: each "[" reads
on to its "]", each inline mark rebuilds the paragraph's text, each heading or rule found
inside a paragraph splits the rest of it off and tests it again, each "<" that opens no
tag on its line makes the HTML parser read on to the end of the body. A few kilobytes
could take minutes, or exhaust Python's stack.

`markdown_hazard` measures the features that drive that work with string counts and
regular expressions that run in time linear in the body's length, estimates the work in
*units* (a unit: rendering one character of plain prose), and says what would make
rendering too slow or too deep. The admin's form and preview and the importer refuse such
a body with that reason; one stored anyway is rendered as plain paragraphs.
"""

import itertools
import math
import re
from collections.abc import Callable, Iterator
from operator import methodcaller

# The deepest nesting of lists, quotations and indentation on a line, of definitions in
# a paragraph (each nests in the one before) and of brackets: Python-Markdown exhausts
# the stack at a few hundred levels.
MAX_NESTING = 20
# The deepest nesting of raw HTML elements: the sanitiser's work grows with its square;
# and of those with a markdown attribute, whose content Python-Markdown parses by
# recursing a few frames a level.
MAX_HTML_NESTING = 1_000
MAX_MARKDOWN_HTML_NESTING = 50
# A run of "*" or "_" inside a line nests emphasis a level every three marks.
MAX_EMPHASIS_RUN = 100
MAX_ABBREVIATIONS = 100
MAX_ABBREVIATION_CHARS = 100

# A body may cost this many units a character (an article of prose, links and lists
# about 2.5, a table of short cells 10 or more), at least MIN_BUDGET and never more than
# MAX_BUDGET.
UNITS_PER_CHAR = 20
MIN_BUDGET = 10_000
MAX_BUDGET = 6_000_000

# What each feature costs, in units.
LINE = 40
# Per square of the number of paragraphs: the parser takes each from the front of the
# list of those left, moving all the others.
PARAGRAPH_SQUARE = 1 / 1500
MARK = 15  # each of MARKS: a possible inline element
CELL = 40  # each "|": a possible table cell
CONTAINER_MARKER = 40  # each list, quotation or definition marker opening a line
FOOTNOTE = 40
FOOTNOTE_SQUARE = 1.5  # per square of their number: each looks through those before it
# Text copied into the page: each [TOC] marker becomes a copy of the table of contents
# (per heading, and per character of the headings), each use of an abbreviation carries
# its title, and each link to a reference definition its address and title.
TOC_COPY = 6
ABBREVIATION_USE = 25
ABBREVIATION_SCAN = 1 / 200  # per abbreviation, per character: one expression of them all
RUN = 1 / 40  # per square of a run of one character: expressions retry from each
REBUILD = 1 / 500  # per mark, per character of its paragraph: a match rebuilds its text
# Per square of a paragraph's inline elements: each one's place among its siblings is
# looked up in a list of them all (and, with abbreviations, each block's in the body's).
CHILDREN_SQUARE = 1 / 30
PEEL = 1 / 20  # per block line, per character of its paragraph: it splits the rest off
SCAN = 2 / 3  # per character a "[", a link's "(" or a "`" makes the parser read, in Python
TABLE_SPLIT = 1 / 20  # per square of a line's "`" and "|": a table's split pairs them
ATTRIBUTES = 1 / 5  # per "{", per character of its line: a search for an attribute list
UNCLOSED_TAG = 1 / 20  # per character of the body, for each "<" it reads on from
# Paragraphs this short are not measured one by one: their quadratic terms stay within
# the cost of their lines and marks.
SHORT_PARAGRAPH = 30

MARKS = "*_`[]()<>&\\{|"
# A mark, or a line break (two spaces ending a line); and those that can open an inline
# element (each element has one at least).
_MARK = re.compile("[" + re.escape(MARKS) + "]|  \n")
OPENING_MARKS = "*_`[<&\\{|"
_OPENING_MARK = re.compile("[" + re.escape(OPENING_MARKS) + "]|  \n")
# Runs are found from a sample of every RUN_STRIDE-th character: any run twice that long
# holds two samples; a shorter one costs at most RUN * (2 * RUN_STRIDE) ** 2, 25 units.
RUN_STRIDE = 16
_SAME = re.compile(r"(.)\1*", re.DOTALL)
# A line's leading list, quotation and definition markers (not a rule like "* * *").
_CONTAINER_PREFIX = re.compile(
    r"^(?![ ]{0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,})[ ]*$)"
    r"[ ]*(?:(?:>|[*+:-](?=[ ])|\d{1,9}[.)](?=[ ])|\[\^[^\]\n]*\]:)[ ]*)+",
    re.MULTILINE,
)
_CONTAINER_MARKERS = ">*+-:.)"
# The markers that open a container where a tag with a markdown attribute ends.
_MARKER_RUN = re.compile(r"[ ]*(?:(?:>|[*+:-](?=[ ])|\d{1,9}[.)](?=[ ]))[ ]*)+")
# Lines that may open a definition or another block, at any indentation: inside a list
# item or a definition, the indentation that places them there is taken off first.
_DEFINITION = re.compile(r"^[ ]*:[ ]{1,3}", re.MULTILINE)
_BLOCK_LINE = re.compile(r"^[ ]*(?:[#>:=|<+*-]|\d{1,9}[.)]|`{3}|~{3}|\[)", re.MULTILINE)
# A heading's line: "# Text", or a line of text above a line of "=" or "-".
_HEADING = re.compile(r"^[ ]{0,3}#.*$|^.+$(?=\n[ ]{0,3}(?:=+|-+)[ ]*$)", re.MULTILINE)
_EMPHASIS_RUN = re.compile(
    rf"(?<!\*)\*{{{MAX_EMPHASIS_RUN + 1},}}|(?<!_)_{{{MAX_EMPHASIS_RUN + 1},}}"
)
_RULE = re.compile(r"[ ]*(?:[-*_][ ]*)+")
_ABBREVIATION = re.compile(r"^\*\[([^\\\n]*?)\][ ]?:[ ]*\n?[ ]*(.*)$", re.MULTILINE)
_REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:.*$(?:\n[ ]*[\"'(].*$)?", re.MULTILINE)
_TAG_OPENING = re.compile(r"</?[A-Za-z]")
# A tag the HTML parser closes on its own line (quoted values hold no "<" or line break,
# so that they cannot make it read on).
_CLOSED_TAG = re.compile(r"""</?[A-Za-z][^\n<>"']*+(?:(?:"[^"\n<]*+"|'[^'\n<]*+')[^\n<>"']*+)*+>""")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>")
# Elements that hold no content, or that the HTML parser closes by itself.
_UNNESTED_ELEMENTS = {
    "area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link",
    "meta", "option", "p", "param", "source", "td", "th", "tr", "track", "wbr",
}  # fmt: skip
_BRACKET = re.compile(r"[\[\]]")
_LINK_PAREN = re.compile(r"\]\(|[()]")
_QUOTE = re.compile(r"""["']""")
_AFTER_QUOTE = {quote: re.compile(quote + r"[ ]*\)") for quote in "\"'"}
_BACKTICKS = re.compile(r"`+")


def markdown_hazard(source: str) -> str | None:
    """What would make rendering ``source`` too slow or too deep, said of the body
    ("would take too long to render: …", "is nested 25 levels deep at line 3 …"), or
    None when it renders within bounds."""
    text = normalise(source)
    try:
        _measure(text, _Budget(text))
    except _Refused as refusal:
        return refusal.reason
    return None


def normalise(source: str) -> str:
    """The text as Python-Markdown reads it (its own whitespace normalisation)."""
    text = source.replace("\x02", "").replace("\x03", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    return re.sub(r"(?<=\n) +\n", "\n", text) if " \n" in text else text


class _Refused(Exception):
    def __init__(self, reason: str):
        self.reason = reason


class _Budget:
    """Units spent so far; refuses as soon as they pass the body's budget."""

    def __init__(self, text: str):
        self.text = text
        self.limit = min(MAX_BUDGET, max(MIN_BUDGET, UNITS_PER_CHAR * len(text)))
        self.spent = 0.0

    def spend(self, units: float, what: str | Callable[[], str]) -> None:
        self.spent += units
        if self.spent > self.limit:
            raise _Refused(
                f"would take too long to render: {what if isinstance(what, str) else what()}"
            )

    @property
    def left(self) -> float:
        return self.limit - self.spent

    def line_of(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1


def _measure(text: str, budget: _Budget) -> None:
    """Nesting first, refused at its limits whatever the budget; then the costs, cheapest
    first, so that a body far over budget is refused before the measures that take a step
    per mark or per paragraph."""
    paragraphs = text.split("\n\n")
    _check_emphasis_runs(text, budget)
    _check_definitions(text, paragraphs, budget)
    _measure_containers(text, budget)
    _measure_html(text, budget)
    chars, lines = len(text), text.count("\n") + 1
    budget.spend(chars + LINE * lines, f"{lines:,} lines in {chars:,} characters")
    marks = sum(map(text.count, MARKS)) + text.count("  \n")
    budget.spend(
        MARK * marks + (CELL - MARK) * text.count("|"),
        f"{marks:,} of the marks {' '.join(MARKS)} in {chars:,} characters",
    )
    budget.spend(PARAGRAPH_SQUARE * len(paragraphs) ** 2, f"{len(paragraphs):,} paragraphs")
    _measure_runs(text, budget)
    _measure_extensions(text, budget)
    longest = max(map(len, paragraphs))
    _measure_paragraphs(text, paragraphs, longest, marks, budget)
    # Each "[", link "(" and "`" reads on at most to its paragraph's end (each "{" to its
    # line's end): the exact sums take a step per bracket (or line), and are measured only
    # when that bound would take more than half of what is left of the budget.
    brackets = text.count("[")
    deepest = max(map(methodcaller("count", "["), paragraphs)) if brackets > MAX_NESTING else 0
    _bound_or_measure(
        SCAN * brackets * longest if deepest <= MAX_NESTING else math.inf,
        lambda: _measure_brackets(paragraphs, budget),
        budget,
    )
    _bound_or_measure(
        SCAN * text.count("](") * longest, lambda: _measure_link_parens(paragraphs, budget), budget
    )
    _bound_or_measure(
        SCAN * text.count("`") * longest, lambda: _measure_code_spans(paragraphs, budget), budget
    )
    lines = text.split("\n")
    longest_line = max(map(len, lines))
    table_and_attributes = TABLE_SPLIT * (text.count("`") + text.count("|"))
    table_and_attributes += ATTRIBUTES * text.count("{")
    _bound_or_measure(
        longest_line * table_and_attributes, lambda: _measure_lines(lines, budget), budget
    )


def _bound_or_measure(bound: float, measure: Callable[[], None], budget: _Budget) -> None:
    """Spends ``bound`` if that leaves half of the budget, else what ``measure`` finds."""
    if bound <= budget.left / 2:
        budget.spend(bound, "")
    else:
        measure()


def _measure_runs(text: str, budget: _Budget) -> None:
    runs = _long_runs(text)

    def longest() -> str:
        start, length = max(runs, key=lambda run: run[1])
        return f"a run of {length:,} {text[start]!r} at line {budget.line_of(start)}"

    budget.spend(RUN * sum(length * length for _, length in runs), longest)


def _check_emphasis_runs(text: str, budget: _Budget) -> None:
    too_long = MAX_EMPHASIS_RUN + 1
    if "*" * too_long not in text and "_" * too_long not in text:
        return
    for run in _EMPHASIS_RUN.finditer(text):
        start = text.rfind("\n", 0, run.start()) + 1
        end = text.find("\n", run.end())
        if not _RULE.fullmatch(text, start, len(text) if end < 0 else end):
            raise _Refused(
                f"has a run of {len(run.group()):,} '{run.group()[0]}' at line "
                f"{budget.line_of(run.start())} (at most {MAX_EMPHASIS_RUN})"
            )


def _long_runs(text: str) -> list[tuple[int, int]]:
    """The runs of one character at least twice RUN_STRIDE long, as (start, length)."""
    samples = text[::RUN_STRIDE]
    runs: list[tuple[int, int]] = []
    covered = 0
    for index, (before, after) in enumerate(itertools.pairwise(samples), 1):
        position = index * RUN_STRIDE
        if before != after or position < covered:
            continue
        start = position - RUN_STRIDE
        end = _SAME.match(text, start).end()
        if end <= position:  # the samples match, the characters between them do not
            continue
        # The run starts less than a stride before: else the samples before would match.
        while start > 0 and text[start - 1] == before:
            start -= 1
        runs.append((start, end - start))
        covered = end
    return runs


def _measure_containers(text: str, budget: _Budget) -> None:
    """Lists, quotations and definitions: what their markers cost, and how deep they nest
    (a marker or four spaces of indentation a level), at a line's start and after a
    footnote's label (and after a tag with a markdown attribute: _measure_html)."""
    prefixes = _CONTAINER_PREFIX.findall(text)
    if len(max(prefixes, key=len, default="")) > MAX_NESTING:
        for prefix in _CONTAINER_PREFIX.finditer(text):
            _check_nesting(_container_levels(prefix.group()), prefix.start(), budget)
    joined = "".join(prefixes)
    markers = sum(map(joined.count, _CONTAINER_MARKERS))
    budget.spend(CONTAINER_MARKER * markers, f"{markers:,} list, quotation or definition markers")


def _container_levels(prefix: str) -> int:
    """The containers a line's prefix opens: a marker, or four spaces of indentation, a
    level."""
    indentation = len(prefix) - len(prefix.lstrip(" "))
    return sum(map(prefix.count, _CONTAINER_MARKERS)) + indentation // 4


def _check_definitions(text: str, paragraphs: list[str], budget: _Budget) -> None:
    """Definitions without a blank line between them nest each in the one before."""
    if ":" not in text or len(_DEFINITION.findall(text)) <= MAX_NESTING:
        return
    position = 0
    for paragraph in paragraphs:
        if ":" in paragraph and (count := len(_DEFINITION.findall(paragraph))) > MAX_NESTING:
            raise _Refused(
                f"has {count} definitions without blank lines between them in the paragraph "
                f"at line {budget.line_of(position)}; each nests in the one before (at most "
                f"{MAX_NESTING})"
            )
        position += len(paragraph) + 2


def _check_nesting(levels: int, position: int, budget: _Budget) -> None:
    if levels > MAX_NESTING:
        raise _Refused(
            f"is nested {levels} levels deep at line {budget.line_of(position)} "
            f"(lists, quotations, indentation; at most {MAX_NESTING})"
        )


def _measure_extensions(text: str, budget: _Budget) -> None:
    """Headings with their table of contents, footnotes, abbreviations and references."""
    if markers := text.count("[TOC]"):
        headings = _HEADING.findall(text)
        copied = TOC_COPY * len(headings) + sum(map(len, headings))
        budget.spend(
            markers * copied,
            f"{markers:,} [TOC] markers, each a copy of {len(headings):,} headings",
        )
    references = text.count("[^")
    budget.spend(
        FOOTNOTE * references + FOOTNOTE_SQUARE * references**2, f"{references:,} footnotes"
    )
    abbreviations = dict(_ABBREVIATION.findall(text)) if "*[" in text else {}
    if len(abbreviations) > MAX_ABBREVIATIONS:
        raise _Refused(
            f"defines {len(abbreviations):,} abbreviations (at most {MAX_ABBREVIATIONS})"
        )
    if any(len(name) > MAX_ABBREVIATION_CHARS for name in abbreviations):
        raise _Refused(f"defines an abbreviation longer than {MAX_ABBREVIATION_CHARS} characters")
    uses = {name: text.count(name) for name in abbreviations if name}
    blocks = text.count("\n\n") + len(_BLOCK_LINE.findall(text)) if uses else 0
    budget.spend(
        sum(count * (ABBREVIATION_USE + len(abbreviations[name])) for name, count in uses.items())
        + ABBREVIATION_SCAN * len(uses) * len(text)
        + CHILDREN_SQUARE * blocks * blocks,
        f"{len(uses):,} abbreviations used {sum(uses.values()):,} times in {blocks:,} blocks",
    )
    if "]:" in text and (definitions := _REFERENCE.findall(text)):
        longest = max(map(len, definitions))
        links = text.count("[")
        budget.spend(
            links * longest,
            f"{links:,} '[' that may each copy a link definition of {longest:,} characters",
        )


def _measure_html(text: str, budget: _Budget) -> None:
    """Raw HTML: the "<" the HTML parser reads on from, and elements nested deep."""
    if "<" not in text:
        return
    open_elements: list[bool] = []  # for each open element, whether it has markdown="…"
    markdown_depth = 0
    for tag in _HTML_TAG.finditer(text):
        closing, name, self_closing = tag.groups()
        if self_closing or name.lower() in _UNNESTED_ELEMENTS:
            continue
        if closing:
            markdown_depth -= open_elements.pop() if open_elements else 0
            continue
        open_elements.append("markdown" in tag.group())
        markdown_depth += open_elements[-1]
        if open_elements[-1] and (run := _MARKER_RUN.match(text, tag.end())):
            levels = _container_levels(run.group())
            budget.spend(CONTAINER_MARKER * levels, "list or quotation markers")
            _check_nesting(levels, run.start(), budget)
        if len(open_elements) > MAX_HTML_NESTING or markdown_depth > MAX_MARKDOWN_HTML_NESTING:
            raise _Refused(
                f"nests HTML elements {len(open_elements)} deep ({markdown_depth} with a "
                f"markdown attribute) at line {budget.line_of(tag.start())} (at most "
                f"{MAX_HTML_NESTING:,}, and {MAX_MARKDOWN_HTML_NESTING} with the attribute)"
            )
    unclosed = len(_TAG_OPENING.findall(text)) - len(_CLOSED_TAG.findall(text))
    unclosed += _unclosed(text, "<!--", "-->") + _unclosed(text, "<![CDATA[", "]]>")
    budget.spend(
        UNCLOSED_TAG * unclosed * len(text),
        f"{unclosed:,} '<' open an HTML tag that does not close on its line, or a comment "
        "or CDATA section that never closes (write &lt; for a plain '<')",
    )


def _unclosed(text: str, opening: str, closing: str) -> int:
    """How many ``opening`` have no ``closing`` after them."""
    position = text.find(opening)
    while position >= 0:
        end = text.find(closing, position + len(opening))
        if end < 0:
            return text.count(opening, position)
        position = text.find(opening, end + len(closing))
    return 0


def _measure_paragraphs(
    text: str, paragraphs: list[str], longest: int, marks: int, budget: _Budget
) -> None:
    """Marks and blocks cost with the length of their paragraph. The longest paragraph
    bounds them all: they are measured paragraph by paragraph only when that bound would
    take more than half of what is left of the budget."""

    def measure() -> None:
        position = 0
        for paragraph in paragraphs:
            if len(paragraph) > SHORT_PARAGRAPH:
                _measure_paragraph(paragraph, position, budget)
            position += len(paragraph) + 2

    blocks = len(_BLOCK_LINE.findall(text))
    openings = sum(map(text.count, OPENING_MARKS)) + text.count("  \n")
    bound = longest * (REBUILD * marks + CHILDREN_SQUARE * openings + PEEL * blocks)
    _bound_or_measure(bound, measure, budget)


def _measure_paragraph(paragraph: str, position: int, budget: _Budget) -> None:
    length = len(paragraph)

    def where() -> str:
        return f"the paragraph at line {budget.line_of(position)}"

    blocks = len(_BLOCK_LINE.findall(paragraph))
    budget.spend(
        PEEL * blocks * length,
        lambda: (
            f"{where()} has {blocks:,} headings, rules, list items or other blocks "
            "without blank lines between them"
        ),
    )
    marks = len(_MARK.findall(paragraph))
    children = len(_OPENING_MARK.findall(paragraph))
    budget.spend(
        REBUILD * marks * length + CHILDREN_SQUARE * children * children,
        lambda: (
            f"{where()} has {marks:,} marks in {length:,} characters: split it with blank lines"
        ),
    )


def _measure_brackets(paragraphs: list[str], budget: _Budget) -> None:
    """Each "[" makes the parser read on to its "]", or to its paragraph's end: summed,
    the characters inside each open bracket. A "]" in a code span or after a backslash
    closes none: those are taken out of the text before links are looked for."""
    for paragraph, position in _with_positions(paragraphs):
        if "[" in paragraph:
            _measure_paragraph_brackets(paragraph, _paragraph_at(position, budget), budget)


def _measure_paragraph_brackets(paragraph: str, where: Callable[[], str], budget: _Budget) -> None:
    closes = _closing(paragraph, "]")
    depth, last = 0, 0
    opened: list[int] = []  # the open "[", as indexes into brackets
    brackets = list(_BRACKET.finditer(paragraph))
    matched = [False] * len(brackets)
    for index, token in enumerate(brackets):
        budget.spend(
            SCAN * depth * (token.start() - last),
            lambda: f"{where()} has '[' that close far away or never",
        )
        last = token.start()
        if token.group() == "[":
            depth += 1
            opened.append(index)
        elif depth and closes(token.start()):
            depth -= 1
            matched[opened.pop()] = matched[index] = True
    budget.spend(
        SCAN * depth * (len(paragraph) - last),
        lambda: f"{where()} has {depth:,} '[' that never close",
    )
    # Link texts are parsed by recursing: brackets that close nest, those that do not
    # only cost their reading.
    nesting = 0
    for index, token in enumerate(brackets):
        if matched[index]:
            nesting += 1 if token.group() == "[" else -1
            if nesting > MAX_NESTING:
                raise _Refused(f"nests brackets more than {MAX_NESTING} deep in {where()}")


def _measure_link_parens(paragraphs: list[str], budget: _Budget) -> None:
    """A link's "(" makes the parser read on to its ")"; after a quote (a title), to a
    ")" just after the same quote; or to its paragraph's end."""
    for paragraph, position in _with_positions(paragraphs):
        if "](" in paragraph:
            _measure_paragraph_links(paragraph, _paragraph_at(position, budget), budget)


def _measure_paragraph_links(paragraph: str, where: Callable[[], str], budget: _Budget) -> None:
    closes = _closing(paragraph, ")")
    opened: list[int] = []  # where each open parenthesis's link starts; -1 if not a link's
    for token in _LINK_PAREN.finditer(paragraph):
        if token.group() == "](":
            opened.append(token.end())
        elif token.group() == "(":
            opened.append(-1)
        elif opened and closes(token.start()) and (start := opened.pop()) >= 0:
            budget.spend(
                SCAN * (_link_end(paragraph, start, token.end()) - start),
                lambda: f"{where()} has a link whose '(' closes far away",
            )
    unclosed = sum(len(paragraph) - start for start in opened if start >= 0)
    budget.spend(SCAN * unclosed, lambda: f"{where()} has links whose '(' never close")


def _measure_code_spans(paragraphs: list[str], budget: _Budget) -> None:
    for paragraph, position in _with_positions(paragraphs):
        if "`" in paragraph:
            budget.spend(
                SCAN * _code_spans(paragraph)[1],
                _paragraph_at(position, budget, "has '`' that open code spans closed far away"),
            )


def _code_spans(paragraph: str) -> tuple[list[tuple[int, int]], int]:
    """The code spans Python-Markdown finds in a paragraph, and the characters it reads,
    in Python, to find them: from each run of "`" (less one after a backslash) to the next
    run of that length, which closes the span, or to the paragraph's end; the next run it
    tries is the one after. Where it would close a span with a shorter run instead, the
    span is taken to reach the paragraph's end (an upper bound of what it hides)."""
    runs = [(run.start(), run.end()) for run in _BACKTICKS.finditer(paragraph)]
    opening = [end - start - _escaped(paragraph, start) for start, end in runs]
    following: dict[int, int] = {}  # a run's length: the index of the next run that long
    closing = [-1] * len(runs)
    shortest_after = [math.inf] * len(runs)
    shortest = math.inf
    for index in range(len(runs) - 1, -1, -1):
        closing[index] = following.get(opening[index], -1)
        shortest_after[index] = shortest
        length = runs[index][1] - runs[index][0]
        following[length] = index
        shortest = min(shortest, length)
    spans: list[tuple[int, int]] = []
    read, index = 0, 0
    while index < len(runs):
        start, close = runs[index][0], closing[index]
        if opening[index] and close >= 0:
            read += runs[close][0] - start
            spans.append((start, runs[close][1]))
            index = close + 1
            continue
        if opening[index]:
            read += len(paragraph) - start
            if shortest_after[index] < opening[index]:
                spans.append((start, len(paragraph)))
                break
        index += 1
    return spans, read


def _closing(paragraph: str, character: str) -> Callable[[int], bool]:
    """Whether the ``character`` at a position (met in order) closes a bracket: not in a
    code span, nor escaped by a backslash."""
    spans = _code_spans(paragraph)[0] if "`" in paragraph else []
    next_span = 0

    def closes(position: int) -> bool:
        nonlocal next_span
        while next_span < len(spans) and spans[next_span][1] <= position:
            next_span += 1
        in_span = next_span < len(spans) and spans[next_span][0] <= position
        return not in_span and not _escaped(paragraph, position)

    return closes


def _escaped(text: str, position: int) -> bool:
    """Whether an odd number of backslashes comes just before ``position`` (a long run of
    them is refused before this is asked)."""
    start = position
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (position - start) % 2 == 1


def _with_positions(paragraphs: list[str]) -> Iterator[tuple[str, int]]:
    position = 0
    for paragraph in paragraphs:
        yield paragraph, position
        position += len(paragraph) + 2


def _paragraph_at(position: int, budget: _Budget, what: str = "") -> Callable[[], str]:
    """Says "the paragraph at line N" (and ``what`` of it) when asked."""
    return lambda: f"the paragraph at line {budget.line_of(position)} {what}".rstrip()


def _measure_lines(lines: list[str], budget: _Budget) -> None:
    """Terms that grow with the square of a line's length. The first line of each
    paragraph, and each row of a table, is split into cells: each "`" is paired with the
    next of its length, each "|" tested against the pairs. A heading's (or a cell's) text
    is searched for an attribute list at its end from each "{" to the line's end."""
    position = 0
    for line in lines:
        marks = line.count("`") + line.count("|")
        braces = line.count("{")
        cells, attributes = TABLE_SPLIT * marks * marks, ATTRIBUTES * braces * len(line)

        def what(position=position, marks=marks, braces=braces, table=cells >= attributes):
            found = f"{marks:,} '`' and '|'" if table else f"{braces:,} '{{'"
            return f"line {budget.line_of(position)} has {found}"

        budget.spend(cells + attributes, what)
        position += len(line) + 1


def _link_end(text: str, start: int, end: int) -> int:
    quote = _QUOTE.search(text, start, end)
    if quote is None:
        return end
    paragraph_end = text.find("\n\n", end)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    after = _AFTER_QUOTE[quote.group()].search(text, quote.end(), paragraph_end)
    return after.end() if after else paragraph_end

"""The renderer: Markdown to sanitised HTML. Pages, the admin preview and feeds all use it."""

import html
import logging
import re
import threading
from collections import OrderedDict

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from articles.text.markdown_cost import markdown_hazard

logger = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
    "h5", "h6", "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _DemoteTitleHeadings(Treeprocessor):
    """The article's title is the page's only <h1>: a body's "# Heading" becomes an <h2>."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _ArticleHeadings(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteTitleHeadings(md), "demote_title_headings", 30)


_MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "toc", _ArticleHeadings()]


# Any change to the archive empties the page cache, and the pages rendered again render
# the same bodies again: the HTML of the texts rendered last is kept, for texts up to
# MEMO_MAX_CHARS long, up to MEMO_ENTRIES of them and MEMO_CHARS characters of text and
# HTML in all (HTML can be far longer than its text: each use of an abbreviation carries
# its title), so that a worker keeps at most about 17 MB of it (texts in Arabic script
# take two bytes a character).
MEMO_ENTRIES = 256
MEMO_MAX_CHARS = 16_384
MEMO_CHARS = 2 * MEMO_ENTRIES * MEMO_MAX_CHARS


class _Memo:
    """The HTML of the texts rendered last, least recently used first out."""

    def __init__(self):
        self._html: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()  # the development server renders in threads
        self.chars = 0

    def __len__(self) -> int:
        return len(self._html)

    def render(self, source: str) -> str:
        with self._lock:
            if (html := self._html.get(source)) is not None:
                self._html.move_to_end(source)
                return html
        html = _render(source)
        with self._lock:
            if source not in self._html:
                self._html[source] = html
                self.chars += len(source) + len(html)
                while self.chars > MEMO_CHARS or len(self._html) > MEMO_ENTRIES:
                    old_source, old_html = self._html.popitem(last=False)
                    self.chars -= len(old_source) + len(old_html)
        return html

    def clear(self) -> None:
        with self._lock:
            self._html.clear()
            self.chars = 0


memo = _Memo()


def render_markdown(source: str) -> str:
    """``source`` as sanitised HTML, taken from the memo when it was rendered recently."""
    if len(source) <= MEMO_MAX_CHARS:
        return memo.render(source)
    return _render(source)


def _render(source: str) -> str:
    """Bodies are refused when written if Markdown would render them too slowly or too
    deep (markdown_cost.py); one that got in anyway (by SQL, or before the check) is
    shown as plain paragraphs, as is one the library fails on, rather than a 500."""
    if hazard := markdown_hazard(source):
        logger.warning("A body shown as plain text: it %s", hazard)
        return plain_paragraphs(source)
    try:
        rendered = markdown.markdown(source, extensions=_MARKDOWN_EXTENSIONS)
    except Exception:  # RecursionError, or whatever else its input makes the library raise
        logger.warning("Markdown failed on a body, shown as plain text", exc_info=True)
        return plain_paragraphs(source)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def plain_paragraphs(source: str) -> str:
    """``source`` as escaped text, a paragraph for each run of lines between blank ones."""
    paragraphs = re.split(r"\n\s*\n", source.strip())
    return "\n".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs if paragraph)

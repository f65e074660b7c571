"""Search results' passages: ``ts_headline`` around the first place an article's text
holds the words (newsarchive_headline, articles/db/sql/headline.sql), made safe HTML with
the matches in <mark> elements. Used by the results page's query
(articles/search/queries.py)."""

import html
import re

from django.contrib.postgres.search import SearchHeadline
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils.safestring import SafeString, mark_safe

from articles.db.functions import text_search_config

# Private-use characters mark the matches in headlines: the headline is escaped first and
# only then are these replaced by <mark> tags.
_START, _STOP = "\ue000", "\ue001"
# Markdown syntax that would show as noise in a plain-text snippet: backslash escapes (kept
# as the escaped character), links and images (kept as their text), heading and quote
# markers, emphasis and code markers.
_MARKDOWN_NOISE = re.compile(
    r"\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|!?\[(?P<link>[^\]\n]*)\]\([^)\n]*\)"
    r"|(?:^|(?<=\s))(?:#{1,6}|>)(?=\s)"
    r"|\*{1,3}|`+"
)
# The characters every piece of that syntax holds: a passage without them is left as it is.
_MARKDOWN_MARKERS = re.compile(r"[\\\[#>*`]")


def highlight(headline: str) -> SafeString:
    """A headline from ``ts_headline`` as safe HTML: its Markdown syntax dropped, escaped,
    and only then its match markers turned into <mark> elements."""

    def plain(match: re.Match) -> str:
        return match["escaped"] or match["link"] or ""

    text = html.unescape(headline)
    if _MARKDOWN_MARKERS.search(text):
        text = _MARKDOWN_NOISE.sub(plain, text)
    text = html.escape(" ".join(text.split()), quote=False)
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


class Passage(SearchHeadline):
    """``ts_headline`` over the part of the text around the first of ``starts`` (a text of
    word beginnings; see word_beginnings), or over all of it when that part does not
    match: newsarchive_headline, articles/db/sql/headline.sql."""

    function = "newsarchive_headline"

    def __init__(self, expression, query, starts, *, config, start_sel, **options):
        super().__init__(expression, query, config=config, start_sel=start_sel, **options)
        mark = Value(start_sel, output_field=TextField())
        self.set_source_expressions([*self.get_source_expressions(), starts, mark])


def with_headlines(queryset: QuerySet, query, starts) -> QuerySet:
    """Headlines for the page only: PostgreSQL computes them after sorting and LIMIT."""
    return queryset.annotate(
        headline=Passage(
            Concat("standfirst", Value("\n\n"), "body", output_field=TextField()),
            query,
            starts,
            config=text_search_config(F("language")),
            start_sel=_START,
            stop_sel=_STOP,
            max_fragments=2,
            max_words=30,
            min_words=12,
            fragment_delimiter=" … ",
        )
    )

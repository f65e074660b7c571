"""Citing an article: as CSL-JSON (what citation processors and reference managers read),
formatted by citeproc-py in the styles the project ships (csl/: APA and MLA, from the
Citation Style Language project, CC BY-SA 3.0), as BibTeX and RIS, and as Highwire
``citation_*`` meta tags (what Zotero's connector reads from a page).

A date is cited no more precisely than it is known: late November 2025 is cited as
November 2025 (CSL date-parts [2025, 11], BibTeX ``month = nov``, RIS ``2025/11//``,
Highwire ``2025/11``), a year alone as the year.
"""

import functools
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nh3
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from articles.dates import date_parts, iso_with_precision
from articles.models import Article

STYLES_FOLDER = Path(__file__).resolve().parent / "csl"
# File name (without .csl) → the name readers know it by.
STYLES = {"apa": "APA", "modern-language-association": "MLA"}
PUBLISHER = "Newsarchive"
# Formatted references kept per process (a few hundred bytes each).
REFERENCES_KEPT = 1024
# What citeproc-py's HTML formatter writes; anything else in its output is text.
_FORMATTED_TAGS = {"i", "b", "sup", "sub"}
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


@dataclass(frozen=True)
class Reference:
    style: str
    html: SafeString


def article_date(article: Article):
    return article.published_at.date() if article.published_at else None


def csl_json(article: Article, url: str, keywords: Iterable[str] = ()) -> dict:
    """The article as one CSL-JSON item: a newspaper article of its source outlet, at its
    address in the archive."""
    item = {
        "id": article.slug,
        "type": "article-newspaper",
        "title": article.title,
        "URL": url,
        "language": article.language,
        "archive": PUBLISHER,
    }
    if article.source_name:
        item["container-title"] = article.source_name
    if article.byline:
        # Desk initials as often as a name: kept whole, never split into given and family.
        item["author"] = [{"literal": article.byline}]
    if day := article_date(article):
        item["issued"] = {"date-parts": [date_parts(day, article.date_precision)]}
    if article.standfirst:
        item["abstract"] = article.standfirst
    if keywords := ", ".join(keywords):
        item["keyword"] = keywords
    return item


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    """A shipped style, parsed once per process."""
    return CitationStylesStyle(str(STYLES_FOLDER / f"{name}.csl"), validate=False)


def _escaped(value):
    """Every text of a CSL-JSON value escaped for HTML: citeproc-py's HTML formatter
    writes the item's text as it is."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    return value


def formatted(item: dict) -> tuple[Reference, ...]:
    """The reference in each shipped style, as HTML (titles in italics)."""
    return _formatted(json.dumps(item, ensure_ascii=False, sort_keys=True))


@functools.lru_cache(maxsize=REFERENCES_KEPT)
def _formatted(item_json: str) -> tuple[Reference, ...]:
    """Kept per item, since citeproc-py takes milliseconds a style and a change to the
    archive empties the page cache, when the same article pages are made again."""
    escaped = _escaped(json.loads(item_json))
    references = []
    for name, label in STYLES.items():
        bibliography = CitationStylesBibliography(
            _style(name), CiteProcJSON([escaped]), citeproc_formatter.html
        )
        bibliography.register(Citation([CitationItem(escaped["id"])]))
        text = str(bibliography.bibliography()[0])
        # The text was escaped before formatting; this keeps the formatter's own tags only.
        clean = nh3.clean(text, tags=_FORMATTED_TAGS, attributes={})
        references.append(Reference(label, mark_safe(clean)))  # noqa: S308 (sanitised)
    return tuple(references)


# BibTeX

_BIBTEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)


def _bibtex_text(text: str) -> str:
    return " ".join(text.split()).translate(_BIBTEX_SPECIAL)


def bibtex(article: Article, url: str, keywords: Iterable[str] = ()) -> str:
    """One ``@article`` entry (biblatex's newspaper subtype), keyed by the slug, in UTF-8."""
    fields = [("title", f"{{{_bibtex_text(article.title)}}}")]
    if article.byline:
        # Double braces: a corporate or initials author, not first and last names.
        fields.append(("author", f"{{{{{_bibtex_text(article.byline)}}}}}"))
    if article.source_name:
        fields.append(("journal", f"{{{_bibtex_text(article.source_name)}}}"))
    fields.append(("entrysubtype", "{newspaper}"))
    if day := article_date(article):
        parts = date_parts(day, article.date_precision)
        fields.append(("year", f"{{{parts[0]}}}"))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
        if len(parts) > 2:
            fields.append(("day", f"{{{parts[2]}}}"))
    fields.append(("url", f"{{{_bibtex_text(url)}}}"))
    fields.append(("language", f"{{{_bibtex_text(article.language)}}}"))
    if article.standfirst:
        fields.append(("abstract", f"{{{_bibtex_text(article.standfirst)}}}"))
    if keywords := ", ".join(keywords):
        fields.append(("keywords", f"{{{_bibtex_text(keywords)}}}"))
    fields.append(("organization", f"{{{PUBLISHER}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@article{{{article.slug},\n{body}\n}}\n"


# RIS


def _ris_date(parts: list[int], words: str) -> str:
    """YYYY/MM/DD/other: the parts not known left empty, the date in words after."""
    year, month, day = [*parts, None, None][:3]
    month_text = "" if month is None else f"{month:02}"
    day_text = "" if day is None else f"{day:02}"
    return f"{year:04}/{month_text}/{day_text}/{words}"


def _ris_text(text: str) -> str:
    return " ".join(text.split())


def ris(article: Article, url: str, keywords: Iterable[str] = ()) -> str:
    """One RIS record of type NEWS, its lines ended by CR LF as the format asks."""
    lines = [("TY", "NEWS"), ("TI", article.title)]
    if article.byline:
        lines.append(("AU", article.byline))
    if article.source_name:
        lines.append(("T2", article.source_name))
    if day := article_date(article):
        parts = date_parts(day, article.date_precision)
        # A reference manager's record is in English whichever page offered it, as the
        # styled references are.
        with translation.override(settings.LANGUAGE_CODE):
            lines += [("PY", str(parts[0])), ("DA", _ris_date(parts, article.display_date))]
    lines += [("UR", url), ("LA", article.language)]
    if article.standfirst:
        lines.append(("AB", article.standfirst))
    lines += [("KW", keyword) for keyword in keywords]
    lines += [("DB", PUBLISHER), ("ER", "")]
    return "".join(f"{tag}  - {_ris_text(value)}\r\n" for tag, value in lines)


# Highwire meta tags


def highwire_tags(article: Article, url: str, keywords: Iterable[str] = ()) -> list[tuple]:
    """(name, content) pairs for ``<meta name=… content=…>``: what Zotero's connector
    and Google Scholar read from a page. No citation_journal_title: with it, readers file
    a news article as a journal's."""
    tags = [("citation_title", article.title)]
    if article.byline:
        tags.append(("citation_author", article.byline))
    if day := article_date(article):
        published = iso_with_precision(day, article.date_precision).replace("-", "/")
        tags += [("citation_publication_date", published), ("citation_date", published)]
    if article.source_name:
        tags.append(("citation_publisher", article.source_name))
    tags += [
        ("citation_language", article.language),
        ("citation_public_url", url),
        ("citation_fulltext_html_url", url),
    ]
    if article.standfirst:
        tags.append(("citation_abstract", article.standfirst))
    tags += [("citation_keywords", keyword) for keyword in keywords]
    return tags


def csl_json_file(article: Article, url: str, keywords: Iterable[str] = ()) -> str:
    """CSL-JSON as a file holds it: a list of items."""
    return json.dumps([csl_json(article, url, keywords)], ensure_ascii=False, indent=2) + "\n"

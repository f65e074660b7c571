"""What an article or entity page tells machines about itself: schema.org JSON-LD (what
search engines read), OpenGraph and Twitter-card tags (link previews), and for articles
the Highwire tags and citations of citations.py.

A date is published no more precisely than it is known (articles/dates.py
``iso_with_precision``): a day as 2025-11-03, a month or a part of one as 2025-11 (ISO
8601 and schema.org have no "late November"), a year as 2025. The API and the exports
carry the precision itself and the first and last days the date may be.
"""

import json
from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

from articles import kinds
from articles.dates import iso_with_precision
from articles.models import Article, Entity
from articles.reader.citations import csl_json, formatted, highwire_tags

SITE_NAME = "Newsarchive"
# The characters that could end a <script> element or open a comment in it, as JSON escapes.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
DESCRIPTION_WORDS = 40


def json_ld_script(data: dict) -> SafeString:
    """``data`` as the text of a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)
    return mark_safe(text)  # noqa: S308 (nothing in it can close the element)


def _reference(kind: str, name: str, url: str) -> dict:
    return {"@type": kinds.BY_VALUE[kind].schema_type, "@id": url, "name": name, "url": url}


def _description(text: str) -> str:
    words = text.split()
    return " ".join(words[:DESCRIPTION_WORDS]) + (" …" if len(words) > DESCRIPTION_WORDS else "")


def article_json_ld(article: Article, absolute: Callable[[str], str]) -> dict:
    """A ``NewsArticle``: its source outlet as publisher, its byline as author, and the
    entities it is tagged with, ``about`` those its file or an editor declared and
    ``mentions`` those found in its text. ``absolute`` makes a path an absolute URL."""
    url = absolute(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": url,
        "headline": article.title,
        "inLanguage": article.language,
        "isAccessibleForFree": True,
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.published_at:
        data["datePublished"] = iso_with_precision(
            article.published_at.date(), article.date_precision
        )
    data["dateModified"] = article.updated_at.isoformat()
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.source_name:
        publisher = {"@type": "Organization", "name": article.source_name}
        data["publisher"] = publisher
        if not article.byline:
            data["author"] = publisher
    if article.source_url:
        data["isBasedOn"] = article.source_url
    data["provider"] = {"@type": "Organization", "name": SITE_NAME, "url": absolute("/")}
    about, mentions = [], []
    for mention in article.mentions.all():
        entity = mention.entity
        chosen = mention.origin != mention.Origin.TEXT
        reference = _reference(entity.kind, entity.name, absolute(entity.get_absolute_url()))
        (about if chosen else mentions).append(reference)
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    return data


def entity_json_ld(entity: Entity, absolute: Callable[[str], str]) -> dict:
    """A ``Person``, ``Place`` (with ``geo``), ``Organization`` or ``Event`` (with its
    dates, ``location`` and participants as ``attendee``), from an entity annotated by
    ``with_names_and_links()``."""
    url = absolute(entity.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": kinds.BY_VALUE[entity.kind].schema_type,
        "@id": url,
        "url": url,
        "name": entity.name,
    }
    if entity.alias_names:
        data["alternateName"] = list(entity.alias_names)
    if entity.description:
        data["description"] = entity.description
    if entity.role:
        data["jobTitle"] = entity.role
    if entity.has_coordinates:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": entity.latitude,
            "longitude": entity.longitude,
        }
    if entity.country:
        data["containedInPlace"] = {"@type": "Country", "name": entity.country}
    if entity.start_date:
        data["startDate"] = iso_with_precision(entity.start_date, entity.start_precision)
    if entity.end_date:
        data["endDate"] = iso_with_precision(entity.end_date, entity.end_precision)
    if places := entity.event_places:
        data["location"] = [
            _reference(p.kind, p.name, absolute(p.get_absolute_url())) for p in places
        ]
    if participants := entity.event_participants:
        data["attendee"] = [
            _reference(p.kind, p.name, absolute(p.get_absolute_url())) for p in participants
        ]
    return data


def link_preview(kind: str, title: str, description: str, url: str) -> list[tuple[str, str]]:
    """OpenGraph (``property``) and Twitter-card (``name``) tags, as (attribute name,
    value) pairs, without an image: the archive has none."""
    return [
        ("og:type", kind),
        ("og:site_name", SITE_NAME),
        ("og:title", title),
        ("og:description", _description(description)),
        ("og:url", url),
        ("twitter:card", "summary"),
        ("twitter:title", title),
        ("twitter:description", _description(description)),
    ]


def article_metadata(article: Article, absolute: Callable[[str], str]) -> dict:
    """Everything an article page publishes about itself, for its template: link
    preview, article and Highwire tags, JSON-LD, and its references."""
    url = absolute(article.get_absolute_url())
    keywords = [mention.entity.name for mention in article.mentions.all()]
    preview = link_preview("article", article.title, article.standfirst or article.title, url)
    if article.published_at:
        day = iso_with_precision(article.published_at.date(), article.date_precision)
        preview.append(("article:published_time", day))
    preview.append(("article:modified_time", article.updated_at.isoformat()))
    preview += [("article:tag", keyword) for keyword in keywords]
    return {
        "link_preview": preview,
        "citation_tags": highwire_tags(article, url, keywords),
        "json_ld": json_ld_script(article_json_ld(article, absolute)),
        "references": formatted(csl_json(article, url, keywords)),
    }


def entity_metadata(entity: Entity, absolute: Callable[[str], str]) -> dict:
    url = absolute(entity.get_absolute_url())
    preview = link_preview("website", entity.name, entity.description or entity.name, url)
    return {
        "link_preview": preview,
        "json_ld": json_ld_script(entity_json_ld(entity, absolute)),
    }

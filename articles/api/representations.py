"""Articles, entities and search results as the API answers them: plain dicts in the
shapes of schemas.py, with absolute addresses (``absolute`` makes a path one)."""

import functools
import json
from collections.abc import Callable

from django.urls import get_script_prefix, reverse
from django.utils import translation

from articles import kinds
from articles.dates import format_with_precision, iso_with_precision, span
from articles.models import Article, Entity
from articles.models.links import EntityLink, slug_url
from articles.reader.citations import csl_json
from articles.search.results import SearchPage

Absolute = Callable[[str], str]


def api_path(kind_or_article: str, slug: str) -> str:
    return slug_url(f"api:{kind_or_article}_detail", slug)


def path_of(viewname: str) -> str:
    """``reverse(viewname)``, resolved once per script prefix and language."""
    return _path_of(viewname, get_script_prefix(), translation.get_language())


@functools.cache
def _path_of(viewname: str, script_prefix: str, language: str) -> str:
    return reverse(viewname)


def entity_ref(link: EntityLink, absolute: Absolute) -> dict:
    return {
        "kind": link.kind,
        "slug": link.slug,
        "name": link.name,
        "url": absolute(link.get_absolute_url()),
        "api_url": absolute(api_path(link.kind, link.slug)),
    }


def dated(value, precision: str) -> dict:
    earliest, latest = span(value, precision)
    return {
        "date": iso_with_precision(value, precision),
        "precision": precision,
        "text": format_with_precision(value, precision),
        "earliest": earliest,
        "latest": latest,
    }


def _main_tags(data) -> list[EntityLink]:
    # Rows read by the search's compiled statements hold each tag as JSON text.
    return [EntityLink(**(json.loads(tag) if isinstance(tag, str) else tag)) for tag in data]


def article_summary(article: Article, absolute: Absolute) -> dict:
    """An article as lists show it: from ``cards()`` (its main people and places)."""
    return {
        "slug": article.slug,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": absolute(article.get_absolute_url()),
        "api_url": absolute(api_path("article", article.slug)),
        "published": dated(article.published_at.date(), article.date_precision),
        "source": {"name": article.source_name, "url": article.source_url},
        "byline": article.byline,
        "language": article.language,
        "inferred_fields": list(article.inferred_fields),
        "main_people": [entity_ref(tag, absolute) for tag in _main_tags(article.main_people_data)],
        "main_places": [entity_ref(tag, absolute) for tag in _main_tags(article.main_places_data)],
    }


def article_detail(article: Article, absolute: Absolute) -> dict:
    """The whole article: from ``with_mentions()`` and ``with_main_tags()``, and the
    time its file was last imported (``imported_at``)."""
    url = absolute(article.get_absolute_url())
    tags: dict[str, list[dict]] = {kind: [] for kind in kinds.VALUES}
    for mention in article.mentions.all():
        entity = mention.entity
        reference = entity_ref(EntityLink(entity.kind, entity.slug, entity.name), absolute)
        tags[entity.kind].append({**reference, "mentions": mention.count, "origin": mention.origin})
    keywords = [mention.entity.name for mention in article.mentions.all()]
    cite = {
        name: absolute(slug_url(f"articles:article_{name}", article.slug))
        for name in ("csl_json", "bibtex", "ris")
    }
    return {
        **article_summary(article, absolute),
        "body": article.body,
        "body_html": article.body_html,
        "tags": tags,
        "provenance": {
            "source_file": article.source_file,
            "checksum": article.checksum,
            "sidecar_checksum": article.sidecar_checksum,
            "imported_at": article.imported_at,
            "updated_at": article.updated_at,
        },
        "citation": csl_json(article, url, keywords),
        "formats": cite,
    }


def entity_data(entity: Entity, absolute: Absolute) -> dict:
    """An entity, from ``with_names_and_links()`` and ``with_article_counts()``: what
    every entity has, and what its kind has."""
    link = EntityLink(entity.kind, entity.slug, entity.name)
    query = f"?{entity.kind}={entity.slug}"
    data = {
        **entity_ref(link, absolute),
        "description": entity.description,
        "aliases": list(entity.alias_names),
        "article_count": entity.article_count,
        "feed_url": absolute(slug_url(f"articles:{entity.kind}_feed", entity.slug)),
        "exports": {
            "csv": absolute(path_of("articles:search_export_csv") + query),
            "jsonl": absolute(path_of("articles:search_export_jsonl") + query),
        },
    }
    fields = kinds.BY_VALUE[entity.kind].fields
    if "role" in fields:
        data["role"] = entity.role
    if "country" in fields:
        data["country"] = entity.country
    if "latitude" in fields:
        data["coordinates"] = (
            {"latitude": entity.latitude, "longitude": entity.longitude}
            if entity.has_coordinates
            else None
        )
    if "start_date" in fields:
        data["start"] = entity.start_date and dated(entity.start_date, entity.start_precision)
        data["end"] = entity.end_date and dated(entity.end_date, entity.end_precision)
    if "places" in fields:
        data["places"] = [entity_ref(place, absolute) for place in entity.event_places]
        data["participants"] = [entity_ref(p, absolute) for p in entity.event_participants]
    return data


def api_url_of(page_url: str, absolute: Absolute) -> str:
    """The API's search address for a search page address (the same parameters)."""
    _path, _, query = page_url.partition("?")
    return absolute(path_of("api:search") + (f"?{query}" if query else ""))


def search_results(results: SearchPage, absolute: Absolute, page_link) -> dict:
    """The results as the API answers them; ``page_link(n)`` is page n's address."""
    page = results.page
    hits = []
    for article in page.object_list if page else []:
        hits.append({**article_summary(article, absolute), "snippet_html": article.snippet})
    named = []
    for entity in results.named_entities:
        link = EntityLink(entity.kind, entity.slug, entity.name)
        named.append(
            {
                **entity_ref(link, absolute),
                "spelling": entity.spelling,
                "article_count": entity.article_count,
            }
        )
    facets = []
    for facet in results.facets:
        values = [
            {
                "label": value.label,
                "count": value.count,
                "active": value.active,
                "url": absolute(value.url),
                "api_url": api_url_of(value.url, absolute),
            }
            for value in facet.values
        ]
        facets.append({"name": facet.name, "title": facet.title, "values": values})
    return {
        "count": results.count,
        "count_kind": results.count_kind,
        "facets_count": results.sample,
        "page": page.number if page else 1,
        "pages": page.paginator.num_pages if page else 1,
        "next": page_link(page.next_page_number()) if page and page.has_next() else None,
        "previous": (
            page_link(page.previous_page_number()) if page and page.has_previous() else None
        ),
        "results": hits,
        "named_entities": named,
        "facets": facets,
        "did_you_mean": [
            {
                "text": suggestion.text,
                "url": absolute(suggestion.url),
                "api_url": api_url_of(suggestion.url, absolute),
            }
            for suggestion in results.did_you_mean
        ],
    }

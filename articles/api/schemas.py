"""What the API answers and the parameters it reads: the contract its OpenAPI schema
publishes (pydantic models, through django-ninja), and which every response is checked
against before it is sent."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel, create_model

from articles import kinds
from articles.api import cursors
from articles.dates import DatePrecision
from articles.languages import CODE, MAX_CODE_LENGTH
from articles.search.criteria import MAX_FILTERS_PER_KIND, MAX_QUERY_LENGTH
from articles.search.forms import MAX_SLUG_LENGTH, MAX_SOURCE_LENGTH, MAX_YEAR, MIN_YEAR

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# A slug as the archive makes them; anything else names no article or entity.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
LANGUAGE_PATTERN = CODE.pattern
# Text with no control characters: a NUL byte is refused before any view runs.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG_LENGTH)]
Precision = Literal[tuple(DatePrecision.values)]
Kind = Literal[kinds.VALUES]


# Parameters. Their names are the search page's own (articles/search/forms.py), which
# parses them for the API as for the page; the page cache keys each answer by them.


class Filters(Schema):
    q: str = Field(
        "",
        max_length=MAX_QUERY_LENGTH,
        pattern=TEXT_PATTERN,
        description='Words, in web search syntax: "a phrase", OR, -word. A name in any '
        "spelling or script also finds the articles tagged with that entity.",
    )
    person: list[Slug] = Field(
        [], max_length=MAX_FILTERS_PER_KIND, description="Tagged with this person (slug)."
    )
    place: list[Slug] = Field([], max_length=MAX_FILTERS_PER_KIND, description="Place slug.")
    event: list[Slug] = Field([], max_length=MAX_FILTERS_PER_KIND, description="Event slug.")
    organisation: list[Slug] = Field(
        [], max_length=MAX_FILTERS_PER_KIND, description="Organisation slug."
    )
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="Published that year.")
    source: str = Field(
        "",
        max_length=MAX_SOURCE_LENGTH,
        pattern=TEXT_PATTERN,
        description="The source outlet, as articles name it (DW).",
    )
    since: datetime.date | None = Field(
        None,
        alias="from",
        description="Dated on or after this day, at its precision: an article dated late "
        "November 2025 is after 21 November, not after 25 November.",
    )
    until: datetime.date | None = Field(
        None,
        alias="to",
        description="Dated on or before this day, at its precision (before from: the two "
        "are swapped).",
    )
    language: str = Field(
        "",
        max_length=MAX_CODE_LENGTH,
        pattern=f"({LANGUAGE_PATTERN})|^$",
        description="Written in this language: a BCP 47 code, as articles give it (en, ps, "
        "fa-AF for Dari, ur). Its case does not matter, and prs is fa-AF.",
    )


class ListParameters(Filters):
    cursor: str = Field(
        "",
        pattern=f"({cursors.ARTICLE_CURSOR})|^$",
        description="Where the previous page stopped: its next_cursor.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items a page.")


class EntityListParameters(Schema):
    cursor: str = Field(
        "",
        pattern=f"({cursors.ENTITY_CURSOR})|^$",
        description="Where the previous page stopped: its next_cursor.",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items a page.")


class SearchParameters(Filters):
    sort: Literal["", "relevance", "newest", "oldest"] = Field(
        "", description="The order: relevance (the default, with words) or newest or oldest first."
    )
    page: int = Field(1, ge=1, le=100_000, description="Page of the ranked results.")


# Answers: plain pydantic models, validated from the dicts representations.py makes
# (ninja's Schema reads attributes of model instances, which these never are).


class Answer(BaseModel):
    pass


class Index(Answer):
    articles: str
    search: str
    entities: dict[Kind, str]
    openapi: str
    docs: str


class Problem(Answer):
    parameter: str
    message: str


class Error(Answer):
    detail: str
    problems: list[Problem] = []


class EntityRef(Answer):
    kind: Kind
    slug: str
    name: str
    url: str = Field(description="Its page in the archive.")
    api_url: str


class Tag(EntityRef):
    mentions: int = Field(description="How many times the article's text names it.")
    origin: Literal["text", "declared", "editor"] = Field(
        description="Found in the text, declared by the file imported, or added by an editor."
    )


class DateWithPrecision(Answer):
    date: str = Field(
        description="ISO 8601, no more precise than known: 2025-11-03, 2025-11 (a month or "
        "part of one), 2025."
    )
    precision: Precision
    text: str = Field(description="As the archive shows it: late November 2025.")
    earliest: datetime.date = Field(description="The first day it may be.")
    latest: datetime.date = Field(description="The last day it may be.")


class Source(Answer):
    name: str
    url: str


class ArticleSummary(Answer):
    slug: str
    title: str
    standfirst: str
    url: str = Field(description="Its page in the archive.")
    api_url: str
    published: DateWithPrecision
    source: Source
    byline: str
    language: str
    inferred_fields: list[str] = Field(
        description="Fields the archive worked out rather than the source gave."
    )
    main_people: list[EntityRef]
    main_places: list[EntityRef]


class Provenance(Answer):
    source_file: str = Field(description="The file it was imported from; empty if written here.")
    checksum: str = Field(description="SHA-256 of that file.")
    sidecar_checksum: str = Field(description="SHA-256 of its sidecar, if it had one.")
    imported_at: datetime.datetime | None = Field(description="When its file was last imported.")
    updated_at: datetime.datetime


class Formats(Answer):
    csl_json: str
    bibtex: str
    ris: str


class ArticleDetail(ArticleSummary):
    body: str = Field(description="The text, in Markdown.")
    body_html: str = Field(description="The text rendered and sanitised, as the page shows it.")
    tags: dict[Kind, list[Tag]] = Field(description="The entities it is tagged with, by kind.")
    provenance: Provenance
    citation: dict = Field(description="The article as CSL-JSON, for citation processors.")
    formats: Formats


class Coordinates(Answer):
    latitude: float
    longitude: float


class Entity(EntityRef):
    description: str
    aliases: list[str] = Field(description="Other spellings, in every script.")
    article_count: int = Field(description="Published articles tagged with it.")
    feed_url: str = Field(description="An Atom feed of its newest articles.")
    exports: dict[Literal["csv", "jsonl"], str] = Field(description="Its articles as data.")


class Person(Entity):
    role: str


class Place(Entity):
    country: str
    coordinates: Coordinates | None = Field(description="Decimal degrees (WGS 84).")


class Event(Entity):
    start: DateWithPrecision | None = Field(description="When it began.")
    end: DateWithPrecision | None = Field(description="When it ended.")
    places: list[EntityRef] = Field(description="Where it happened.")
    participants: list[EntityRef] = Field(description="The people and organisations involved.")


class Organisation(Entity):
    pass


# Each kind's fields beside those every entity has (articles/kinds.py); a kind without its
# own schema answers with the common ones.
ENTITY_SCHEMAS: dict[str, type[Entity]] = {
    "person": Person,
    "place": Place,
    "event": Event,
    "organisation": Organisation,
}


def page_of(item: type[Answer]) -> type[Answer]:
    """A page of a cursor-paged list of ``item``."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Answer,
        items=(list[item], ...),
        next=(str | None, Field(description="The next page's address; null on the last.")),
        next_cursor=(str | None, ...),
    )


class SearchHit(ArticleSummary):
    snippet_html: str = Field(description="Passages with the words marked by <mark>.")


class NamedEntity(EntityRef):
    spelling: str = Field(description="How the query spelt it.")
    article_count: int


class FacetValue(Answer):
    label: str
    count: int | None = Field(
        description="Null where not counted (years before the matches the facets count)."
    )
    active: bool
    url: str = Field(description="The search page with this value added or removed.")
    api_url: str


class Facet(Answer):
    name: str
    title: str
    values: list[FacetValue]


class Suggestion(Answer):
    text: str
    url: str
    api_url: str


class SearchResults(Answer):
    count: int
    count_kind: Literal["exact", "about", "more"] = Field(
        description="How count is known: exact; about, the database's estimate for one word "
        "above the exact limit; more, more than this many (the exact limit) match."
    )
    facets_count: str = Field(
        description="What the facet counts count when not every match: the newest 1,000 "
        "matches, or the matches counted. Empty when they count every match."
    )
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[SearchHit]
    named_entities: list[NamedEntity]
    facets: list[Facet]
    did_you_mean: list[Suggestion]

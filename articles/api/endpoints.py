"""The read-only JSON API (/api/v1/): articles, entities by kind and search, built with
django-ninja, which publishes its OpenAPI 3.1 schema from the same types that check every
parameter and answer.

Each operation is a public page like the HTML ones: cached until the archive changes and
answered with 304 when unchanged (articles/reader/caching.py), keyed by the parameters it
declares, which are the search page's own (so the search form parses them for both).
Bad parameters are answered 400, missing things 404, both in JSON (Error).
"""

import functools
import json

from django.db.models import IntegerField, QuerySet
from django.db.models.lookups import GreaterThan
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError

from articles import kinds
from articles.api import cursors, schemas
from articles.api.representations import (
    api_path,
    article_detail,
    article_summary,
    entity_data,
    path_of,
    search_results,
)
from articles.db.compiled import Slot, compiled
from articles.models import Article, Entity, EntityRedirect
from articles.reader.caching import public_page
from articles.search.criteria import Criteria
from articles.search.forms import SearchForm
from articles.search.listing import Matches, Position, Row
from articles.search.results import search

api = NinjaAPI(
    title="Newsarchive API",
    version="1",
    description="Read-only access to every published article of the archive, the people, "
    "places, events and organisations they name, and its search. No key is needed; "
    "answers carry an ETag, and lists are paged by cursor.",
    urls_namespace="api",
    openapi_url=None,
    docs_url=None,
)


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter, self.message = parameter, message


def error(request, detail: str, status: int, problems=()):
    return api.create_response(
        request, {"detail": detail, "problems": list(problems)}, status=status
    )


# The name under which operations take their query parameters.
PARAMETERS = "parameters"


@api.exception_handler(ValidationError)
def invalid_parameters(request, exc: ValidationError):
    # A problem's location is where (query, path), then the parameter, or for an item of
    # a list the operation's argument, the parameter and the item's index.
    problems = [
        {
            "parameter": next(str(part) for part in problem["loc"][1:] if part != PARAMETERS),
            "message": problem["msg"],
        }
        for problem in exc.errors
    ]
    return error(request, "Some parameters are not valid.", 400, problems)


@api.exception_handler(BadParameter)
def bad_parameter(request, exc: BadParameter):
    problems = [{"parameter": exc.parameter, "message": exc.message}]
    return error(request, "Some parameters are not valid.", 400, problems)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return error(request, "Not found.", 404)


def cached(parameters: type[Schema] | None = None, page_number: str | None = None):
    """The operation as a public page, keyed by the parameters it declares."""
    fields = parameters.model_fields.items() if parameters else ()
    names = [field.alias or name for name, field in fields]
    return decorate_view(functools.partial(public_page, query=names, page_number=page_number))


def criteria_of(request) -> Criteria:
    """The search the parameters ask for, read by the search page's own form; what the
    form would drop with a notice is a bad parameter here."""
    form = SearchForm(request.GET)
    criteria = form.criteria()
    if form.notices:
        raise BadParameter("", " ".join(form.notices))
    return criteria


def absolute(request):
    """A function that makes the site's paths (URL-safe already, as reverse() writes them)
    absolute URLs for this request: build_absolute_uri costs more, a hundred times a page."""
    origin = f"{request.scheme}://{request.get_host()}"
    return lambda path: origin + path


def next_page(request, cursor: str) -> str:
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute(request)(f"{request.path}?{query.urlencode()}")


ERRORS = {400: schemas.Error, 404: schemas.Error}


@api.get(
    "/", response=schemas.Index, url_name="index", tags=["index"], summary="What the API offers"
)
@cached()
def index(request):
    url = absolute(request)
    return {
        "articles": url(path_of("api:article_list")),
        "search": url(path_of("api:search")),
        "entities": {kind.value: url(path_of(f"api:{kind.value}_list")) for kind in kinds.KINDS},
        "openapi": url(path_of("api:openapi")),
        "docs": url(path_of("api:docs")),
    }


@api.get(
    "/articles",
    response={200: schemas.page_of(schemas.ArticleSummary), 400: schemas.Error},
    url_name="article_list",
    tags=["articles"],
    summary="Published articles, newest first, with the search page's filters",
)
@cached(schemas.ListParameters)
def list_articles(request, parameters: Query[schemas.ListParameters]):
    """Every published article matching the filters, newest first, a page at a time:
    follow ``next`` (or pass ``next_cursor`` as ``cursor``) to the end. A list read while
    articles are added neither skips nor repeats one."""
    after = Position(*cursors.article_position(parameters.cursor)) if parameters.cursor else None
    matches = Matches(criteria_of(request))
    found = matches.cards(after, parameters.limit + 1)
    articles, url = found[: parameters.limit], absolute(request)
    cursor = None
    if len(found) > parameters.limit:
        cursor = cursors.article_cursor(articles[-1].published_at, articles[-1].pk)
    return {
        "items": [article_summary(article, url) for article in articles],
        "next": next_page(request, cursor) if cursor else None,
        "next_cursor": cursor,
    }


@api.get(
    "/articles/{slug}",
    response={200: schemas.ArticleDetail, **ERRORS},
    url_name="article_detail",
    tags=["articles"],
    summary="One published article, whole, with its tags, provenance and citation",
)
@cached()
def get_article(request, slug: schemas.Slug):
    articles = Article.objects.published().with_mentions().with_main_tags().with_import_time()
    article = get_object_or_404(articles, slug=slug)
    return article_detail(article, absolute(request))


@api.get(
    "/search",
    response={200: schemas.SearchResults, **ERRORS},
    url_name="search",
    tags=["search"],
    summary="The search page's results: ranked, with passages, named entities and facets",
)
@cached(schemas.SearchParameters, page_number="page")
def search_articles(request, parameters: Query[schemas.SearchParameters]):
    """What the search page shows for the same parameters: the best matches first, a page
    of 20 at a time, the entities the words name, and facets whose ``api_url`` adds or
    removes a filter. Without words or filters, nothing is searched: no results."""
    results = search(criteria_of(request), parameters.page)
    if (results.page.number if results.page else 1) != parameters.page:
        raise Http404

    def page_link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return absolute(request)(f"{request.path}?{query.urlencode()}")

    return search_results(results, absolute(request), page_link)


@compiled
def _entity_page_query(kind: str, after: bool, limit: int) -> QuerySet:
    listed = Entity.objects.of_kind(kind).with_names_and_links().with_article_counts()
    if after:
        position = Row(Slot("after_name"), Slot("after_pk", IntegerField()))
        listed = listed.filter(GreaterThan(Row("name", "pk"), position))
    return listed.order_by("name", "pk")[:limit]


def entity_page(kind: str, after: tuple[str, int] | None, limit: int) -> list[Entity]:
    """A page of a kind's entities by name, after ``after`` (a name and id): one query, by
    a statement compiled once (its subqueries cost more to compile than to run)."""
    name, pk = after or ("", 0)
    entities = _entity_page_query(kind, after is not None, limit).instances(
        Entity, after_name=name, after_pk=pk
    )
    for entity in entities:
        # Raw rows leave the JSON of the linked entities as text.
        entity.place_links = [json.loads(link) for link in entity.place_links]
        entity.participant_links = [json.loads(link) for link in entity.participant_links]
    return entities


def entity_operations(kind: kinds.EntityKind) -> None:
    """The list and detail operations of one kind of entity, at its pages' prefix."""
    entities = Entity.objects.of_kind(kind.value).with_names_and_links().with_article_counts()
    schema = schemas.ENTITY_SCHEMAS.get(kind.value, schemas.Entity)

    @api.get(
        f"/{kind.url_prefix}",
        response={200: schemas.page_of(schema), 400: schemas.Error},
        url_name=f"{kind.value}_list",
        operation_id=f"list_{kind.url_prefix}",
        tags=["entities"],
        summary=f"{kind.plural}, by name",
    )
    @cached(schemas.EntityListParameters)
    def list_entities(request, parameters: Query[schemas.EntityListParameters]):
        after = cursors.entity_position(parameters.cursor) if parameters.cursor else None
        found = entity_page(kind.value, after, parameters.limit + 1)
        shown, url = found[: parameters.limit], absolute(request)
        cursor = None
        if len(found) > len(shown):
            cursor = cursors.entity_cursor(shown[-1].name, shown[-1].pk)
        return {
            "items": [entity_data(entity, url) for entity in shown],
            "next": next_page(request, cursor) if cursor else None,
            "next_cursor": cursor,
        }

    @api.get(
        f"/{kind.url_prefix}/{{slug}}",
        response={200: schema, 301: None, **ERRORS},
        url_name=f"{kind.value}_detail",
        operation_id=f"get_{kind.value}",
        tags=["entities"],
        summary=f"One {kind.label}: names in every script, facts and article count",
    )
    @cached()
    def get_entity(request, slug: schemas.Slug):
        entity = entities.filter(slug=slug).first()
        if entity is None:
            moved = EntityRedirect.objects.filter(kind=kind.value, slug=slug).first()
            if moved is None:
                raise Http404
            path = api_path(moved.entity.kind, moved.entity.slug)
            return HttpResponsePermanentRedirect(absolute(request)(path))
        return entity_data(entity, absolute(request))


for entity_kind in kinds.KINDS:
    entity_operations(entity_kind)

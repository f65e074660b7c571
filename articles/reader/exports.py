"""The articles of a search (the search page's own parameters) as CSV and JSON Lines,
streamed a batch at a time, so that exporting the whole archive holds one batch in memory,
never the export. Each row carries its provenance: where it is in the archive, which
outlet and address it came from, who wrote it, its language, its date and how precisely
that is known, which fields the archive inferred, the file it was imported from (its
checksum, and when), and its tags by kind.

A CSV cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab
or a carriage return) is defused by a leading apostrophe, which spreadsheets show as text.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, QuerySet
from django.db.models.functions import JSONObject
from django.http import StreamingHttpResponse

from articles import kinds
from articles.dates import iso_with_precision, span
from articles.models import Article, Mention
from articles.search.forms import SearchForm
from articles.search.listing import Matches

BATCH_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Columns of both formats, in order; JSON Lines adds the body.
FIELDS = [
    "url", "title", "standfirst", "published", "date_precision", "date_earliest",
    "date_latest", "source", "source_url", "byline", "language", "inferred_fields",
    "source_file", "checksum", "sidecar_checksum", "imported_at", "updated_at",
    *(kind.plural.lower() for kind in kinds.KINDS),
]  # fmt: skip


def export_rows() -> QuerySet:
    """The articles as an export reads them: with their tags, most mentioned first, and
    when their file was last imported (the time of the revision that import wrote)."""
    tags = Mention.objects.filter(article=OuterRef("pk")).order_by("-count", "entity__name")
    data = JSONObject(kind=F("entity__kind"), slug="entity__slug", name="entity__name")
    return (
        Article.objects.published()
        .with_import_time()
        .annotate(tag_data=ArraySubquery(tags.values(data=data)))
    )


def record(article: Article, absolute) -> dict:
    """One article's row, as JSON values."""
    day = article.published_at.date()
    earliest, latest = span(day, article.date_precision)
    tags = {kind.plural.lower(): [] for kind in kinds.KINDS}
    for tag in article.tag_data:
        tags[kinds.BY_VALUE[tag["kind"]].plural.lower()].append(
            {"slug": tag["slug"], "name": tag["name"]}
        )
    return {
        "url": absolute(article.get_absolute_url()),
        "title": article.title,
        "standfirst": article.standfirst,
        "published": iso_with_precision(day, article.date_precision),
        "date_precision": article.date_precision,
        "date_earliest": earliest.isoformat(),
        "date_latest": latest.isoformat(),
        "source": article.source_name,
        "source_url": article.source_url,
        "byline": article.byline,
        "language": article.language,
        "inferred_fields": list(article.inferred_fields),
        "source_file": article.source_file,
        "checksum": article.checksum,
        "sidecar_checksum": article.sidecar_checksum,
        "imported_at": article.imported_at.isoformat() if article.imported_at else None,
        "updated_at": article.updated_at.isoformat(),
        **tags,
    }


def defused(value: str) -> str:
    """A cell a spreadsheet shows as the text it is, never runs."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(item["name"] if isinstance(item, dict) else item for item in value)
    return defused(str(value))


def _batches(request, with_body: bool) -> Iterator[list[dict]]:
    """The rows of the search the request asks for, a batch at a time. The search's names
    are read before the response starts, so a failure there is an error page, not a cut
    download."""
    matches = Matches(SearchForm(request.GET).criteria())
    rows = export_rows() if with_body else export_rows().defer("body")

    def batches():
        for batch in matches.batches(rows, BATCH_SIZE):
            records = []
            for article in batch:
                row = record(article, request.build_absolute_uri)
                if with_body:
                    row["body"] = article.body
                records.append(row)
            yield records

    return batches()


def _csv_text(batches: Iterator[list[dict]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for batch in batches:
        writer.writerows([_csv_cell(row[name]) for name in FIELDS] for row in batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _json_lines(batches: Iterator[list[dict]]) -> Iterator[str]:
    for batch in batches:
        yield "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in batch)


def _download(content: Iterator[str], content_type: str, filename: str):
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Data for notebooks and other sites to read, as the API is.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def export_csv(request):
    text = _csv_text(_batches(request, with_body=False))
    return _download(text, "text/csv; charset=utf-8", "newsarchive-articles.csv")


def export_json_lines(request):
    lines = _json_lines(_batches(request, with_body=True))
    return _download(lines, "application/jsonl; charset=utf-8", "newsarchive-articles.jsonl")

"""Files → validated records → one atomic upsert.

Three kinds of file are read:

* ``*.txt`` in the seed's form: paragraphs one per line, short lines without closing
  punctuation are subheads, a last line like ``(abc/xy)`` holds the desk's initials. A
  sidecar ``NAME.meta.yaml`` beside ``NAME.txt`` supplies what the text lacks.
* ``*.md`` with YAML front matter (title, date, source, tags…).
* ``*.yaml`` gazetteer files: ``kind`` and a list of ``entities`` with aliases and facts.

Every file is read and validated before anything is written; then everything is written
in one transaction, so a bad file leaves the database exactly as it was.
"""

import datetime
import hashlib
import math
import re
import reprlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from .dates import DatePrecision
from .models import Alias, Article, Entity, Mention
from .revisions import record_import_revisions
from .tagging import Tagger, name_key

ARTICLE_SUFFIXES = {".txt", ".md"}
GAZETTEER_SUFFIXES = {".yaml", ".yml"}
SIDECAR_SUFFIX = ".meta.yaml"
MAX_FILE_BYTES = 2 * 1024 * 1024
SUBHEAD_MAX_CHARS = 100
BATCH_SIZE = 1000
UPDATABLE_FIELDS = [
    "slug", "title", "standfirst", "body", "source_name", "source_url", "byline", "language",
    "published_at", "date_precision", "status", "inferred_fields", "checksum",
    "sidecar_checksum", "updated_at",
]  # fmt: skip
# Lines ending like this close a sentence or a quotation, so they are paragraphs.
_CLOSING_PUNCTUATION = tuple(".,;:!…\"'\u201d\u2019\u00bb)")
_DESK_INITIALS = re.compile(r"^\((?P<initials>[^\s()]{2,20}(?:/[^\s()]{2,20})*)\)$")
# Characters that would make Markdown reinterpret plain text.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]])")
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*)([#>+\-=|]|\d+[.)])")

ARTICLE_FIELDS = {
    "title", "slug", "standfirst", "source", "source_url", "byline", "language", "date",
    "date_precision", "status", "tags", "inferred",
}  # fmt: skip
INFERABLE_FIELDS = {
    "title", "slug", "standfirst", "source", "source_url", "byline", "language", "date",
    "date_precision", "tags",
}  # fmt: skip
KIND_FILES = {
    "person": Entity.Kind.PERSON,
    "place": Entity.Kind.PLACE,
    "event": Entity.Kind.EVENT,
    "organisation": Entity.Kind.ORGANISATION,
}
ENTITY_FIELDS = {
    "common": {"name", "slug", "aliases", "description"},
    Entity.Kind.PERSON: {"role"},
    Entity.Kind.PLACE: {"country", "latitude", "longitude"},
    Entity.Kind.EVENT: {
        "start", "start_precision", "end", "end_precision", "places", "participants",
    },
    Entity.Kind.ORGANISATION: set(),
}  # fmt: skip


# Error messages quote bad values briefly: YAML aliases can make a small file hold a value
# whose full repr would take gigabytes.
_brief = reprlib.Repr(maxlevel=2, maxlist=4, maxdict=4, maxstring=60, maxother=60).repr


class ImportFileError(Exception):
    """One file could not be imported; says which and why."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def check_length(path: Path, label: str, value: str, model, field_name: str) -> None:
    """Refuses text longer than the model's column holds."""
    limit = model._meta.get_field(field_name).max_length
    if limit is not None and len(value) > limit:
        raise ImportFileError(path, f"{label} is longer than {limit} characters")


class ImportFailed(Exception):
    """The import was refused; nothing was written."""

    def __init__(self, errors: Sequence[ImportFileError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class EntityRecord:
    path: Path
    kind: str
    name: str
    slug: str
    checksum: str
    aliases: list[str]
    fields: dict
    place_slugs: list[str] = field(default_factory=list)
    participant_slugs: list[str] = field(default_factory=list)


@dataclass
class ArticleRecord:
    path: Path
    source_file: str
    checksum: str
    sidecar_checksum: str
    fields: dict
    slug: str | None
    tags: list[str]


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    articles: Tally = field(default_factory=Tally)
    entities: Tally = field(default_factory=Tally)
    files: int = 0
    dry_run: bool = False
    article_outcomes: list[tuple[Path, str]] = field(default_factory=list)

    def record(self, path: Path, outcome: str) -> None:
        """Counts an article file as created, updated or unchanged."""
        setattr(self.articles, outcome, getattr(self.articles, outcome) + 1)
        self.article_outcomes.append((path, outcome))


# Reading and parsing


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[ImportFileError]]:
    """The importable files under ``paths``: named files as given, folders searched
    (hidden files skipped). A link in a folder that leads outside it is refused."""
    found: list[Path] = []
    errors: list[ImportFileError] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        root = path.resolve()
        for candidate in sorted(path.rglob("*")):
            relative = candidate.relative_to(path)
            if any(part.startswith(".") for part in relative.parts):
                continue
            if candidate.is_symlink() and not candidate.resolve().is_relative_to(root):
                errors.append(ImportFileError(candidate, f"is a link leading outside {path}"))
            elif candidate.is_file() and candidate.suffix in ARTICLE_SUFFIXES | GAZETTEER_SUFFIXES:
                found.append(candidate)
    return found, errors


def read_text(path: Path) -> tuple[str, str]:
    """The file's text and its SHA-256; refuses what is not readable UTF-8 text."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(path, f"larger than {MAX_FILE_BYTES // 1024} KiB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(path, "no such file") from None
    except OSError as error:
        raise ImportFileError(path, f"cannot be read ({error.strerror})") from None
    if b"\x00" in data:
        raise ImportFileError(path, "is a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            path, f"is not UTF-8 text (invalid byte at position {error.start})"
        ) from None
    if not text.strip():
        raise ImportFileError(path, "is empty")
    return text, hashlib.sha256(data).hexdigest()


def is_subhead(line: str) -> bool:
    return len(line) <= SUBHEAD_MAX_CHARS and not line.endswith(_CLOSING_PUNCTUATION)


def escape_markdown(line: str) -> str:
    """Plain text as Markdown that renders back to the same text."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", line).replace("<", "&lt;")
    return _MARKDOWN_BLOCK_START.sub(r"\1\\\2", escaped)


def plain_text_to_markdown(text: str) -> tuple[str, str]:
    """The seed's plain-text form as Markdown, and the desk's initials if it ends with them."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    byline = ""
    if lines and (desk := _DESK_INITIALS.match(lines[-1])):
        byline = desk["initials"]
        lines.pop()
    blocks = []
    for position, line in enumerate(lines):
        if position > 0 and is_subhead(line):
            blocks.append(f"## {escape_markdown(line)}")
        else:
            blocks.append(escape_markdown(line))
    return "\n\n".join(blocks), byline


def first_sentence(text: str, limit: int = 120) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def load_yaml(path: Path, text: str):
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ImportFileError(path, f"malformed YAML ({error})".replace("\n", " ")) from None


def parse_date(path: Path, value, label: str) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    elif isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ImportFileError(path, f"{label} {value!r} is not an ISO date") from None
    else:
        raise ImportFileError(path, f"{label} must be a date like 2025-11-30")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def parse_precision(path: Path, value, label: str) -> str:
    if value is None:
        return DatePrecision.DAY
    if value not in DatePrecision.values:
        choices = ", ".join(DatePrecision.values)
        raise ImportFileError(path, f"{label} {_brief(value)} is not one of {choices}")
    return value


def article_fields(path: Path, meta: dict) -> tuple[dict, str | None, list[str]]:
    """Validated model fields from front matter or a sidecar, the slug if given, the tags."""
    unknown = set(meta) - ARTICLE_FIELDS
    if unknown:
        raise ImportFileError(path, f"unknown field(s): {', '.join(sorted(unknown))}")
    for name in ("title", "slug", "standfirst", "source", "source_url", "byline", "language"):
        if name in meta and not isinstance(meta[name], str):
            raise ImportFileError(path, f"{name} must be text")
    if not (meta.get("title") or "").strip():
        raise ImportFileError(path, "has no title")
    columns = {"source": "source_name"}  # front matter names that differ from the model's
    for name in ("title", "slug", "source", "source_url", "byline", "language"):
        field_name = columns.get(name, name)
        check_length(path, name, (meta.get(name) or "").strip(), Article, field_name)
    source_url = (meta.get("source_url") or "").strip()
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            raise ImportFileError(
                path, f"source_url {_brief(source_url)} is not a web address (http or https)"
            ) from None
    fields = {
        "title": meta["title"].strip(),
        "standfirst": (meta.get("standfirst") or "").strip(),
        "source_name": (meta.get("source") or "").strip(),
        "source_url": (meta.get("source_url") or "").strip(),
        "language": (meta.get("language") or "en").strip(),
        "date_precision": parse_precision(path, meta.get("date_precision"), "date_precision"),
    }
    if meta.get("byline"):
        fields["byline"] = meta["byline"].strip()
    fields["published_at"] = (
        parse_date(path, meta["date"], "date") if meta.get("date") is not None else None
    )
    status = meta.get("status", "published" if fields["published_at"] else "draft")
    if status not in Article.Status.values:
        raise ImportFileError(path, f"status {_brief(status)} is not draft or published")
    if status == Article.Status.PUBLISHED and fields["published_at"] is None:
        raise ImportFileError(path, "is published but has no date")
    fields["status"] = status
    inferred = meta.get("inferred") or []
    if (
        not isinstance(inferred, list)
        or not all(isinstance(name, str) for name in inferred)
        or set(inferred) - INFERABLE_FIELDS
    ):
        raise ImportFileError(
            path, f"inferred must list fields among: {', '.join(sorted(INFERABLE_FIELDS))}"
        )
    fields["inferred_fields"] = sorted(set(inferred))
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportFileError(path, "tags must be a list of names")
    slug = meta.get("slug")
    if slug is not None and slugify(slug) != slug:
        raise ImportFileError(path, f"slug {slug!r} may hold only a-z, 0-9 and hyphens")
    return fields, slug, tags


def parse_text_article(path: Path) -> ArticleRecord:
    text, checksum = read_text(path)
    body, byline = plain_text_to_markdown(text)
    sidecar_path = path.with_name(path.stem + SIDECAR_SUFFIX)
    meta, sidecar_checksum = {}, ""
    if sidecar_path.exists():
        sidecar_text, sidecar_checksum = read_text(sidecar_path)
        meta = load_yaml(sidecar_path, sidecar_text)
        if not isinstance(meta, dict):
            raise ImportFileError(sidecar_path, "must be a mapping of fields")
    else:
        meta = {"title": first_sentence(body), "inferred": ["title"]}
    meta.setdefault("byline", byline)
    try:
        fields, slug, tags = article_fields(path, meta)
    except ImportFileError as error:
        raise ImportFileError(sidecar_path if sidecar_checksum else path, error.reason) from None
    fields["body"] = body
    return ArticleRecord(path, path.name, checksum, sidecar_checksum, fields, slug, tags)


def parse_markdown_article(path: Path) -> ArticleRecord:
    text, checksum = read_text(path)
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        message = str(error).replace("\n", " ")
        raise ImportFileError(path, f"malformed front matter ({message})") from None
    if not post.metadata:
        raise ImportFileError(path, "has no front matter (a --- block with at least a title)")
    fields, slug, tags = article_fields(path, post.metadata)
    if not post.content.strip():
        raise ImportFileError(path, "has front matter but no body")
    fields["body"] = post.content.strip()
    return ArticleRecord(path, path.name, checksum, "", fields, slug, tags)


def _coordinate(path: Path, name: str, item: dict, key: str, bound: float):
    value = item.get(key)
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or abs(value) > bound
    ):
        raise ImportFileError(path, f"{name}: {key} must be a number within ±{bound}")
    return float(value)


def parse_entity(path: Path, kind: str, item) -> EntityRecord:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise ImportFileError(path, f"each entity needs a name, not {_brief(item)}")
    name = item["name"].strip()
    unknown = set(item) - ENTITY_FIELDS["common"] - ENTITY_FIELDS[kind]
    if unknown:
        raise ImportFileError(path, f"{name}: unknown field(s) {', '.join(sorted(unknown))}")
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ImportFileError(path, f"{name}: aliases must be a list of names")
    for key in ("slug", "description", "role", "country"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ImportFileError(path, f"{name}: {key} must be text")
    for key in ("places", "participants"):
        slugs = item.get(key) or []
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            raise ImportFileError(path, f"{name}: {key} must be a list of slugs")
    check_length(path, "name", name, Entity, "name")
    for alias in aliases:
        check_length(path, f"{name}: alias", alias.strip(), Alias, "name")
    for key in ("slug", "role", "country"):
        check_length(path, f"{name}: {key}", (item.get(key) or "").strip(), Entity, key)
    slug = item.get("slug") or slugify(name)
    if not slug or slugify(slug) != slug:
        raise ImportFileError(path, f"{name}: slug {slug!r} may hold only a-z, 0-9 and hyphens")
    fields = {"name": name, "description": (item.get("description") or "").strip()}
    if kind == Entity.Kind.PERSON:
        fields["role"] = (item.get("role") or "").strip()
    elif kind == Entity.Kind.PLACE:
        fields["country"] = (item.get("country") or "").strip()
        fields["latitude"] = _coordinate(path, name, item, "latitude", 90)
        fields["longitude"] = _coordinate(path, name, item, "longitude", 180)
        if (fields["latitude"] is None) != (fields["longitude"] is None):
            raise ImportFileError(path, f"{name}: give both latitude and longitude, or neither")
    elif kind == Entity.Kind.EVENT:
        if item.get("start") is None:
            raise ImportFileError(path, f"{name}: an event needs a start date")
        fields["start_date"] = parse_date(path, item["start"], f"{name}: start").date()
        fields["start_precision"] = parse_precision(path, item.get("start_precision"), name)
        if item.get("end") is not None:
            fields["end_date"] = parse_date(path, item["end"], f"{name}: end").date()
            fields["end_precision"] = parse_precision(path, item.get("end_precision"), name)
            if fields["end_date"] < fields["start_date"]:
                raise ImportFileError(path, f"{name}: ends before it starts")
    checksum = hashlib.sha256(
        yaml.safe_dump(item, sort_keys=True, allow_unicode=True).encode()
    ).hexdigest()
    return EntityRecord(
        path,
        kind,
        name,
        slug,
        checksum,
        [a.strip() for a in aliases if a.strip()],
        fields,
        list(item.get("places") or []),
        list(item.get("participants") or []),
    )


def parse_gazetteer(path: Path) -> list[EntityRecord]:
    data = load_yaml(path, read_text(path)[0])
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("kind"), str)
        or (data["kind"] not in KIND_FILES)
    ):
        kinds = ", ".join(KIND_FILES)
        raise ImportFileError(path, f"a gazetteer file needs 'kind' (one of {kinds})")
    entities = data.get("entities")
    if not isinstance(entities, list):
        raise ImportFileError(path, "a gazetteer file needs a list of 'entities'")
    return [parse_entity(path, KIND_FILES[data["kind"]], item) for item in entities]


def parse_file(path: Path) -> ArticleRecord | list[EntityRecord] | None:
    """A record per file; ``None`` for a sidecar, which its article reads."""
    if path.name.endswith(SIDECAR_SUFFIX):
        if not path.with_name(path.name.removesuffix(SIDECAR_SUFFIX) + ".txt").exists():
            raise ImportFileError(path, "is a sidecar without its .txt file")
        return None
    if path.suffix == ".txt":
        return parse_text_article(path)
    if path.suffix == ".md":
        return parse_markdown_article(path)
    if path.suffix in GAZETTEER_SUFFIXES:
        return parse_gazetteer(path)
    raise ImportFileError(path, "is not a .txt, .md or gazetteer .yaml file")


# Writing


class Importer:
    """Imports files all or nothing. ``progress(stage, done, total)`` is called as files
    are read and as articles are checked."""

    def __init__(
        self,
        *,
        dry_run: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.dry_run = dry_run
        self.progress = progress or (lambda stage, done, total: None)

    def run(self, paths: Iterable[Path]) -> ImportReport:
        files, errors = find_files(paths)
        entity_records, article_records = self.parse(files, errors)
        report = ImportReport(files=len(files), dry_run=self.dry_run)
        with transaction.atomic():
            self.save_entities(entity_records, report)
            self.save_articles(article_records, report)
            if self.dry_run:
                transaction.set_rollback(True)
        return report

    def parse(
        self, files: list[Path], errors: list[ImportFileError]
    ) -> tuple[list[EntityRecord], list[ArticleRecord]]:
        entities: list[EntityRecord] = []
        articles: list[ArticleRecord] = []
        for done, path in enumerate(files, 1):
            try:
                parsed = parse_file(path)
            except ImportFileError as error:
                errors.append(error)
            else:
                if isinstance(parsed, ArticleRecord):
                    articles.append(parsed)
                elif parsed:
                    entities.extend(parsed)
            self.progress("read", done, len(files))
        errors.extend(self._duplicates(entities, articles))
        if errors:
            raise ImportFailed(errors)
        return entities, articles

    @staticmethod
    def _duplicates(entities, articles) -> list[ImportFileError]:
        errors, seen_entities, seen_files = [], {}, {}
        for record in entities:
            key = (record.kind, record.slug)
            if key in seen_entities:
                errors.append(
                    ImportFileError(record.path, f"{record.kind} {record.slug!r} given twice")
                )
            seen_entities[key] = record
        for record in articles:
            if record.source_file in seen_files:
                other = seen_files[record.source_file].path
                errors.append(ImportFileError(record.path, f"has the same name as {other}"))
            seen_files[record.source_file] = record
        return errors

    def save_entities(self, records: list[EntityRecord], report: ImportReport) -> None:
        existing = {
            (e.kind, e.slug): e for e in Entity.objects.filter(slug__in=[r.slug for r in records])
        }
        changed: list[tuple[EntityRecord, Entity]] = []
        for record in records:
            entity = existing.get((record.kind, record.slug))
            if entity is not None and entity.gazetteer_checksum == record.checksum:
                report.entities.unchanged += 1
                continue
            if entity is None:
                entity = Entity(kind=record.kind, slug=record.slug)
                report.entities.created += 1
            else:
                report.entities.updated += 1
            for name, value in record.fields.items():
                setattr(entity, name, value)
            entity.gazetteer_checksum = record.checksum
            entity.save()
            changed.append((record, entity))
        self._save_aliases_and_links(changed)

    @staticmethod
    def _save_aliases_and_links(changed: list[tuple[EntityRecord, Entity]]) -> None:
        """Aliases are only ever added, so those an editor added in the admin survive."""
        Alias.objects.bulk_create(
            [
                Alias(entity=entity, name=alias)
                for record, entity in changed
                for alias in record.aliases
            ],
            ignore_conflicts=True,
        )
        events = [(r, e) for r, e in changed if r.kind == Entity.Kind.EVENT]
        if not events:
            return
        wanted = {s for r, _ in events for s in r.place_slugs + r.participant_slugs}
        by_slug: dict[str, list[Entity]] = {}
        for entity in Entity.objects.filter(slug__in=wanted).exclude(kind=Entity.Kind.EVENT):
            by_slug.setdefault(entity.slug, []).append(entity)
        errors = []
        for record, event in events:
            links = {"places": [], "participants": []}
            for relation, slugs, kinds in (
                ("places", record.place_slugs, {Entity.Kind.PLACE}),
                ("participants", record.participant_slugs, {"person", "organisation"}),
            ):
                for slug in slugs:
                    matches = [e for e in by_slug.get(slug, []) if e.kind in kinds]
                    if not matches:
                        errors.append(
                            ImportFileError(
                                record.path, f"{record.name}: unknown {relation[:-1]} {slug!r}"
                            )
                        )
                    links[relation].extend(matches)
            event.places.set(links["places"])
            event.participants.set(links["participants"])
        if errors:
            raise ImportFailed(errors)

    def save_articles(self, records: list[ArticleRecord], report: ImportReport) -> None:
        """Writes the new and changed articles and their tags in a few bulk statements."""
        if not records:
            return
        tagger = Tagger.from_database()
        resolver = TagResolver.from_database()
        existing = {
            a.source_file: a
            for a in Article.objects.filter(source_file__in=[r.source_file for r in records])
        }
        errors, created, updated, declared_tags = [], [], [], {}
        for done, record in enumerate(records, 1):
            self.progress("check", done, len(records))
            article = existing.get(record.source_file)
            if (
                article is not None
                and article.checksum == record.checksum
                and article.sidecar_checksum == record.sidecar_checksum
            ):
                report.record(record.path, "unchanged")
                continue
            try:
                declared = resolver.resolve(record)
            except ImportFileError as error:
                errors.append(error)
                continue
            if article is None:
                article = Article(source_file=record.source_file, slug=record.slug or "")
                created.append(article)
                report.record(record.path, "created")
            else:
                article.slug = record.slug or article.slug
                updated.append(article)
                report.record(record.path, "updated")
            for name, value in record.fields.items():
                setattr(article, name, value)
            article.checksum = record.checksum
            article.sidecar_checksum = record.sidecar_checksum
            declared_tags[record.source_file] = declared
        if errors:
            raise ImportFailed(errors)
        assign_unique_slugs([a for a in created if not a.slug])
        Article.objects.bulk_create(created, batch_size=BATCH_SIZE)
        now = timezone.now()
        for article in updated:
            article.updated_at = now
        Article.objects.bulk_update(updated, UPDATABLE_FIELDS, batch_size=BATCH_SIZE)
        self._save_mentions(created + updated, tagger, declared_tags)

    @staticmethod
    def _save_mentions(articles: list[Article], tagger: Tagger, declared_tags) -> None:
        """Replaces the tags of the written articles: those found in the text, with their
        counts, and those the file declared."""
        Mention.objects.filter(article__in=[a for a in articles if a.pk]).delete()
        mentions_by_article = {}
        for article in articles:
            found = tagger.count(f"{article.title}\n{article.standfirst}\n{article.body}")
            mentions_by_article[article] = [
                Mention(article=article, entity_id=entity_id, count=count, origin="text")
                for entity_id, count in found.items()
            ] + [
                Mention(article=article, entity_id=entity_id, count=0)
                for entity_id in declared_tags[article.source_file] - found.keys()
            ]
        Mention.objects.bulk_create(
            [m for mentions in mentions_by_article.values() for m in mentions],
            batch_size=BATCH_SIZE,
        )
        record_import_revisions(mentions_by_article)


def assign_unique_slugs(articles: list[Article]) -> None:
    """Gives each new article a slug from its title, unique among existing articles and
    the batch, with one query for the common case of no collision."""
    bases = {id(a): slugify(a.title)[:180] or "article" for a in articles}
    taken = set(Article.objects.filter(slug__in=set(bases.values())).values_list("slug", flat=True))
    for article in articles:
        base = bases[id(article)]
        slug, number = base, 2
        if slug in taken:
            taken |= set(
                Article.objects.filter(slug__startswith=f"{base}-").values_list("slug", flat=True)
            )
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        article.slug = slug
        taken.add(slug)


class TagResolver:
    """Resolves the tags named in front matter ('Faiz Hamid', 'place:khost') to entities
    by slug, name or alias, in any spelling the tagger would accept."""

    def __init__(self, names: Iterable[tuple[int, str, str, str]]):
        self._by_key: dict[str, set[tuple[int, str]]] = {}
        for entity_id, kind, slug, name in names:
            for key in {slug, name_key(name)}:
                self._by_key.setdefault(key, set()).add((entity_id, kind))

    @classmethod
    def from_database(cls) -> "TagResolver":
        names = [
            *Entity.objects.values_list("id", "kind", "slug", "name"),
            *Alias.objects.values_list("entity_id", "entity__kind", "entity__slug", "name"),
        ]
        return cls(names)

    def resolve(self, record: ArticleRecord) -> set[int]:
        resolved = set()
        for tag in record.tags:
            kind, _, name = tag.rpartition(":")
            candidates = self._by_key.get(name.strip(), set()) | self._by_key.get(
                name_key(name), set()
            )
            if kind:
                candidates = {c for c in candidates if c[1] == kind.strip()}
            if not candidates:
                raise ImportFileError(record.path, f"unknown tag {tag!r}")
            if len({c[0] for c in candidates}) > 1:
                kinds = ", ".join(sorted(c[1] for c in candidates))
                raise ImportFileError(
                    record.path, f"tag {tag!r} is ambiguous ({kinds}); write it as kind:name"
                )
            resolved.add(next(iter(candidates))[0])
        return resolved

"""Reading import files into validated records; nothing here touches the database's rows.

Three kinds of file are read:

* ``*.txt`` in the seed's form: paragraphs one per line, short lines without closing
  punctuation are subheads, a last line like ``(abc/xy)`` holds the desk's initials. A
  sidecar ``NAME.meta.yaml`` beside ``NAME.txt`` supplies what the text lacks.
* ``*.md`` with YAML front matter (title, date, source, tags…).
* ``*.yaml`` gazetteer files: ``kind`` and a list of ``entities`` with aliases and facts.
"""

import datetime
import hashlib
import math
import re
import reprlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.text import slugify

from articles import kinds, languages
from articles.dates import DatePrecision
from articles.models import Alias, Article, Entity
from articles.text.limits import article_text_refusal

ARTICLE_SUFFIXES = {".txt", ".md"}
GAZETTEER_SUFFIXES = {".yaml", ".yml"}
SIDECAR_SUFFIX = ".meta.yaml"
MAX_FILE_BYTES = 2 * 1024 * 1024
SUBHEAD_MAX_CHARS = 100
# Lines ending like this close a sentence or a quotation, so they are paragraphs.
_CLOSING_PUNCTUATION = tuple(".,;:!…\"'\u201d\u2019\u00bb)")
_DESK_INITIALS = re.compile(r"^\((?P<initials>[^\s()]{2,20}(?:/[^\s()]{2,20})*)\)$")
# Characters that would make Markdown reinterpret plain text.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]])")
_MARKDOWN_BLOCK_START = re.compile(r"^(\s*)([#>+\-=|]|\d+[.)])")

ARTICLE_FIELDS = {
    "title", "slug", "standfirst", "source", "source_url", "byline", "language", "date",
    "date_precision", "status", "tags", "inferred", "translation_of",
}  # fmt: skip
INFERABLE_FIELDS = {
    "title", "slug", "standfirst", "source", "source_url", "byline", "language", "date",
    "date_precision", "tags",
}  # fmt: skip
# Gazetteer files name an event's dates "start" and "end"; every other field as the model.
GAZETTEER_NAMES = {"start_date": "start", "end_date": "end"}
ENTITY_FIELDS = {
    "common": {"name", "slug", "aliases", "description"},
    **{
        kind.value: {GAZETTEER_NAMES.get(name, name) for name in kind.fields}
        for kind in kinds.KINDS
    },
}


# YAML is read by libyaml's parser with PyYAML's safe constructor, within bounds set by
# the text's own length: nesting deeper than this is refused before PyYAML recurses
# through it, and through aliases a document may stand for at most YAML_EXPANSION times
# its own length (one value named a thousand times is a thousand values to check, hash
# and write), or YAML_MIN_SIZE characters for a short one.
MAX_YAML_DEPTH = 50
YAML_EXPANSION = 10
YAML_MIN_SIZE = 100_000

_FRONT_MATTER = frontmatter.YAMLHandler()

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
    # The slug of the article this one translates ("" when it names none).
    translation_of: str = ""


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[ImportFileError]]:
    """The importable files under ``paths``: named files as given, folders searched
    (hidden files skipped). A link in a folder that leads outside it is refused."""
    found: list[Path] = []
    errors: list[ImportFileError] = []
    for path in paths:
        if not path.exists():
            errors.append(ImportFileError(path, "does not exist"))
            continue
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
        raise ImportFileError(path, "does not exist") from None
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


class YAMLRefused(yaml.YAMLError):
    """A YAML document refused for the work it would cause rather than for its syntax."""


class _BoundedLoader(yaml.CSafeLoader):
    """PyYAML's safe loader (on libyaml's parser, which refuses more than 1,000 levels),
    checking the document it composed before building it, and naming a value its
    constructors cannot build."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.size_limit = max(YAML_EXPANSION * len(stream), YAML_MIN_SIZE)

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None:
            _check_expansion(node, self.size_limit)
        return node

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as error:
            # PyYAML's constructors raise ValueError, AttributeError… for values that look
            # like a date or a number but are none (2025-02-30, 5,000 digits).
            kind = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"{_brief(node.value)} is not a valid {kind} ({error})", node.start_mark
            ) from None


def _check_expansion(root: yaml.Node, size_limit: int) -> None:
    """Refuses a document nested deeper than MAX_YAML_DEPTH or standing, through its
    aliases, for more than ``size_limit`` characters. An alias is the node it names, so
    each node is measured once, however many aliases name it."""
    measured: dict[int, tuple[int, int]] = {}  # id(node): (size, depth)
    open_nodes: set[int] = set()  # the nodes being measured: the current node's ancestors
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_measured = stack.pop()
        if children_measured:
            children = [measured[id(child)] for child in _yaml_children(node)]
            own = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            size = 1 + own + sum(size for size, _ in children)
            depth = 1 + max((depth for _, depth in children), default=0)
            if depth > MAX_YAML_DEPTH:
                raise YAMLRefused(f"is nested more than {MAX_YAML_DEPTH} levels deep")
            if size > size_limit:
                raise YAMLRefused(
                    f"stands for more than {size_limit:,} characters through its aliases "
                    f"(at most {YAML_EXPANSION} times its length)"
                )
            measured[id(node)] = (size, depth)
            open_nodes.discard(id(node))
        elif id(node) in open_nodes:
            raise YAMLRefused("has an alias inside the value it names")
        elif id(node) not in measured:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in _yaml_children(node))


def _yaml_children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value
    return []


def load_yaml(path: Path, text: str, what: str = "YAML"):
    """The YAML document in ``text`` (a file's, or its front matter if ``what`` says so)."""
    try:
        return yaml.load(text, Loader=_BoundedLoader)  # noqa: S506 (a safe loader)
    except YAMLRefused as refusal:
        raise ImportFileError(path, f"its {what} {refusal}") from None
    except yaml.YAMLError as error:
        raise ImportFileError(path, f"malformed {what} ({error})".replace("\n", " ")) from None


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
    try:
        moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ImportFileError(path, f"{label} {moment.isoformat()} is out of range") from None
    return moment


def parse_precision(path: Path, value, label: str) -> str:
    if value is None:
        return DatePrecision.DAY
    if value not in DatePrecision.values:
        choices = ", ".join(DatePrecision.values)
        raise ImportFileError(path, f"{label} {_brief(value)} is not one of {choices}")
    return value


def article_fields(path: Path, meta: dict, body: str) -> tuple[dict, str | None, list[str], str]:
    """Validated model fields from front matter or a sidecar, the slug if given, the tags,
    the slug of the article it translates if it names one.
    A language is written in the archive's one form (fa-af and prs are fa-AF); without
    one, an article is English unless its script says otherwise (then the language is
    noted as inferred)."""
    unknown = set(meta) - ARTICLE_FIELDS
    if unknown:
        raise ImportFileError(path, f"unknown field(s): {', '.join(sorted(map(str, unknown)))}")
    for name in (
        "title", "slug", "standfirst", "source", "source_url", "byline", "language",
        "translation_of",
    ):  # fmt: skip
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
        "language": languages.canonical(meta.get("language") or ""),
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
    inferred = set(inferred)
    if (meta.get("language") or "").strip() and not fields["language"]:
        raise ImportFileError(
            path, f"language {_brief(meta['language'])} is not a language code (en, ps, fa-AF, ur)"
        )
    if not fields["language"]:
        fields["language"] = languages.guess(f"{fields['title']}\n{fields['standfirst']}\n{body}")
        if fields["language"] != "en":
            inferred.add("language")
    fields["inferred_fields"] = sorted(inferred)
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportFileError(path, "tags must be a list of names")
    slug = meta.get("slug")
    if slug is not None and slugify(slug) != slug:
        raise ImportFileError(path, f"slug {slug!r} may hold only a-z, 0-9 and hyphens")
    original = (meta.get("translation_of") or "").strip()
    if original and slugify(original) != original:
        raise ImportFileError(
            path, f"translation_of {_brief(original)} is not an article's slug (a-z, 0-9, -)"
        )
    return fields, slug, tags, original


def check_text(path: Path, fields: dict) -> None:
    """Refuses a body the renderer cannot render within bounds, or text too long for the
    search index, as the admin's form does."""
    if refusal := article_text_refusal(fields["title"], fields["standfirst"], fields["body"]):
        raise ImportFileError(path, refusal)


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
        fields, slug, tags, original = article_fields(path, meta, body)
    except ImportFileError as error:
        raise ImportFileError(sidecar_path if sidecar_checksum else path, error.reason) from None
    fields["body"] = body
    check_text(path, fields)
    return ArticleRecord(path, path.name, checksum, sidecar_checksum, fields, slug, tags, original)


def parse_markdown_article(path: Path) -> ArticleRecord:
    text, checksum = read_text(path)
    meta, body = front_matter(path, text.strip())
    fields, slug, tags, original = article_fields(path, meta, body)
    if not body:
        raise ImportFileError(path, "has front matter but no body")
    fields["body"] = body
    check_text(path, fields)
    return ArticleRecord(path, path.name, checksum, "", fields, slug, tags, original)


def front_matter(path: Path, text: str) -> tuple[dict, str]:
    """The front matter's fields and the body after it. python-frontmatter finds the
    --- block; the bounded loader reads it (and no other format it would detect)."""
    no_front_matter = "has no front matter (a --- block with at least a title)"
    if not _FRONT_MATTER.detect(text):
        raise ImportFileError(path, no_front_matter)
    try:
        block, body = _FRONT_MATTER.split(text)
    except ValueError:
        raise ImportFileError(path, "has no --- closing its front matter") from None
    meta = load_yaml(path, block, "front matter")
    if not meta or not isinstance(meta, dict):
        raise ImportFileError(path, no_front_matter)
    return meta, body.strip()


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
        names = ", ".join(sorted(map(str, unknown)))
        raise ImportFileError(path, f"{name}: unknown field(s) {names}")
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
        or (data["kind"] not in kinds.BY_VALUE)
    ):
        choices = ", ".join(kinds.VALUES)
        raise ImportFileError(path, f"a gazetteer file needs 'kind' (one of {choices})")
    entities = data.get("entities")
    if not isinstance(entities, list):
        raise ImportFileError(path, "a gazetteer file needs a list of 'entities'")
    return [parse_entity(path, data["kind"], item) for item in entities]


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

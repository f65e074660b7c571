"""Validated records (articles/importing/parsing.py) → one atomic upsert.

Every file is read and validated before anything is written; then everything is written
in one transaction, so a bad file leaves the database exactly as it was.

A re-import never silently undoes an editor's work. An article or entity an editor changed
since its file was last imported is refused by name, unless the import is told which side
wins (``Edited``). Whichever wins, the tags editors added or removed and their decision to
publish or withdraw an article stand, and an event keeps the links an editor added.
"""

import enum
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from articles import kinds
from articles.db.copying import PreparedRows, copy_update, copy_writer, reserve_ids
from articles.editorial.quotations import found_quotations, speakers
from articles.editorial.revisions import (
    PUBLICATION_FIELDS,
    SNAPSHOT_FIELDS,
    changed_fields,
    import_revision,
    json_value,
    latest_revisions,
    next_revision_number,
    snapshot,
)
from articles.editorial.slugs import unique_slugs
from articles.importing.names_queue import NameRows, names_of
from articles.importing.parsing import (
    ArticleRecord,
    EntityRecord,
    ImportFailed,
    ImportFileError,
    find_files,
    parse_file,
)
from articles.importing.retagging import (
    WHILE_YOU_WAIT,
    RetagRefused,
    RetagReport,
    retag_after_commit,
)
from articles.importing.tagging import Tagger, article_text
from articles.metrics import IMPORTED_ARTICLES, IMPORTS
from articles.models import (
    Alias,
    Article,
    Entity,
    ImportRun,
    Mention,
    Quotation,
    RemovedQuotation,
    RemovedTag,
    Revision,
)
from articles.text.folding import name_key

__all__ = [
    "Edited",
    "EditedSinceImport",
    "ImportFailed",
    "ImportFileError",
    "ImportReport",
    "Importer",
]

UPDATABLE_FIELDS = [
    "slug", "title", "standfirst", "body", "source_name", "source_url", "byline", "language",
    "published_at", "date_precision", "status", "inferred_fields", "checksum",
    "sidecar_checksum", "updated_at", "version", "imported_version",
]  # fmt: skip
EVENT_LINKS = ("places", "participants")


class Edited(enum.StrEnum):
    """What an import does with an article or entity an editor changed since its file was
    last imported, when the file has changed too."""

    REFUSE = "refuse"
    SKIP = "skip"
    OVERWRITE = "overwrite"


class EditedSinceImport(ImportFileError):
    """The file changed, and so did what an editor made of its last import."""


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # changed by an editor since the last import, and left so (Edited.SKIP)

    def __str__(self):
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return counts + (f", {self.kept} kept as edited" if self.kept else "")


@dataclass
class ImportReport:
    articles: Tally = field(default_factory=Tally)
    entities: Tally = field(default_factory=Tally)
    files: int = 0
    dry_run: bool = False
    article_outcomes: list[tuple[Path, str]] = field(default_factory=list)
    # What re-tagging for the gazetteer's changes did once the import committed.
    retag: RetagReport | None = None
    retag_refused: RetagRefused | None = None

    def record(self, path: Path, outcome: str) -> None:
        """Counts an article file as created, updated, unchanged or kept (as edited)."""
        setattr(self.articles, outcome, getattr(self.articles, outcome) + 1)
        self.article_outcomes.append((path, "kept as edited" if outcome == "kept" else outcome))

    def retagged(self, report: RetagReport | None, refused: RetagRefused | None) -> None:
        self.retag, self.retag_refused = report, refused

    @property
    def retag_summary(self) -> str:
        """What re-tagging did, in words; empty when the gazetteer did not change."""
        if self.retag_refused is not None:
            return (
                f"The archive was not re-tagged for the gazetteer's changes: "
                f"{self.retag_refused}. They wait for manage.py retag_articles."
            )
        return str(self.retag) if self.retag is not None else ""

    def __str__(self) -> str:
        text = f"{self.files} file(s) read. Articles: {self.articles}. Entities: {self.entities}."
        return f"{text} {self.retag_summary}".strip()


# Outcomes and errors an import run keeps for the editors' desk, at most.
RUN_REPORT_LINES = 1_000


class Importer:
    """Imports files all or nothing. ``progress(stage, done, total)`` is called as files
    are read and as articles are checked."""

    def __init__(
        self,
        *,
        dry_run: bool = False,
        edited: Edited = Edited.REFUSE,
        progress: Callable[[str, int, int], None] | None = None,
        statement_timeout: float | None = None,
        user=None,
        via: ImportRun.Via = ImportRun.Via.COMMAND,
        file_name: Callable[[Path], str] = str,
    ):
        """``statement_timeout`` (seconds) replaces the connection's for the write: the
        command line's imports may be long, the admin's are bounded (importing/uploads.py).
        ``user`` imports ``via`` the command or an upload; each import but a dry run is
        kept with its report (ImportRun), its files named by ``file_name``."""
        self.dry_run = dry_run
        self.edited = Edited(edited)
        self.progress = progress or (lambda stage, done, total: None)
        self.statement_timeout = statement_timeout
        self.user = user if user is not None and user.is_authenticated else None
        self.via = via
        self.file_name = file_name

    def run(self, paths: Iterable[Path]) -> ImportReport:
        """Imports ``paths`` all or nothing; then, once that has committed, re-tags the
        archive for the gazetteer's changes."""
        started = timezone.now()
        try:
            report = self._run(list(paths))
        except ImportFailed as failure:
            if not self.dry_run:
                self._keep_run(started, failure=failure)
            IMPORTS.labels("refused").inc()
            raise
        if self.dry_run:
            IMPORTS.labels("dry_run").inc()
        else:
            self._keep_run(started, report=report)
            IMPORTS.labels("committed").inc()
            for outcome in ("created", "updated", "unchanged", "kept"):
                IMPORTED_ARTICLES.labels(outcome).inc(getattr(report.articles, outcome))
        return report

    def _keep_run(
        self, started, report: ImportReport | None = None, failure: ImportFailed | None = None
    ) -> None:
        if report is not None:
            outcomes = [[self.file_name(p), outcome] for p, outcome in report.article_outcomes]
            details = {"outcomes": outcomes[:RUN_REPORT_LINES], "files_listed": len(outcomes)}
            if report.retag is not None:
                details["retag"] = report.retag.as_json()
            summary, files = str(report), report.files
        else:
            errors = [[self.file_name(e.path), e.reason] for e in failure.errors]
            details = {"errors": errors[:RUN_REPORT_LINES], "files_listed": len(errors)}
            summary, files = f"Refused: {len(errors)} bad file(s); nothing was written.", 0
        ImportRun.objects.create(
            started_at=started,
            user=self.user,
            via=self.via,
            succeeded=report is not None,
            files=files,
            summary=summary[: ImportRun._meta.get_field("summary").max_length],
            report=details,
        )

    def _run(self, paths: list[Path]) -> ImportReport:
        files, errors = find_files(paths)
        entity_records, article_records = self.parse(files, errors)
        report = ImportReport(files=len(files), dry_run=self.dry_run)
        try:
            with transaction.atomic():
                if self.statement_timeout is not None:
                    with connection.cursor() as cursor:
                        milliseconds = max(1, round(self.statement_timeout * 1000))
                        cursor.execute(
                            "SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)]
                        )
                refused = self.save_entities(entity_records, report)
                self.save_articles(article_records, report, refused)
                if self.dry_run:
                    transaction.set_rollback(True)
                else:
                    retag_after_commit(
                        author=self.user,
                        report=report.retagged,
                        max_articles=WHILE_YOU_WAIT if self.via == ImportRun.Via.UPLOAD else None,
                    )
        except (DatabaseError, connection.Database.Error) as error:
            # The files were valid, but the database refused or stopped the write (its
            # statement timeout, a limit no check foresaw): say so rather than a traceback.
            # (COPY raises the driver's own errors, which Django does not wrap.)
            where = Path(os.path.commonpath([path.absolute() for path in paths]))
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ImportFailed(
                [ImportFileError(where, f"the database stopped the import ({reason})")]
            ) from None
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

    def save_entities(
        self, records: list[EntityRecord], report: ImportReport
    ) -> list[ImportFileError]:
        """Writes the new and changed entities; returns the refusals of those editors
        changed since their last import (when the import is to refuse them)."""
        existing = {
            (e.kind, e.slug): e
            for e in Entity.objects.filter(slug__in=[r.slug for r in records]).prefetch_related(
                *EVENT_LINKS
            )
        }
        changed: list[tuple[EntityRecord, Entity, dict[str, list[Entity]]]] = []
        errors = []
        for record in records:
            entity = existing.get((record.kind, record.slug))
            if entity is not None and entity.gazetteer_checksum == record.checksum:
                report.entities.unchanged += 1
                continue
            values = record_values(record)
            if entity is None:
                entity = Entity(kind=record.kind, slug=record.slug)
                report.entities.created += 1
            elif edits := entity_edits(entity, values):
                if self.edited is Edited.REFUSE:
                    errors.append(entity_conflict(record, entity, edits, values))
                    continue
                if self.edited is Edited.SKIP:
                    report.entities.kept += 1
                    continue
                report.entities.updated += 1
            else:
                report.entities.updated += 1
            added_links = editor_added_links(entity) if entity.pk else {}
            for name, value in record.fields.items():
                setattr(entity, name, value)
            entity.gazetteer_checksum = record.checksum
            entity.imported_values = values
            entity.save()
            changed.append((record, entity, added_links))
        self._save_aliases_and_links(changed)
        return errors

    @staticmethod
    def _save_aliases_and_links(
        changed: list[tuple[EntityRecord, Entity, dict[str, list[Entity]]]],
    ) -> None:
        """Aliases are only ever added, so those an editor added in the admin survive; so
        are the places and participants an editor added to an event."""
        Alias.objects.bulk_create(
            [
                Alias(entity=entity, name=alias)
                for record, entity, _ in changed
                for alias in record.aliases
            ],
            ignore_conflicts=True,
        )
        events = [item for item in changed if item[0].kind == Entity.Kind.EVENT]
        if not events:
            return
        wanted = {s for r, _, _ in events for s in r.place_slugs + r.participant_slugs}
        by_slug: dict[str, list[Entity]] = {}
        for entity in Entity.objects.filter(slug__in=wanted).exclude(kind=Entity.Kind.EVENT):
            by_slug.setdefault(entity.slug, []).append(entity)
        errors = []
        for record, event, added_links in events:
            links = {name: list(added_links.get(name, [])) for name in EVENT_LINKS}
            for relation, slugs, allowed in (
                ("places", record.place_slugs, {Entity.Kind.PLACE}),
                ("participants", record.participant_slugs, set(kinds.PARTICIPANT_KINDS)),
            ):
                for slug in slugs:
                    matches = [e for e in by_slug.get(slug, []) if e.kind in allowed]
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

    def save_articles(
        self,
        records: list[ArticleRecord],
        report: ImportReport,
        refused: list[ImportFileError] = (),
    ) -> None:
        """Writes the new and changed articles and their tags in a few bulk statements,
        unless a file is refused here or was ``refused`` before."""
        if not records:
            if refused:
                raise ImportFailed(refused)
            return
        tagger = Tagger.from_database()
        resolver = TagResolver.from_database()
        existing = {
            a.source_file: a for a in Article.objects.from_files([r.source_file for r in records])
        }
        changed = {
            article.pk: article
            for record in records
            if (article := existing.get(record.source_file)) is not None
            and (article.checksum, article.sidecar_checksum)
            != (record.checksum, record.sidecar_checksum)
        }
        latest = latest_revisions(changed.values())
        imported = imported_revisions(
            [a for a in changed.values() if a.version != a.imported_version]
        )
        errors, created, updated, declared_tags, written, conflicts = [*refused], [], [], {}, [], []
        for done, record in enumerate(records, 1):
            self.progress("check", done, len(records))
            article = existing.get(record.source_file)
            if article is not None and article.pk not in changed:
                report.record(record.path, "unchanged")
                continue
            try:
                declared = resolver.resolve(record)
            except ImportFileError as error:
                errors.append(error)
                continue
            publication = None
            if article is None:
                article = Article(source_file=record.source_file, slug=record.slug or "")
                created.append(article)
                report.record(record.path, "created")
            else:
                edit = EditorsChanges.of(article, imported, latest)
                if edit.content and self.edited is Edited.REFUSE:
                    conflicts.append((record, article, edit))
                    continue
                if edit.content and self.edited is Edited.SKIP:
                    report.record(record.path, "kept")
                    continue
                if edit.publication:
                    publication = {name: getattr(article, name) for name in PUBLICATION_FIELDS}
                article.slug = record.slug or article.slug
                updated.append(article)
                report.record(record.path, "updated")
            for name, value in record.fields.items():
                setattr(article, name, value)
            for name, value in (publication or {}).items():
                setattr(article, name, value)
            # Numbered now, since the row is written with it before its tags are found.
            article.version = article.imported_version = next_revision_number(article)
            article.checksum = record.checksum
            article.sidecar_checksum = record.sidecar_checksum
            declared_tags[record.source_file] = declared
            written.append(record)
        errors.extend(edit_conflicts(conflicts, imported))
        named = [record for record in written if record.slug]
        errors.extend(taken_slugs(named))
        if errors:
            raise ImportFailed(errors)
        unnamed = [article for article in created if not article.slug]
        slugs = unique_slugs(
            Article,
            [article.title for article in unnamed],
            fallback="article",
            reserved={record.slug for record in named},
        )
        for article, slug in zip(unnamed, slugs, strict=True):
            article.slug = slug
        now = timezone.now()
        for article in updated:
            article.updated_at = now
        editors_tags = EditorsTags.of(updated)
        editors_quotations = EditorsQuotations.of(updated)
        Mention.objects.filter(article__in=updated).exclude(origin=Mention.Origin.EDITOR).delete()
        Quotation.objects.filter(article__in=updated, origin=Quotation.Origin.TEXT).delete()
        new_mentions, new_revisions = PreparedRows(Mention), PreparedRows(Revision)
        new_quotations = PreparedRows(Quotation)
        people = speakers()
        new_names = NameRows()

        def tag_and_record(article: Article) -> None:
            kept = editors_tags.added.get(article.pk, [])
            text = article_text(article)
            mentions = _mentions(
                article,
                tagger.count(text),
                declared_tags[article.source_file],
                leave_out={m.entity_id for m in kept} | editors_tags.removed.get(article.pk, set()),
            )
            for mention in mentions:
                new_mentions.add(mention)
            editors = editors_quotations.kept.get(article.pk, [])
            quotations = found_quotations(
                article,
                [people[m.entity_id] for m in mentions + kept if m.entity_id in people],
                editors,
                editors_quotations.removed.get(article.pk, set()),
            )
            for quotation in quotations:
                new_quotations.add(quotation)
            new_revisions.add(
                import_revision(
                    article, mentions + kept, quotations + editors, latest.get(article.pk)
                )
            )
            new_names.add(article, names_of(text, tagger))

        # The changed articles are tagged while PostgreSQL updates them.
        with copy_update(Article, updated, UPDATABLE_FIELDS):
            for article in updated:
                tag_and_record(article)
        # Each new article is tagged, and its tags and revision made into rows, while
        # PostgreSQL indexes the articles written before it.
        with copy_writer(Article, ids=reserve_ids(Article, len(created))) as write:
            for article in created:
                write(article)
                tag_and_record(article)
        new_mentions.copy()
        new_quotations.copy()
        new_revisions.copy()
        new_names.write(replacing=[article.pk for article in updated])
        if errors := link_translations(written):
            raise ImportFailed(errors)


def link_translations(records: list[ArticleRecord]) -> list[ImportFileError]:
    """Links each article whose file names the article it translates (``translation_of``,
    a slug, of an article already in the archive or in this import) to it: one statement.
    A file that names none leaves its article's link as an editor set it. A story has one
    original: an article cannot translate itself, or a translation."""
    named = [record for record in records if record.translation_of]
    if not named:
        return []
    slugs = {record.translation_of for record in named}
    originals = {
        slug: (pk, translation_of_id)
        for slug, pk, translation_of_id in Article.objects.filter(slug__in=slugs).values_list(
            "slug", "pk", "translation_of_id"
        )
    }
    translations = {record.slug or "" for record in named} | {
        slug
        for slug in Article.objects.exclude(source_file="")
        .filter(source_file__in=[record.source_file for record in named])
        .values_list("slug", flat=True)
    }
    errors = []
    for record in named:
        original = originals.get(record.translation_of)
        if original is None:
            reason = f"translation_of names no article: {record.translation_of}"
        elif record.translation_of in translations or original[1] is not None:
            reason = f"translation_of names a translation: {record.translation_of}"
        else:
            continue
        errors.append(ImportFileError(record.path, reason))
    if errors:
        return errors
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article article SET translation_of_id = link.original"
            " FROM unnest(%s::text[], %s::bigint[]) AS link (source_file, original)"
            " WHERE article.source_file = link.source_file AND article.source_file <> ''"
            " AND article.translation_of_id IS DISTINCT FROM link.original",
            [
                [record.source_file for record in named],
                [originals[record.translation_of][0] for record in named],
            ],
        )
    return []


def _mentions(
    article: Article, found: Counter, declared: set[int], leave_out: set[int] = frozenset()
) -> list[Mention]:
    """The article's tags: the entities ``found`` in its text by the tagger, with their
    counts, and those its file declared, less ``leave_out`` (the tags editors added or
    removed)."""
    return [
        Mention(article=article, entity_id=entity_id, count=count, origin=Mention.Origin.TEXT)
        for entity_id, count in found.items()
        if entity_id not in leave_out
    ] + [
        Mention(article=article, entity_id=entity_id, count=0, origin=Mention.Origin.DECLARED)
        for entity_id in declared - found.keys() - leave_out
    ]


@dataclass
class EditorsChanges:
    """What editors changed of an article since its file was last imported: its content
    (what a re-import of a changed file would undo) and its publication (which every
    re-import keeps)."""

    content: list[str]
    publication: bool

    @classmethod
    def of(
        cls, article: Article, imported: dict[int, Revision], latest: dict[int, Revision]
    ) -> "EditorsChanges":
        if article.version == article.imported_version:
            return cls([], False)
        current = latest[article.pk].snapshot if article.pk in latest else snapshot(article, [], [])
        base = imported.get(article.pk)
        # Without the import's revision, every field counts as the editors'.
        changed = changed_fields(base.snapshot if base else None, current)
        return cls(
            [n for n in SNAPSHOT_FIELDS if n in changed and n not in PUBLICATION_FIELDS],
            any(name in PUBLICATION_FIELDS for name in changed),
        )


@dataclass
class EditorsTags:
    """The tags editors added to articles, and the entities whose tags they removed."""

    added: dict[int, list[Mention]]
    removed: dict[int, set[int]]

    @classmethod
    def of(cls, articles: list[Article]) -> "EditorsTags":
        added: dict[int, list[Mention]] = {}
        for mention in Mention.objects.filter(article__in=articles, origin=Mention.Origin.EDITOR):
            added.setdefault(mention.article_id, []).append(mention)
        removed: dict[int, set[int]] = {}
        for article_id, entity_id in RemovedTag.objects.filter(article__in=articles).values_list(
            "article_id", "entity_id"
        ):
            removed.setdefault(article_id, set()).add(entity_id)
        return cls(added, removed)


@dataclass
class EditorsQuotations:
    """The quotations editors added or corrected in articles, and the found passages they
    deleted or corrected: a re-import keeps the first and does not find the second again."""

    kept: dict[int, list[Quotation]]
    removed: dict[int, set[str]]

    @classmethod
    def of(cls, articles: list[Article]) -> "EditorsQuotations":
        kept: dict[int, list[Quotation]] = {}
        for quotation in Quotation.objects.filter(
            article__in=articles, origin=Quotation.Origin.EDITOR
        ):
            kept.setdefault(quotation.article_id, []).append(quotation)
        removed: dict[int, set[str]] = {}
        for article_id, passage in RemovedQuotation.objects.filter(
            article__in=articles
        ).values_list("article_id", "passage"):
            removed.setdefault(article_id, set()).add(passage)
        return cls(kept, removed)


def imported_revisions(articles: list[Article]) -> dict[int, Revision]:
    """The revision each of ``articles``' last import wrote, by article id: one query."""
    return {
        revision.article_id: revision
        for revision in Revision.objects.filter(
            article__in=articles, number=F("article__imported_version")
        )
    }


def edit_conflicts(
    conflicts: list[tuple[ArticleRecord, Article, EditorsChanges]], imported: dict[int, Revision]
) -> list[ImportFileError]:
    """An error for each changed file whose article editors changed too, saying who changed
    what, and what the file changes: one query for all their editors."""
    if not conflicts:
        return []
    editors: dict[int, set[str]] = {}
    revisions = Revision.objects.filter(
        article__in=[article for _, article, _ in conflicts],
        number__gt=F("article__imported_version"),
    ).select_related("author")
    for revision in revisions:
        name = revision.author.get_username() if revision.author else "an unnamed writer"
        editors.setdefault(revision.article_id, set()).add(name)
    errors = []
    for record, article, edit in conflicts:
        base = imported.get(article.pk)
        theirs = file_changes(record, base.snapshot if base else {})
        who = ", ".join(sorted(editors.get(article.pk, {"an unnamed writer"})))
        errors.append(
            EditedSinceImport(
                record.path,
                f"its article was edited since its last import (by {who}, up to revision "
                f"{article.version}: {', '.join(edit.content)}); the file changes "
                f"{', '.join(theirs) or 'nothing the editors see'}",
            )
        )
    return errors


def file_changes(record: ArticleRecord, base: dict) -> list[str]:
    """The fields of the article that ``record`` gives other values than ``base`` has."""
    values = {name: json_value(value) for name, value in record.fields.items()}
    if record.slug:
        values["slug"] = record.slug
    return [name for name in SNAPSHOT_FIELDS if name in values and values[name] != base.get(name)]


def record_values(record: EntityRecord) -> dict:
    """What an import of ``record`` writes, as JSON values: its fields and, for an event,
    the slugs of its places and participants."""
    values = {name: json_value(value) for name, value in record.fields.items()}
    if record.kind == Entity.Kind.EVENT:
        values["places"] = sorted(record.place_slugs)
        values["participants"] = sorted(record.participant_slugs)
    return values


def entity_edits(entity: Entity, values: dict) -> list[str]:
    """What editors changed of what the last gazetteer import wrote: the values that differ
    now, and an event's places or participants they removed (those they added are kept by
    every import). An entity no import wrote is all editors' work: what differs from the
    file's ``values``."""
    base = entity.imported_values if entity.gazetteer_checksum else values
    edits = []
    for name, value in base.items():
        if name in EVENT_LINKS:
            current = {linked.slug for linked in getattr(entity, name).all()}
            if set(value) - current or (not entity.gazetteer_checksum and current - set(value)):
                edits.append(name)
        elif json_value(getattr(entity, name)) != value:
            edits.append(name)
    return edits


def editor_added_links(entity: Entity) -> dict[str, list[Entity]]:
    """The places and participants editors linked an event to, beyond its last import."""
    if entity.kind != Entity.Kind.EVENT:
        return {}
    imported = entity.imported_values if entity.gazetteer_checksum else {}
    return {
        name: [e for e in getattr(entity, name).all() if e.slug not in imported.get(name, [])]
        for name in EVENT_LINKS
    }


def entity_conflict(
    record: EntityRecord, entity: Entity, edits: list[str], values: dict
) -> EditedSinceImport:
    if not entity.gazetteer_checksum:
        return EditedSinceImport(
            record.path,
            f"{record.kind} {record.slug!r} was written in the admin, and the file gives "
            f"other {', '.join(edits)}",
        )
    theirs = [name for name, value in values.items() if entity.imported_values.get(name) != value]
    return EditedSinceImport(
        record.path,
        f"{record.kind} {record.slug!r} was edited since its last import ({', '.join(edits)}); "
        f"the file changes {', '.join(theirs) or 'nothing the editors see'}",
    )


def taken_slugs(records: list[ArticleRecord]) -> list[ImportFileError]:
    """An error for each record naming a slug that another article has, in the archive
    or earlier in this import: the unique slug would otherwise stop the write itself."""
    wanted = {record.slug for record in records}
    owners = dict(Article.objects.filter(slug__in=wanted).values_list("slug", "source_file"))
    errors, claimed = [], {}
    for record in records:
        if record.slug in claimed:
            message = f"slug {record.slug!r} is named by {claimed[record.slug]} too"
            errors.append(ImportFileError(record.path, message))
            continue
        claimed[record.slug] = record.path
        owner = owners.get(record.slug, record.source_file)
        if owner != record.source_file:
            whose = f"the article from {owner}" if owner else "an article written in the admin"
            message = f"slug {record.slug!r} already belongs to {whose}"
            errors.append(ImportFileError(record.path, message))
    return errors


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
            try:
                resolved.add(self.entity_of(tag))
            except LookupError as error:
                raise ImportFileError(record.path, str(error)) from None
        return resolved

    def entity_of(self, tag: str) -> int:
        """The id of the one entity ``tag`` names; LookupError saying why not."""
        kind, _, name = tag.rpartition(":")
        candidates = self._by_key.get(name.strip(), set()) | self._by_key.get(name_key(name), set())
        if kind:
            candidates = {c for c in candidates if c[1] == kind.strip()}
        if not candidates:
            raise LookupError(f"unknown tag {tag!r}")
        if len({c[0] for c in candidates}) > 1:
            kinds = ", ".join(sorted(c[1] for c in candidates))
            raise LookupError(f"tag {tag!r} is ambiguous ({kinds}); write it as kind:name")
        return next(iter(candidates))[0]

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing.writer import Edited, EditedSinceImport, Importer, ImportFailed

PROGRESS_EVERY = 500
# A long import is legitimate here, unlike in a web request: the write's statements may
# run this long (seconds) instead of the connection's statement timeout.
STATEMENT_TIMEOUT = 600


class Command(BaseCommand):
    help = (
        "Import articles (.txt with an optional NAME.meta.yaml sidecar, .md with front matter) "
        "and gazetteer files (.yaml) from files and folders. All or nothing: if any file is "
        "bad, nothing is written. Importing the same files again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, then write nothing.",
        )
        parser.add_argument(
            "--statement-timeout",
            type=float,
            default=STATEMENT_TIMEOUT,
            metavar="SECONDS",
            help=f"How long one statement of the write may run (default {STATEMENT_TIMEOUT}); "
            "past it the import is refused and nothing is written.",
        )
        edited = parser.add_mutually_exclusive_group()
        edited.add_argument(
            "--skip-edited",
            dest="edited",
            action="store_const",
            const=Edited.SKIP,
            help="When a changed file's article or entity was edited since its last import, "
            "keep the editors' version and import the rest. Without this or "
            "--overwrite-edited, such a file refuses the import.",
        )
        edited.add_argument(
            "--overwrite-edited",
            dest="edited",
            action="store_const",
            const=Edited.OVERWRITE,
            help="When a changed file's article or entity was edited since its last import, "
            "take the file's text and details; the editors' tags, added event links and "
            "decision to publish or withdraw an article stay.",
        )

    def handle(self, *args, paths, dry_run, edited, statement_timeout, verbosity, **options):
        importer = Importer(
            dry_run=dry_run,
            edited=edited or Edited.REFUSE,
            progress=self.show_progress if verbosity else None,
            statement_timeout=statement_timeout,
        )
        try:
            report = importer.run(paths)
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(f"{error.path}: {error.reason}")
            if any(isinstance(error, EditedSinceImport) for error in failure.errors):
                self.stderr.write(
                    "Editors changed what those files imported before. Choose which side "
                    "wins: --skip-edited keeps the editors' versions, --overwrite-edited "
                    "takes the files' (an editor's tags and decision to publish or withdraw "
                    "stay either way)."
                )
            raise CommandError(
                f"Import refused: {len(failure.errors)} bad file(s); nothing was written."
            ) from None
        if not verbosity:
            return
        if verbosity >= 2:
            for path, outcome in report.article_outcomes:
                self.stdout.write(f"  {outcome:9} {path}")
        prefix = "Dry run, nothing written. Would have: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{report.files} file(s) read. Articles: {report.articles}. "
                f"Entities: {report.entities}."
            )
        )
        if report.retag_refused is not None:
            self.stderr.write(report.retag_summary)
        elif report.retag is not None:
            self.stdout.write(report.retag_summary)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            self.stderr.write(f"  {stage} {done}/{total} ({done * 100 // total}%)")

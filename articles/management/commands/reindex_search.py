from django.core.management.base import BaseCommand

from articles.search.indexing import BATCH_SIZE, reindex_articles

PROGRESS_EVERY = 50_000


class Command(BaseCommand):
    help = (
        "Rewrite the search vectors of the articles indexed otherwise than the database "
        "indexes them now (after a migration changed how text is folded or indexed), a batch "
        "at a time, each committed as it is done. Safe to run on a live archive, and again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Articles read a transaction (default {BATCH_SIZE:,}).",
        )

    def handle(self, *args, batch_size, verbosity, **options):
        shown = [0]

        def progress(report):
            if verbosity and report.read >= shown[0] + PROGRESS_EVERY:
                shown[0] = report.read
                self.stdout.write(str(report))

        report = reindex_articles(max(1, batch_size), progress)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(str(report)))

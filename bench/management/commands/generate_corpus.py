from django.core.management.base import BaseCommand, CommandError

from bench.corpus import DEFAULT_BATCH_SIZE, NoGazetteer, generate_corpus

DEFAULT_WORKERS = 2


class Command(BaseCommand):
    help = (
        "Create N synthetic published articles for benchmarks, tagged with the gazetteer's "
        "entities (import seeds/ first). They are marked by source_file synthetic/<n>.md and "
        "numbered after the existing ones; --replace removes those first."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many articles to create.")
        parser.add_argument(
            "--seed", type=int, default=0, help="The same seed gives the same articles."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the previous synthetic articles first (in the same transaction).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Articles per INSERT (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help="Connections inserting in parallel, so that PostgreSQL computes the search "
            f"vectors on several cores (default {DEFAULT_WORKERS}). With more than one, "
            "--replace commits its deletion first.",
        )

    def handle(self, *args, count, seed, replace, batch_size, workers, verbosity, **options):
        if count < 0 or batch_size < 1 or workers < 1:
            raise CommandError("count must be 0 or more, --batch-size and --workers at least 1.")
        try:
            report = generate_corpus(
                count,
                seed=seed,
                replace=replace,
                batch_size=batch_size,
                workers=workers,
                progress=self.show_progress if verbosity else None,
            )
        except NoGazetteer as error:
            raise CommandError(f"{error} (manage.py import_articles seeds/)") from None
        if not verbosity:
            return
        created = (
            f"Created {report.created} synthetic articles "
            f"(synthetic/{report.first_number}.md to synthetic/{report.last_number}.md) "
            f"with {report.mentions} tags"
            if report.created
            else "Created no articles"
        )
        deleted = f"; deleted {report.deleted} previous ones" if replace else ""
        rate = report.created / report.seconds if report.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{created}{deleted}, seed {seed}, in {report.seconds:.1f} s "
                f"({rate:,.0f} articles/s, {report.workers} worker(s))."
            )
        )

    def show_progress(self, done: int, total: int) -> None:
        self.stderr.write(f"  {done}/{total} ({done * 100 // total}%)")

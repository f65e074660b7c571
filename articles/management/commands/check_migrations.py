"""manage.py check_migrations: fails when a migration would stop the archive while it
runs (articles/db/migration_safety.py)."""

from django.core.management.base import BaseCommand, CommandError

from articles.db.migration_safety import unsafe_migrations

# Every migration from this one on must be safe on a live archive; those before it are
# listed in the README with what an operator does about them.
CHECKED_FROM = ["articles:0022"]


class Command(BaseCommand):
    help = "Checks that migrations (from articles 0022 on) are safe on a live, large archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "start",
            nargs="*",
            default=CHECKED_FROM,
            help="APP:MIGRATION to check from (default: %(default)s)",
        )

    def handle(self, *args, start, verbosity, **options):
        problems = []
        for given in start:
            app_label, _, first = given.partition(":")
            try:
                problems += unsafe_migrations(app_label, first or "0001")
            except ValueError as error:
                raise CommandError(str(error)) from None
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(
                f"{len(problems)} unsafe operation(s) on a live archive: see above, or "
                "README (Operating it: migrations)."
            )
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Safe on a live archive: {', '.join(start)}."))

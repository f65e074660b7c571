from django.core.management.base import BaseCommand, CommandError

from articles.search.headline_rankings import RANKED_HEADLINES, rank_headlines


class Command(BaseCommand):
    help = (
        "Rank, once, the headlines naming each name in most headlines, so that a search for "
        "it reads its best headlines off an index (docs/search.md); drop the rankings of "
        "names whose aliases changed. Articles written wait while a ranking is built. "
        "re-tagging runs it too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-headlines",
            type=int,
            default=RANKED_HEADLINES,
            help=f"Rank a name matching at least this many headlines (default "
            f"{RANKED_HEADLINES:,}).",
        )

    def handle(self, *args, min_headlines, verbosity, **options):
        if min_headlines < 1:
            raise CommandError("--min-headlines must be at least 1.")
        report = rank_headlines(min_headlines, self.stderr.write if verbosity else None)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(str(report)))

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.importing.retagging import (
    RetagReport,
    entity_names,
    retag_all,
    retag_names,
    retag_pending,
)
from articles.models import Entity
from articles.search.headline_rankings import rank_headlines

PROGRESS_EVERY = 5_000


class Command(BaseCommand):
    help = (
        "Re-tag the archive with the gazetteer as it is now. Without options, for the changes "
        "to entities' names and aliases not yet re-tagged (the admin, imports and merges "
        "re-tag once they commit; changes made otherwise wait here). Tags editors added stay, "
        "and tags they removed are not put back. Then the headline rankings follow the names "
        "(rank_headlines)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--entity",
            nargs="+",
            metavar="SLUG",
            help="Re-tag the articles that may spell these entities' names and aliases "
            "(KIND:SLUG where a slug names entities of several kinds).",
        )
        which.add_argument(
            "--all",
            action="store_true",
            help="Re-tag every article, a batch at a time (each committed as it is done), "
            "and read every article's names for the names-to-add queue.",
        )

    def handle(self, *args, entity, all, verbosity, **options):
        progress = self.show_progress if verbosity else None
        if all:
            report = retag_all(progress=progress)
        elif entity:
            entities = [self.entity(slug) for slug in entity]
            with transaction.atomic():
                report = retag_names(entity_names(entities), progress=progress)
        else:
            report = retag_pending(progress=progress)
            if report is None:
                if verbosity:
                    self.stdout.write("No changes to the gazetteer wait to be re-tagged.")
                return
        if verbosity:
            self.stdout.write(self.style.SUCCESS(str(report)))
        # The names changed may be in most headlines: their rankings follow their queries.
        ranking = rank_headlines(progress=self.stderr.write if verbosity else None)
        if verbosity:
            self.stdout.write(str(ranking))

    @staticmethod
    def entity(slug: str) -> Entity:
        kind, _, slug = slug.rpartition(":")
        matches = list(Entity.objects.filter(slug=slug, **({"kind": kind} if kind else {})))
        if not matches:
            raise CommandError(f"No entity {slug!r}{f' of kind {kind}' if kind else ''}.")
        if len(matches) > 1:
            kinds = ", ".join(sorted(f"{e.kind}:{e.slug}" for e in matches))
            raise CommandError(f"{slug!r} names several entities: write one of {kinds}.")
        return matches[0]

    def show_progress(self, done: int, total: int, report: RetagReport) -> None:
        if total >= PROGRESS_EVERY and (done % PROGRESS_EVERY < 1_000 or done == total):
            self.stderr.write(
                f"  read {done:,}/{total:,} ({done * 100 // total}%), {report.changed:,} changed"
            )

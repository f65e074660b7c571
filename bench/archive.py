"""The archive the benchmark (bench/run.py) and the load test (bench/loadtest.py) measure:
Django set up with the bench settings (production's) on a database, which is migrated,
given seeds/ and the synthetic corpus, and vacuumed."""

import os
import subprocess
import sys
import time
from pathlib import Path

from bench import log
from bench.figures import Results, Retag
from bench.servers import ROOT


def configure(database_url: str, static_root: Path) -> None:
    """Point Django (and the gunicorn started later, which inherits the environment) at
    the bench settings and the database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["BENCH_STATIC_ROOT"] = str(static_root)
    os.environ["BENCH_PAGE_CACHE"] = "off"  # in process, every request runs its view
    import django

    django.setup()


def retag_noted_changes() -> int:
    """Re-tags for the gazetteer's changes still noted, without the statement timeout; how
    many there were. The events the corpus gains are noted as they are added, and read by
    the names' first reading (prepare_database); on an archive whose names were read
    before, they would be taken up by the timed import's own re-tag, and time it with it
    (at a million articles, 15 s of each import, until the statement timeout stopped it)."""
    from django.db import connection, transaction

    from articles.importing.retagging import retag_pending
    from articles.models import GazetteerChange

    pending = GazetteerChange.objects.count()
    if pending:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            retag_pending()
    return pending


def prepare_database(corpus_size: int, results: Results) -> None:
    from django.core.management import call_command
    from django.db import connection

    from articles.importing.retagging import retag_all
    from articles.models import NameOccurrence
    from articles.search.headline_rankings import rank_headlines
    from bench.corpus import build_missing_text_indexes, generate_corpus, synthetic_articles
    from bench.glance import add_glance_data

    ensure_database = [sys.executable, str(ROOT / "scripts" / "ensure_database.py")]
    subprocess.run(ensure_database, check=True, timeout=60)  # noqa: S603 (our own script)
    log("migrating")
    call_command("migrate", interactive=False, verbosity=0)
    log("importing seeds/")
    call_command("import_articles", str(ROOT / "seeds"), verbosity=0)
    existing = synthetic_articles().count()
    if existing < corpus_size:
        missing = corpus_size - existing
        log(f"generating {missing:,} synthetic articles ({existing:,} there)")
        every = max(1, missing // 10)

        def progress(done: int, total: int) -> None:
            if done % every < 2_000 or done == total:
                log(f"  {done:,}/{total:,}")

        cpu = time.process_time()
        report = generate_corpus(missing, workers=2, progress=progress)
        results.corpus_created, results.corpus_seconds = report.created, report.seconds
        results.corpus_python_cpu = time.process_time() - cpu
        results.corpus_load = os.getloadavg()[0]
        rebuilt = report.indexes_rebuilt_seconds
        log(
            f"generated {report.created:,} in {report.seconds:.1f} s"
            + (f" (the full-text indexes built again in {rebuilt:.1f} s of it)" if rebuilt else "")
        )
    build_missing_text_indexes()
    results.corpus_total = synthetic_articles().count()
    glance = add_glance_data()
    log(
        f"events and quotations: {glance.events:,} events ({glance.declared:,} declared tags) "
        f"and {glance.quotations:,} quotations added"
    )
    if not NameOccurrence.objects.exists():
        log("reading every article's names for the names-to-add queue (retag_articles --all)")
        started = time.perf_counter()
        report = retag_all()
        results.names_first_read = Retag(
            "retag_articles --all, first: names read for the queue",
            report.read,
            report.changed,
            time.perf_counter() - started,
        )
    if pending := retag_noted_changes():
        log(f"re-tagged for the gazetteer's {pending:,} noted changes (retag_articles)")
    log("ranking the headlines of the names in most of them (rank_headlines)")
    log(str(rank_headlines(progress=lambda line: log(f"  {line}"))))
    log("VACUUM (ANALYZE)")
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '15min'")
        for table in (
            "articles_article", "articles_mention", "articles_entity", "articles_alias",
            "articles_quotation", "articles_entity_places", "articles_entity_participants",
        ):  # fmt: skip
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("RESET statement_timeout")

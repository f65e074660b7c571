"""The performance benchmark (``make bench``): prints one table of figures and targets.

On the scratch database ``newsarchive_bench`` (same server as DATABASE_URL; another with
BENCH_DATABASE=name): migrate, import seeds/, top the synthetic corpus up to 100,000
articles (bench/corpus.py; ``--articles N`` for another size), then VACUUM ANALYZE so the
planner's statistics, the visibility map and the search indexes are as in a steady state.
Then SQLite FTS5 and tantivy are built over the same published articles (bench/peers.py).
Then, for each page:

* its SQL, captured on one request, and the number of queries;
* latency through the Django test client, in process, after a warm-up;
* latency over HTTP through gunicorn (2 sync workers, production settings, DEBUG off) on a
  free port of 127.0.0.1, beside a constant view under the same server (the floor for
  Django plus HTTP);
* latency of the page's SQL statements re-run with a cursor (the floor for the page),
  taken in turn with the HTTP requests, so that both see the machine in the same state
  (on a shared machine its speed drifts by tens of percent within minutes). They run one
  after another, while a search runs its counts beside its page of articles
  (articles/db/alongside.py), so a search can take less than its SQL;
* for a search, in turn with those too, the same query answered by each peer: the top 20
  by BM25 with a passage of each and the exact number of matches;
* requests per second with wrk for the article, home and an entity page and the constant
  view, and the peak memory (VmHWM) of a gunicorn worker afterwards.

Public pages are cached until the archive changes (articles/reader/caching.py), so a
repeated request measures a cache hit. Every figure above is therefore taken with the page
cache swapped for a dummy one (what a page costs on a miss: a new article page, a search
nobody made before, the first request after an import), and the HTTP latency and req/s once more
with production's cache, reported beside them as "cached": the req/s target is judged on
those, as production serves the pages.

and the import throughput: 1,000 generated .md files imported with ``import_articles``,
beside its floor (the rows it wrote to articles_article COPY'd by PostgreSQL alone into a
copy of the table: bench/import_floor.py), then imported again each changed (an update of
every article), then deleted; and the
renderer on a family of pathological Markdown (tests/support/markdown_family.py), its
slowest body against a normal article of the same length. Every loop
and subprocess is bounded; the script stops its gunicorn whatever happens and exits 0
when a target is missed (1 only when something broke).

Each run's search figures are kept in .bench/figures-<articles>.json (ignored by git); a
run at another size than 100,000 prints beside its own the figures on record at 100,000
and the growth since.
"""

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from bench import log
from bench.archive import configure, prepare_database
from bench.figures import (
    CORPUS_SIZE,
    IMPORT_FILES,
    RENDER_CHARS,
    AdminPage,
    Page,
    PeerBuild,
    Results,
    Retag,
    Timing,
    load_figures,
    peers_table,
    save_figures,
    table,
)
from bench.import_floor import copy_floor
from bench.peers import PeerQuery, build_peers
from bench.servers import (
    ROOT,
    WORKERS,
    WRK_CONNECTIONS,
    WRK_THREADS,
    ensure_wrk,
    gunicorn,
    http_get,
    peak_memory_mb,
    run_wrk,
)

# The scratch database (on DATABASE_URL's server); BENCH_DATABASE names another, so that
# two benchmarks of different branches do not migrate one database back and forth.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "newsarchive_bench"
FIGURES = ROOT / ".bench"
IMPORT_PREFIX = "bench-import-"
# Aliases re-tagging is timed on, removed then added back: (entity slug, alias), a rare
# spelling and a common one.
RETAGGED_ALIASES = [("khost", "Khowst"), ("taliban", "Taleban")]
# Search queries: a common word, a name, a phrase, a word with a place filter; and the
# broadest: a name in most headlines and texts, a word in most texts and no headline.
SEARCHES = [
    ("search: common word", {"q": "refugees"}),
    ("search: name", {"q": "Muttaqi"}),
    ("search: phrase", {"q": '"humanitarian situation"'}),
    ("search: word + place", {"q": "attack", "place": "khost"}),
    ("search: name in most articles", {"q": "Taliban"}),
    ("search: word in most texts", {"q": "said"}),
]


# Timing


def measure_in_turn(
    calls: list[Callable[[], object]], *, warmup: int, count: int, budget: float
) -> list[Timing]:
    """``count`` timed rounds of the calls, one after the other, after ``warmup`` untimed
    ones (cut short after a quarter of ``budget``); fewer (at least 5) if they take longer
    than ``budget`` seconds in all."""
    deadline = time.monotonic() + budget / 4
    for _ in range(warmup):
        for call in calls:
            call()
        if time.monotonic() > deadline:
            break
    deadline = time.monotonic() + budget
    samples: list[list[float]] = [[] for _ in calls]
    while len(samples[0]) < count and (len(samples[0]) < 5 or time.monotonic() < deadline):
        for call, taken in zip(calls, samples, strict=True):
            started = time.perf_counter()
            call()
            taken.append(time.perf_counter() - started)
    return [Timing(taken) for taken in samples]


def measure(call: Callable[[], object], *, warmup: int, count: int, budget: float) -> Timing:
    return measure_in_turn([call], warmup=warmup, count=count, budget=budget)[0]


# Setting up


def bench_database_url(name: str = BENCH_DATABASE) -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/newsarchive"
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def choose_pages() -> list[Page]:
    from django.conf import settings
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article, Entity, Quotation, published_filter

    article = Article.objects.published().latest_first().first()
    rare = (
        Entity.objects.annotate(n=Count("mentions", filter=published_filter("mentions__article__")))
        .filter(n__gt=0)
        .order_by("n", "slug")
        .first()
    )
    afghanistan = Entity.objects.get(kind=Entity.Kind.PLACE, slug="afghanistan")
    home = reverse("articles:article_list")
    middle_page = max(1, Article.objects.public_count() // settings.ARTICLES_PER_PAGE // 2)
    pages = [
        Page("trivial view (floor)", reverse("bench_trivial"), trivial=True, wrk=True),
        Page("home /", home, wrk=True),
        Page(f"home, page {middle_page:,} (deep)", f"{home}?page={middle_page}"),
        Page("article page", article.get_absolute_url(), wrk=True),
        Page("entity: afghanistan", afghanistan.get_absolute_url(), wrk=True),
        Page(f"entity: {rare.slug} (rare)", rare.get_absolute_url()),
        Page("entity list /places/", reverse("articles:place_list")),
    ]
    # The conflict at a glance: the timeline (whole and narrowed), the map, and the page of
    # the person quoted most.
    quoted = (
        Quotation.objects.public()
        .values("person")
        .annotate(n=Count("pk"))
        .order_by("-n", "person")
        .first()
    )
    timeline = reverse("articles:timeline")
    pages += [
        Page("timeline /timeline/", timeline, wrk=True),
        Page("timeline: place + year", f"{timeline}?place=afghanistan&year=2025"),
        Page("map /map/", reverse("articles:map"), wrk=True),
    ]
    if quoted:
        person = Entity.objects.get(pk=quoted["person"])
        pages.append(Page(f"person quoted most: {person.slug}", person.get_absolute_url()))
    pages += api_pages(afghanistan, middle_page * settings.ARTICLES_PER_PAGE)
    try:
        search_url = reverse("articles:search")
    except NoReverseMatch:
        log("no articles:search URL: search not measured")
    else:
        pages += [
            Page(label, f"{search_url}?{urlencode(params)}", search=True, params=params)
            for label, params in SEARCHES
        ]
    return pages


def api_pages(place, middle: int) -> list[Page]:
    """The JSON API's lists and search, held to the search pages' targets (bench/figures.py):
    its list by cursor from the newest, from the middle of the archive, and with the
    search's filters; its search; an entity list."""
    from django.urls import reverse

    from articles.api.cursors import article_cursor
    from articles.models import Article

    articles = reverse("api:article_list")
    halfway = Article.objects.published().latest_first()[middle]
    cursor = article_cursor(halfway.published_at, halfway.pk)
    return [
        Page("API: articles", articles, search=True),
        Page(
            f"API: articles, cursor at {middle:,} (deep)",
            f"{articles}?cursor={cursor}",
            search=True,
        ),
        Page("API: articles, common word", f"{articles}?q=refugees", search=True),
        Page(f"API: articles, place {place.slug}", f"{articles}?place={place.slug}", search=True),
        *(
            Page(f"API: {label}", f"{reverse('api:search')}?{urlencode(params)}", search=True)
            for label, params in SEARCHES
        ),
        Page("API: entity list /places", reverse("api:place_list"), search=True),
    ]


# Measuring


def capture_sql(page: Page) -> None:
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(page.path)  # connection opened, caches warm
    # Counted as a worst case: with the archive state read for this request too, which a
    # process otherwise does at most once a second (articles/reader/caching.py). In a
    # transaction, so that queries a page runs beside its own (articles/db/alongside.py)
    # run on this connection and are captured too.
    with (
        override_settings(ARCHIVE_STATE_SECONDS=0),
        transaction.atomic(),
        CaptureQueriesContext(connection) as captured,
    ):
        response = client.get(page.path)
    page.status = response.status_code
    page.statements = [query["sql"] for query in captured.captured_queries]


def measure_client(page: Page, count: int, budget: float) -> None:
    from django.test import Client

    client = Client()
    page.client = measure(
        lambda: client.get(page.path), warmup=min(10, count), count=count, budget=budget
    )


def run_statements(page: Page) -> None:
    """The floor: the page's own statements, run again as they were sent."""
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in page.statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()


def explain_slowest(page: Page) -> None:
    """EXPLAIN ANALYZE of the page's slowest statement, to stderr."""
    from django.db import connection

    if not page.statements:
        return
    durations = []
    with connection.cursor() as cursor:
        for sql in page.statements:
            started = time.perf_counter()
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
            durations.append((time.perf_counter() - started, sql))
        seconds, sql = max(durations)
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    log(f"slowest statement of {page.label} ({seconds * 1000:.1f} ms):\n{sql}\n{plan}\n")


def import_throughput(workdir: Path, results: Results) -> None:
    """Times import_articles on IMPORT_FILES generated .md files, then on the same files
    each changed, then deletes them."""
    import yaml
    from django.core.management import call_command

    from articles.models import Article, Entity
    from bench.corpus import CorpusGenerator

    folder = workdir / "import"
    folder.mkdir()
    generator = CorpusGenerator.from_database(seed=2026)
    slugs = {e.id: f"{e.kind}:{e.slug}" for e in Entity.objects.only("id", "kind", "slug")}
    names = []
    for number in range(1, IMPORT_FILES + 1):
        generated = generator.article(10_000_000 + number)
        fields = generated.fields
        front = {
            "title": fields["title"],
            "standfirst": fields["standfirst"],
            "date": fields["published_at"].date().isoformat(),
            "source": fields["source_name"],
            "language": fields["language"],
            "status": "published",
            "tags": [slugs[entity_id] for entity_id, _ in generated.mentions.most_common(3)],
        }
        if fields["byline"]:
            front["byline"] = fields["byline"]
        name = f"{IMPORT_PREFIX}{number:04}.md"
        text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(f"---\n{text}---\n\n{fields['body']}\n", encoding="utf-8")
        names.append(name)
    imported = Article.objects.filter(source_file__startswith=IMPORT_PREFIX)
    imported.delete()  # left over by an interrupted run
    log(f"importing {IMPORT_FILES:,} .md files")
    started = time.perf_counter()
    call_command("import_articles", str(folder), verbosity=0)
    results.import_seconds = time.perf_counter() - started
    results.import_created = imported.count()
    log("the floor: the same rows COPY'd into a copy of articles_article")
    results.import_floor_seconds, results.import_floor_rows, built = copy_floor(IMPORT_PREFIX)
    if built:
        results.notes.append(
            "the floor's copy of articles_article (LIKE ... INCLUDING ALL) lacked indexes, "
            "built for it: " + "; ".join(built)
        )
    for name in names:
        path = folder / name
        path.write_text(
            f"{path.read_text(encoding='utf-8')}\nA correction followed.\n", encoding="utf-8"
        )
    log("importing them again, each changed")
    started = time.perf_counter()
    call_command("import_articles", str(folder), verbosity=0)
    results.reimport_seconds = time.perf_counter() - started
    results.reimport_updated = imported.filter(version=2).count()
    imported.delete()


def retag_throughput(results: Results) -> None:
    """Times re-tagging after an alias is removed and after it is added back (a rare
    spelling and a common one), then of the whole archive (retag_articles --all)."""
    from articles.importing.retagging import retag_all, retag_pending
    from articles.models import Alias, Entity, GazetteerChange

    GazetteerChange.objects.all().delete()  # the corpus's own names, read already
    for slug, name in RETAGGED_ALIASES:
        entity = Entity.objects.get(slug=slug)
        for label, removed in (
            (f"re-tag: alias {name} removed from {entity.name}", True),
            (f"re-tag: alias {name} added to {entity.name}", False),
        ):
            if removed:
                Alias.objects.filter(entity=entity, name=name).delete()
            else:
                Alias.objects.create(entity=entity, name=name)
            log(label)
            started = time.perf_counter()
            report = retag_pending()
            seconds = time.perf_counter() - started
            results.retags.append(Retag(label, report.read, report.changed, seconds))
    log("retag_articles --all")
    started = time.perf_counter()
    report = retag_all()
    seconds = time.perf_counter() - started
    results.retag_all = Retag("retag_articles --all", report.read, report.changed, seconds)


def admin_pages(arguments: argparse.Namespace, results: Results) -> None:
    """The editor's desk and the names-to-add queue, as a logged-in editor sees them."""
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    for label, path in (("admin: editor's desk", "/admin/"),
                        ("admin: names to add", "/admin/articles/namecandidate/")):  # fmt: skip
        page = AdminPage(label, path)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            page.status = client.get(path).status_code
        page.queries = len(captured.captured_queries)
        page.client = measure(
            lambda path=path: client.get(path),
            warmup=min(10, arguments.requests),
            count=arguments.requests,
            budget=arguments.budget,
        )
        results.admin_pages.append(page)


def render_bounds(results: Results) -> None:
    """Times the renderer (without its memo) on each body of the pathological Markdown
    family (tests/support/markdown_family.py), refused and shown as plain text or rendered,
    and on a normal article of the same length: the median of three renders each."""
    import statistics

    from articles.text.markdown import _render
    from tests.support.markdown_family import normal_article, pathological_bodies

    def seconds(body: str) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            _render(body)
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    log(f"rendering the pathological family at {RENDER_CHARS:,} characters")
    bodies = pathological_bodies(RENDER_CHARS)
    renderer_log = logging.getLogger("articles.text.markdown")
    level = renderer_log.level
    renderer_log.setLevel(logging.ERROR)  # not a warning for each body shown as plain text
    try:
        timed = {name: seconds(body) for name, body in bodies.items()}
    finally:
        renderer_log.setLevel(level)
    results.render_worst_body, results.render_worst = max(timed.items(), key=lambda t: t[1])
    results.render_normal = seconds(normal_article(RENDER_CHARS))
    results.render_bodies = len(bodies)


def search_index_sizes() -> dict[str, int]:
    """Our search indexes: those of articles_article on its search vectors."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text || ' (' || am.amname || ')', "
            "pg_relation_size(indexrelid) FROM pg_index JOIN pg_class c ON c.oid = indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE indrelid = 'articles_article'::regclass "
            "AND pg_get_indexdef(indexrelid) ~ '_vector' ORDER BY 1"
        )
        return dict(cursor.fetchall())


def prepare_peers(pages: list[Page], workdir: Path, results: Results) -> list:
    """The peers, built when a search is measured."""
    if not any(page.search for page in pages):
        return []
    log("building the peers: SQLite FTS5 and tantivy")
    peers = build_peers(workdir / "peers")
    for peer in peers:
        results.peer_builds.append(PeerBuild(peer.name, peer.built))
        log(f"  {peer.name}: {peer.built.articles:,} articles in {peer.built.seconds:.1f} s")
    results.search_index_bytes = search_index_sizes()
    return peers


def peer_calls(page: Page, peers: list) -> list[Callable[[], object]]:
    """One call per peer answering the page's search, counting its matches: the search
    page's rows, whose parameters the peers read (not the API's)."""
    if not page.search or not page.params:
        return []
    query = PeerQuery.from_params(page.params)

    def call(peer) -> None:
        page.peer_counts[peer.name] = peer.search(query).count

    return [lambda peer=peer: call(peer) for peer in peers]


# The run


def run(arguments: argparse.Namespace, workdir: Path) -> Results:
    results = Results()
    configure(bench_database_url(), workdir / "static")
    from django.core.management import call_command

    prepare_database(arguments.articles, results)
    if results.corpus_total != arguments.articles:
        results.notes.append(
            f"the bench database holds {results.corpus_total:,} synthetic articles, not "
            f"{arguments.articles:,}: the figures are at {results.corpus_total:,}"
        )
    log("collectstatic (manifest storage, as in production)")
    call_command("collectstatic", interactive=False, verbosity=0)
    results.pages = [
        page
        for page in choose_pages()
        if page.trivial or not arguments.only or arguments.only in page.label
    ]
    for page in results.pages:
        log(f"{page.label}: {page.path}")
        capture_sql(page)
        measure_client(page, arguments.requests, arguments.budget)
        if arguments.explain:
            explain_slowest(page)
    peers = prepare_peers(results.pages, workdir, results)
    wrk = ensure_wrk()
    if wrk is None:
        results.notes.append("wrk unavailable: no req/s")
    peaks: list[float] = []
    for page_cache in (False, True):
        with gunicorn(workdir, page_cache=page_cache) as server:
            for page in results.pages:

                def get(page=page, port=server.port) -> None:
                    page.http_statuses[http_get(port, page.path).status] += 1

                calls = [get]
                if not page_cache and page.statements:
                    calls.append(lambda page=page: run_statements(page))
                if not page_cache:
                    calls += peer_calls(page, peers)
                timings = measure_in_turn(
                    calls,
                    warmup=min(10, arguments.requests),
                    count=arguments.requests,
                    budget=arguments.budget,
                )
                if page_cache:
                    page.cached_http = timings[0]
                else:
                    page.http = timings.pop(0)
                    page.sql = timings.pop(0) if page.statements else None
                    asked = peers if page.search and page.params else []
                    page.peers = {
                        peer.name: timing for peer, timing in zip(asked, timings, strict=True)
                    }
            for page in results.pages if wrk else []:
                if page.wrk:
                    load = run_wrk(wrk, server.port, [page.path], arguments.wrk_seconds)
                    if page_cache:
                        page.cached_rps, page.cached_rps_note = load.rps, load.note
                    else:
                        page.rps, page.rps_note = load.rps, load.note
            peaks += filter(None, map(peak_memory_mb, server.workers()))
    results.worker_mb = max(peaks, default=None)
    if arguments.only in ("", "import", "retag"):
        import_throughput(workdir, results)
    if arguments.only in ("", "retag"):
        retag_throughput(results)
        admin_pages(arguments, results)
    if arguments.only in ("", "render"):
        render_bounds(results)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--articles",
        "--corpus",
        type=int,
        default=CORPUS_SIZE,
        help=f"synthetic articles (default {CORPUS_SIZE:,})",
    )
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=20, help="max seconds per series")
    parser.add_argument("--wrk-seconds", type=int, default=5, help="duration of each wrk run")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN each page's slowest statement"
    )
    parser.add_argument(
        "--only",
        default="",
        help='measure only the pages whose label contains this; "import": the import only; '
        '"retag": the import, re-tagging and the editors\' pages; "render": the renderer '
        "on pathological Markdown only",
    )
    arguments = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-") as workdir:
        try:
            results = run(arguments, Path(workdir))
        except Exception as error:
            log(f"the benchmark broke: {error!r}")
            raise
    print(table(results))
    if results.peer_builds:
        if results.corpus_total != CORPUS_SIZE:
            results.before = load_figures(FIGURES, CORPUS_SIZE)
        print()
        print(peers_table(results))
        log(f"search figures kept in {save_figures(results, FIGURES)}")
    for note in results.notes:
        print(f"note: {note}")
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(
        f"{results.corpus_total:,} synthetic articles. Page cache off except in the two "
        f"'cached' columns. HTTP through gunicorn ({WORKERS} sync workers, DEBUG off) on "
        f"127.0.0.1; wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{arguments.wrk_seconds}s; "
        f"view/SQL and view/trivial compare HTTP medians; search targets use HTTP p95; raw "
        f"SQL runs a page's statements one after another (a search runs its counts beside "
        f"its page). {os.cpu_count()} CPUs, load average {load} at the end (other work on "
        f"the machine skews figures). Took {time.monotonic() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

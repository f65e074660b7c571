"""What the benchmark (bench/run.py) records, its targets, and the tables it prints; the
search figures of each run kept on record by corpus size, to print the growth between
sizes."""

import datetime
import json
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.peers import Built

CORPUS_SIZE = 100_000  # the size the bench runs at, and the one growth is measured from
IMPORT_FILES = 1_000
# Search rows by corpus size: p95 over HTTP below this many ms, and at most this many times
# the p95 of the page's own SQL (None: no such target at that size). A size between two
# has the larger one's targets.
SEARCH_TARGETS: dict[int, tuple[float, float | None]] = {
    100_000: (50, 1.3),
    1_000_000: (100, None),
}
TARGETS = {
    "share_of_trivial_rps": 0.5,
    "queries": 6,
    "import_per_second": 1_000,
    "worker_mb": 120,
    "corpus_seconds": 120,
    "render_worst_over_normal": 20,
    "import_over_floor": 1.5,
    "retag_seconds": 5,
    "admin_p95_ms": 100,
}
RENDER_CHARS = 20_000


@dataclass
class Timing:
    """Latency samples in seconds."""

    samples: list[float]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(share * len(ordered)) - 1)]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return self.percentile(0.95)

    def __str__(self) -> str:
        return f"{self.p50 * 1000:.1f} / {self.p95 * 1000:.1f}"


@dataclass
class Page:
    label: str
    path: str
    search: bool = False
    trivial: bool = False
    wrk: bool = False
    status: int = 0
    statements: list[str] = field(default_factory=list)
    client: Timing | None = None
    sql: Timing | None = None
    http: Timing | None = None
    http_statuses: Counter = field(default_factory=Counter)
    rps: float | None = None
    rps_note: str = ""
    cached_http: Timing | None = None
    cached_rps: float | None = None
    cached_rps_note: str = ""
    params: dict[str, str] = field(default_factory=dict)  # a search's URL parameters
    peers: dict[str, Timing] = field(default_factory=dict)  # by peer name
    peer_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class PeerBuild:
    name: str
    built: Built


@dataclass
class Retag:
    """One re-tag: what it followed, the articles it read and changed, how long it took."""

    label: str
    read: int
    changed: int
    seconds: float


@dataclass
class AdminPage:
    """An editors' page, through the test client as a logged-in editor."""

    label: str
    path: str
    status: int = 0
    queries: int = 0
    client: Timing | None = None


@dataclass
class Results:
    pages: list[Page] = field(default_factory=list)
    corpus_created: int = 0
    corpus_seconds: float | None = None
    corpus_python_cpu: float = 0.0
    corpus_load: float = 0.0
    corpus_total: int = 0
    import_created: int = 0
    import_seconds: float | None = None
    reimport_updated: int = 0
    reimport_seconds: float | None = None
    worker_mb: float | None = None
    render_normal: float | None = None
    render_worst: float | None = None
    render_worst_body: str = ""
    render_bodies: int = 0
    import_floor_seconds: float | None = None
    import_floor_rows: int = 0
    peer_builds: list[PeerBuild] = field(default_factory=list)
    search_index_bytes: dict[str, int] = field(default_factory=dict)  # ours, by index name
    before: dict | None = None  # the search figures on record at CORPUS_SIZE
    retags: list[Retag] = field(default_factory=list)
    retag_all: Retag | None = None
    names_first_read: Retag | None = None
    admin_pages: list[AdminPage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def search_targets(size: int) -> tuple[float, float | None]:
    """The search rows' targets at a corpus of ``size`` articles: p95 in ms, and the most
    over raw SQL (or None)."""
    for listed in sorted(SEARCH_TARGETS):
        if size <= listed:
            return SEARCH_TARGETS[listed]
    return SEARCH_TARGETS[max(SEARCH_TARGETS)]


def growth(now: float, before: float) -> float:
    """How many times the figure at ``now``'s size is the figure at ``before``'s."""
    return now / before


# On record: each run's search figures (ms), by corpus size.


def _pair(timing: Timing) -> list[float]:
    return [round(ms(timing.p50), 3), round(ms(timing.p95), 3)]


def search_figures(results: Results) -> dict:
    recorded = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return {
        "articles": results.corpus_total,
        "searches": {
            page.label: {
                "recorded": recorded,
                "path": page.path,
                "http": _pair(page.http) if page.http else None,
                "sql": _pair(page.sql) if page.sql else None,
                "peers": {name: _pair(timing) for name, timing in page.peers.items()},
                "matches": page.peer_counts,
            }
            for page in results.pages
            if page.search
        },
    }


def figures_path(folder: Path, size: int) -> Path:
    return folder / f"figures-{size}.json"


def save_figures(results: Results, folder: Path) -> Path:
    """Records this run's search figures at its size, in place of those on record for the
    same rows (a run of some rows only keeps the others')."""
    folder.mkdir(parents=True, exist_ok=True)
    figures = search_figures(results)
    previous = load_figures(folder, results.corpus_total)
    if previous:
        figures["searches"] = previous["searches"] | figures["searches"]
    path = figures_path(folder, results.corpus_total)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return path


def load_figures(folder: Path, size: int) -> dict | None:
    """The search figures on record at ``size``, if a run there left them."""
    try:
        return json.loads(figures_path(folder, size).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


# Reporting


def ms(seconds: float) -> float:
    return seconds * 1000


def verdict(failures: list[str]) -> str:
    return "pass" if not failures else "falls short: " + "; ".join(failures)


def throughput(rps: float | None, trivial_rps: float | None, note: str, floor: bool) -> str:
    text = "" if rps is None else f"{rps:,.0f} req/s"
    if rps and trivial_rps and not floor:
        text += f" ({rps / trivial_rps:.0%})"
    return f"{text} [{note}]".strip() if note else text


def page_row(page: Page, trivial: Page, size: int = CORPUS_SIZE) -> list[str]:
    queries = len(page.statements)
    view_sql = page.http.p50 / page.sql.p50 if page.http and page.sql else None
    view_trivial = page.http.p50 / trivial.http.p50 if page.http and trivial.http else None
    targets, failures, passes = [], [], []
    if page.status != 200:
        failures.append(f"client got HTTP {page.status}")
    for status, times in sorted(page.http_statuses.items()):
        if status != 200:
            failures.append(f"gunicorn answered HTTP {status} {times} times")
    if not page.trivial:
        targets.append(f"<= {TARGETS['queries']} queries")
        if queries > TARGETS["queries"]:
            failures.append(f"{queries} queries")
    if page.search:
        limit, ratio = search_targets(size)
        targets.append(f"p95 < {limit} ms" + (f", <= {ratio}x SQL p95" if ratio else ""))
        if page.http and ms(page.http.p95) >= limit:
            failures.append(f"p95 {ms(page.http.p95):.0f} ms")
        if ratio and page.http and page.sql and page.http.p95 > ratio * page.sql.p95:
            failures.append(f"p95 {page.http.p95 / page.sql.p95:.1f}x SQL")
    if page.wrk and not page.trivial:
        # Judged as production serves the page, with its cache; what a miss costs is shown
        # beside it (a page that queries cannot reach half the rate of a constant one).
        needed = TARGETS["share_of_trivial_rps"]
        targets.append(f"req/s >= {needed:.0%} of trivial (as served: cached)")
        for mode, rps, trivial_rps, note in (
            ("cached", page.cached_rps, trivial.cached_rps, page.cached_rps_note),
            ("uncached", page.rps, trivial.rps, page.rps_note),
        ):
            if "non-2xx" in note:
                failures.append(f"{mode}: wrk {note}")
            elif not rps or not trivial_rps:
                failures.append(f"{mode}: no req/s")
            elif mode == "cached" and rps / trivial_rps < needed:
                failures.append(f"{mode} {rps / trivial_rps:.0%}")
            else:
                passes.append(f"{mode} {rps / trivial_rps:.0%}")
    result = ""
    if failures:
        result = "falls short: " + "; ".join(failures)
        if passes:
            result += " (" + ", ".join(passes) + ")"
    elif targets:
        result = "pass" + (f" ({', '.join(passes)})" if passes else "")
    return [
        page.label,
        "0" if page.trivial else str(queries),
        str(page.client) if page.client else "",
        str(page.http) if page.http else "",
        str(page.sql) if page.sql else "",
        f"{view_sql:.1f}x" if view_sql else "",
        f"{view_trivial:.1f}x" if view_trivial else "",
        throughput(page.rps, trivial.rps, page.rps_note, page.trivial),
        str(page.cached_http) if page.cached_http else "",
        throughput(page.cached_rps, trivial.cached_rps, page.cached_rps_note, page.trivial),
        ", ".join(targets),
        result,
    ]


def retag_rows(results: Results) -> list[list[str]]:
    """Re-tagging after a gazetteer change (within RETAG seconds), and of the whole archive
    (at least as fast as the import of new files tags, measured in the same run)."""
    rows = []
    for retag in results.retags:
        limit = TARGETS["retag_seconds"]
        rows.append(
            [retag.label, "", "", "", "", "", "",
             f"{retag.seconds:.2f} s ({retag.read:,} articles read, {retag.changed:,} "
             f"changed)", "", "", f"< {limit} s",
             verdict([] if retag.seconds < limit else [f"{retag.seconds:.1f} s"])]
        )  # fmt: skip
    for retag, judged in ((results.names_first_read, False), (results.retag_all, True)):
        if retag is None:
            continue
        rate = retag.read / retag.seconds
        target, result = "", "n/a"
        if judged and results.import_seconds:
            needed = results.import_created / results.import_seconds
            target = f">= the import's {needed:,.0f} articles/s"
            result = verdict([] if rate >= needed else [f"{rate:,.0f}/s"])
        rows.append(
            [retag.label, "", "", "", "", "", "",
             f"{rate:,.0f} articles/s ({retag.seconds:.1f} s, {retag.changed:,} changed)", "",
             "", target, result]
        )  # fmt: skip
    return rows


def table(results: Results) -> str:
    trivial = next(page for page in results.pages if page.trivial)
    rows = [page_row(page, trivial, results.corpus_total) for page in results.pages]
    for label, written, seconds in (
        (f"import {IMPORT_FILES:,} .md files", results.import_created, results.import_seconds),
        ("re-import them, each changed", results.reimport_updated, results.reimport_seconds),
    ):
        if seconds is None:
            continue
        rate = written / seconds
        needed = TARGETS["import_per_second"]
        failures = [] if rate >= needed else [f"{rate:,.0f}/s"]
        if written != IMPORT_FILES:
            failures.append(f"{written} of {IMPORT_FILES} written")
        rows.append(
            [label, "", "", "", "", "", "", f"{rate:,.0f} articles/s ({seconds:.1f} s)", "", "",
             f">= {needed:,} articles/s", verdict(failures)]
        )  # fmt: skip
        if label.startswith("import") and results.import_floor_seconds:
            rows.append(floor_row(results))
    rows += retag_rows(results)
    for page in results.admin_pages:
        limit = TARGETS["admin_p95_ms"]
        failures = [] if page.status == 200 else [f"HTTP {page.status}"]
        if page.client and ms(page.client.p95) >= limit:
            failures.append(f"p95 {ms(page.client.p95):.0f} ms")
        rows.append(
            [page.label, str(page.queries), str(page.client or ""), "", "", "", "", "", "", "",
             f"p95 < {limit} ms", verdict(failures)]
        )  # fmt: skip
    if results.render_worst is not None:
        ratio = results.render_worst / results.render_normal
        limit = TARGETS["render_worst_over_normal"]
        rows.append(
            [f"render {RENDER_CHARS:,}-character bodies: the worst of "
             f"{results.render_bodies} pathological vs a normal article", "", "", "", "", "",
             "", f"{ms(results.render_worst):.1f} ms ({results.render_worst_body}) vs "
             f"{ms(results.render_normal):.1f} ms: {ratio:.1f}x", "", "",
             f"<= {limit}x", verdict([] if ratio <= limit else [f"{ratio:.1f}x"])]
        )  # fmt: skip
    if results.worker_mb is not None:
        limit = TARGETS["worker_mb"]
        failures = [] if results.worker_mb < limit else [f"{results.worker_mb:.0f} MB"]
        rows.append(
            ["gunicorn worker peak memory (VmHWM)", "", "", "", "", "", "",
             f"{results.worker_mb:.0f} MB", "", "", f"< {limit} MB", verdict(failures)]
        )  # fmt: skip
    if results.corpus_seconds is not None:
        rate = results.corpus_created / results.corpus_seconds
        limit = TARGETS["corpus_seconds"]
        failures = []
        if results.corpus_created == CORPUS_SIZE and results.corpus_seconds >= limit:
            failures.append(f"{results.corpus_seconds:.0f} s")
        rows.append(
            [f"generate_corpus {results.corpus_created:,} articles", "", "", "", "", "", "",
             f"{results.corpus_seconds:.1f} s ({rate:,.0f}/s; Python CPU "
             f"{results.corpus_python_cpu:.0f} s; load {results.corpus_load:.1f})", "", "",
             f"100,000 < {limit} s",
             verdict(failures) if results.corpus_created == CORPUS_SIZE else "n/a (top-up)"]
        )  # fmt: skip
    else:
        rows.append(
            [f"generate_corpus ({results.corpus_total:,} synthetic already there)",
             "", "", "", "", "", "", "not run", "", "",
             f"100,000 < {TARGETS['corpus_seconds']} s", "n/a"]
        )  # fmt: skip
    return render(
        ["page / measure", "SQL queries", "client p50 / p95 ms", "HTTP p50 / p95 ms",
        "raw SQL p50 / p95 ms", "view / SQL", "view / trivial", "throughput",
        "cached: HTTP p50 / p95 ms", "cached: req/s", "target", "result"],
        rows,
    )  # fmt: skip


def floor_row(results: Results) -> list[str]:
    """The importer beside its floor: the rows it wrote to articles_article, COPY'd by
    PostgreSQL alone into a copy of the table (bench/import_floor.py)."""
    floor, rows = results.import_floor_seconds, results.import_floor_rows
    ratio = results.import_seconds / floor
    limit = TARGETS["import_over_floor"]
    return [
        f"floor: those {rows:,} rows COPY'd into a copy of articles_article",
        "", "", "", "", "", "",
        f"{rows / floor:,.0f} articles/s ({floor:.2f} s); the importer {ratio:.1f}x", "", "",
        f"importer within {limit}x of floor",
        verdict([] if ratio <= limit else [f"{ratio:.1f}x"]),
    ]  # fmt: skip


def peers_table(results: Results) -> str:
    """The search rows beside the peers (bench/peers.py): each peer's p50 / p95 for the
    same query and our HTTP p95 over theirs; away from CORPUS_SIZE, the HTTP p95 on record
    there and the growth of each since; then how each peer's index was built."""
    searches = [page for page in results.pages if page.search and page.peers]
    if not searches:
        return ""
    names = [build.name for build in results.peer_builds]
    away = results.corpus_total != CORPUS_SIZE
    header = ["search", "HTTP p50 / p95 ms", "raw SQL p50 / p95 ms"]
    for name in names:
        header += [f"{name} p50 / p95 ms", f"ours / {name} p95"]
    header.append("matches: " + " / ".join(names))
    if away:
        header += [f"at {CORPUS_SIZE:,}: HTTP p95 ms", "growth: ours / " + " / ".join(names)]
    rows = []
    for page in searches:
        row = [page.label, str(page.http or ""), str(page.sql or "")]
        for name in names:
            peer = page.peers.get(name)
            ratio = page.http.p95 / peer.p95 if page.http and peer else None
            row += [str(peer or ""), f"{ratio:.1f}x" if ratio else ""]
        row.append(
            " / ".join(f"{page.peer_counts[n]:,}" if n in page.peer_counts else "" for n in names)
        )
        if away:
            row += growth_cells(page, names, results.before)
        rows.append(row)
    lines = [render(header, rows)]
    for build in results.peer_builds:
        built = build.built
        lines.append(
            f"{build.name}: {built.articles:,} articles indexed in {built.seconds:.1f} s "
            f"({built.reading_seconds:.1f} s of it reading them from PostgreSQL); "
            f"{megabytes(built.total_bytes)} on disk: index {megabytes(built.index_bytes)}, "
            f"stored text {megabytes(built.stored_bytes)} ({built.detail})."
        )
    if results.search_index_bytes:
        lines.append(
            "PostgreSQL, the search indexes of articles_article: "
            + ", ".join(
                f"{name} {megabytes(size)}" for name, size in results.search_index_bytes.items()
            )
            + "."
        )
    return "\n".join(lines)


def growth_cells(page: Page, names: list[str], before: dict | None) -> list[str]:
    """The HTTP p95 on record at CORPUS_SIZE, and how many times it (and each peer's p95)
    has grown since."""
    recorded = (before or {}).get("searches", {}).get(page.label)
    if not recorded or not recorded["http"]:
        return ["none on record", ""]
    pairs = [(page.http, recorded["http"])]
    pairs += [(page.peers.get(name), recorded["peers"].get(name)) for name in names]
    factors = [
        f"{growth(ms(now.p95), then[1]):.1f}x" if now and then else "-" for now, then in pairs
    ]
    return [f"{recorded['http'][1]:.1f} (run of {recorded['recorded'][:10]})", " / ".join(factors)]


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.0f} MB"


def render(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule, *map(line, rows)])

"""Load and fault test (``make loadtest``): the archive under gunicorn with the production
settings, as the benchmark serves it, on a throwaway PostgreSQL cluster, on 127.0.0.1 only.
Ends by itself within two minutes.

1. A new cluster in .postgres-loadtest/ (ignored by git) on a free port, and the archive on
   it as the benchmark prepares its own (bench/archive.py: migrate, seeds/, 2,000 synthetic
   articles, VACUUM ANALYZE); the static files collected into a temporary folder.
2. gunicorn (bench/servers.py), 3 workers, with production's page cache.
3. Load: wrk, 64 connections for 30 seconds over a mix of home, article, entity and
   search pages; zero errors required; requests per second and p50/p99 latency printed.
4. Faults: load again, and PostgreSQL stopped for five seconds and started again. A
   sampler records every answer's status and time; pages must fail fast with the 503 page
   while the database is down and recover by themselves (the same gunicorn workers), and
   no row may be lost.
Everything started is stopped at the end, whatever happens.
"""

import argparse
import contextlib
import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench import log
from bench.archive import configure, prepare_database
from bench.figures import Results
from bench.servers import (
    ROOT,
    Server,
    ensure_wrk,
    free_port,
    gunicorn,
    http_get,
    peak_memory_mb,
    run_wrk,
)

CLUSTERS = ROOT / ".postgres-loadtest"
DEADLINE_SECONDS = 115
CONNECTIONS, DURATION = 64, 30
FAULT_LOAD_SECONDS, DOWN_AT, DOWN_FOR = 20, 5, 5
WORKERS = 3
COUNTS_SQL = (
    "SELECT (SELECT count(*) FROM articles_article), (SELECT count(*) FROM articles_entity),"
    " (SELECT count(*) FROM articles_alias), (SELECT count(*) FROM articles_mention),"
    " (SELECT count(*) FROM articles_revision)"
)
SEARCHES = [
    "taliban",
    "border clashes",
    "kabul",
    "torkham",
    "khost",
    "ceasefire",
    "refugees",
    "durand line",
    "pakistani army",
    "mujahid",
    "faiz hamid",
    "deportations",
    "doha talks",
]


class DeadlinePassed(Exception):
    pass


def deadline_passed(signum, frame):
    raise DeadlinePassed


def as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Cluster:
    """A throwaway PostgreSQL cluster, started and stopped with pg_ctl."""

    def __init__(self, port: int):
        bins = sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)],
        )
        if not bins:
            raise SystemExit("No PostgreSQL binaries under /usr/lib/postgresql")
        self.bin = bins[-1]
        self.port = port
        CLUSTERS.mkdir(exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="run-", dir=CLUSTERS))
        if os.geteuid() == 0:
            shutil.chown(CLUSTERS, "postgres")
            shutil.chown(self.dir, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{port}/newsarchive"

    def run(self, program: str, *args: str) -> None:
        subprocess.run(  # noqa: S603 (PostgreSQL's own programs, fixed arguments)
            as_postgres([str(self.bin / program), "-D", str(self.dir / "data"), *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create(self) -> None:
        self.run("initdb", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.run("pg_ctl", "-l", str(self.dir / "server.log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def row_counts() -> str:
    """Articles / entities / aliases / tags / revisions, on a new connection: closed again,
    so that none is open when PostgreSQL stops."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(COUNTS_SQL)
            return "/".join(map(str, cursor.fetchone()))
    finally:
        connection.close()


def url_mix() -> list[tuple[str, str]]:
    """(kind of page, path) in a fixed shuffled order: about 20% home and lists, 30%
    articles, 25% entities, 25% search."""
    from django.urls import reverse

    from articles.kinds import KINDS
    from articles.models import Article, Entity

    home, search = reverse("articles:article_list"), reverse("articles:search")
    suggest = reverse("articles:search_suggest")
    articles = Article.objects.published().only("slug").order_by("?")[:120]
    entities = Entity.objects.only("kind", "slug", "name").order_by("?")[:60]
    mix = [("home", home)] * 30 + [("home", f"{home}?page={n}") for n in range(2, 12)]
    mix += [("entity list", reverse(f"articles:{kind.value}_list")) for kind in KINDS] * 3
    mix += [("article", article.get_absolute_url()) for article in articles]
    mix += [("entity", entity.get_absolute_url()) for entity in entities] * 2
    mix += [("search", f"{search}?{urlencode({'q': q})}") for q in SEARCHES] * 7
    mix += [("suggestions", f"{suggest}?{urlencode({'q': q[:4]})}") for q in SEARCHES] * 2
    random.Random(7).shuffle(mix)  # noqa: S311 (a fixed order, not a secret)
    return mix


def one_at_a_time(server: Server, mix: list[tuple[str, str]]) -> list[str]:
    """Times up to 8 pages of each kind, one request at a time, after one untimed request
    for the home page (which sets up the worker it reaches: its database connection, the
    templates)."""
    http_get(server.port, "/")
    failures, rows = [], []
    by_kind = defaultdict(list)
    for kind, path in mix:
        by_kind[kind].append(path)
    for kind, paths in sorted(by_kind.items()):
        timings = []
        for path in paths[:8]:
            begun = time.monotonic()
            status = http_get(server.port, path).status
            timings.append(time.monotonic() - begun)
            if status != 200:
                failures.append(f"{path} answered {status}")
        rows.append(
            f"  {kind:<14} {statistics.median(timings) * 1000:>6.0f} ms "
            f"{max(timings) * 1000:>6.0f} ms"
        )
    log("One request at a time, by kind of page (median / slowest of up to 8):\n" + "\n".join(rows))
    return failures


def load(server: Server, wrk: str, paths: list[str]) -> list[str]:
    log(f"Load: wrk, {CONNECTIONS} connections, {DURATION} s, {len(paths)} URLs in the mix")
    run = run_wrk(wrk, server.port, paths, DURATION, connections=CONNECTIONS)
    log(
        f"  {run.requests} requests, {run.rps or 0:.0f} requests/s, "
        f"p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms, "
        f"{run.non_2xx} non-2xx/3xx, {run.socket_error_count} socket errors"
    )
    if run.non_2xx or run.socket_error_count or not run.requests:
        log(run.output or run.note)
        return ["the load run had errors"]
    return []


class Sampler(threading.Thread):
    """Requests pages one after another, recording (time, status, latency, 503 page?)."""

    def __init__(self, port: int, paths: list[str], started: float):
        super().__init__(daemon=True)
        self.port, self.paths, self.started = port, paths, started
        self.samples: list[tuple[float, int, float, bool]] = []
        self.running = True

    def run(self):
        number = 0
        while self.running:
            path = self.paths[number % len(self.paths)]
            number += 1
            begun = time.monotonic()
            try:
                status, body = http_get(self.port, path, timeout=10)
            except (OSError, http.client.HTTPException):
                status, body = -1, b""
            elapsed = time.monotonic() - begun
            self.samples.append(
                (begun - self.started, status, elapsed, b"cannot reach its database" in body)
            )
            time.sleep(0.02)


def faults(server: Server, cluster: Cluster, wrk: str, paths: list[str]) -> list[str]:
    """Load, with PostgreSQL stopped DOWN_AT seconds in for DOWN_FOR seconds."""
    log(
        f"Faults: load for {FAULT_LOAD_SECONDS} s; PostgreSQL stopped at {DOWN_AT} s "
        f"for {DOWN_FOR} s, then started"
    )
    fault_started = time.monotonic()
    sampler = Sampler(server.port, ["/", *paths[:40]], fault_started)
    sampler.start()
    with ThreadPoolExecutor(max_workers=1) as background:
        running = background.submit(
            run_wrk, wrk, server.port, paths, FAULT_LOAD_SECONDS, connections=CONNECTIONS
        )
        time.sleep(DOWN_AT)
        stopping_at = time.monotonic() - fault_started
        cluster.stop()
        down_at = time.monotonic() - fault_started
        time.sleep(DOWN_FOR)
        cluster.start()
        up_at = time.monotonic() - fault_started
        run = running.result()
    sampler.running = False
    sampler.join(timeout=15)
    failures = report_fault(sampler.samples, stopping_at, down_at, up_at)
    log(
        f"  wrk meanwhile: {run.requests} requests, {run.non_2xx} "
        f"non-2xx (the 503s), {run.socket_error_count} socket errors"
    )
    logged = server.log_file.read_text()
    log(
        f"  the app logged {logged.count('Database unavailable for')} 'Database unavailable'"
        f" warnings and {logged.count('Traceback')} tracebacks"
    )
    if run.socket_error_count or run.timed_out:
        failures.append("connections failed during the fault (not a 503 page)")
    return failures


def report_fault(samples, stopping_at: float, down_at: float, up_at: float) -> list[str]:
    """Prints the sampler's timeline, a line a second, and what it shows."""
    failures = []
    seconds: dict[int, Counter] = defaultdict(Counter)
    slowest: dict[int, float] = defaultdict(float)
    for at, status, elapsed, is_503_page in samples:
        second = int(at)
        label = {200: "200", 503: "503" if is_503_page else "503 (other page)"}.get(
            status, str(status)
        )
        seconds[second][label] += 1
        slowest[second] = max(slowest[second], elapsed)
    timeline = []
    for second in sorted(seconds):
        counts = ", ".join(f"{n}× {label}" for label, n in sorted(seconds[second].items()))
        marker = " ← database stopping or down" if stopping_at - 1 < second < up_at else ""
        timeline.append(f"  {second:>6}  {counts:<28} {slowest[second] * 1000:>6.0f} ms{marker}")
    log(
        f"  PostgreSQL stopping at {stopping_at:.1f} s, down at {down_at:.1f} s, "
        f"up again at {up_at:.1f} s\n"
        "  second  answers                      slowest\n" + "\n".join(timeline)
    )
    down = [s for s in samples if down_at + 0.5 < s[0] < up_at - 0.5]
    after = [s for s in samples if s[0] > up_at]
    bad = [s for s in samples if s[1] not in (200, 503) or (s[1] == 503 and not s[3])]
    if bad:
        failures.append(f"{len(bad)} answers were neither 200 nor the 503 page")
    if not down or any(s[1] != 503 for s in down):
        failures.append("pages did not answer 503 while the database was down")
    if down and max(s[2] for s in down) > 1.0:
        failures.append("a 503 took longer than a second")
    first_ok = next((s[0] for s in after if s[1] == 200), None)
    if first_ok is None or any(s[1] != 200 for s in after if s[0] > first_ok):
        failures.append("the site did not recover by itself")
    else:
        log(
            f"  while down: {len(down)} answers, all the 503 page, slowest "
            f"{max(s[2] for s in down) * 1000:.0f} ms; recovered {first_ok - up_at:.2f} s "
            "after PostgreSQL was up, 200s ever since"
        )
    return failures


def run(cluster: Cluster, workdir: Path, wrk: str, articles: int) -> list[str]:
    """Everything after the cluster's folder is made; a list of what failed."""
    started = time.monotonic()
    log(
        f"PostgreSQL {cluster.bin.parent.name}: new cluster in {cluster.dir} on port {cluster.port}"
    )
    cluster.create()
    configure(cluster.url, workdir / "static")
    from django.core.management import call_command

    prepare_database(articles, Results())
    call_command("collectstatic", interactive=False, verbosity=0)
    mix = url_mix()
    before = row_counts()
    log(
        f"Archive ready: {before.replace('/', ' / ')} articles / entities / aliases / tags / "
        f"revisions ({time.monotonic() - started:.0f} s)"
    )
    paths = [path for _, path in mix]
    failures = []
    with gunicorn(workdir, page_cache=True, workers=WORKERS) as server:
        workers = sorted(server.workers())
        log(
            f"gunicorn {server.process.pid} with {len(workers)} workers on "
            f"http://127.0.0.1:{server.port} (production settings)"
        )
        failures += one_at_a_time(server, mix)
        failures += load(server, wrk, paths)
        failures += faults(server, cluster, wrk, paths)
        workers_after = sorted(server.workers())
        alive = server.process.poll() is None
        peak = max(filter(None, map(peak_memory_mb, workers_after)), default=0)
        same = "the same" if workers_after == workers else f"changed: {workers} → {workers_after}"
        log(
            f"gunicorn {'still running' if alive else 'DIED'}; workers {same}; "
            f"peak worker memory {peak:.0f} MB"
        )
    if not alive or workers_after != workers:
        failures.append("gunicorn or its workers were restarted")
    after = row_counts()
    log(
        f"Rows before {before}, after {after}: {'nothing lost' if before == after else 'ROWS LOST'}"
    )
    if before != after:
        failures.append("rows were lost")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="Keep the cluster's folder.")
    parser.add_argument("--articles", type=int, default=2000, help="Synthetic articles.")
    options = parser.parse_args()
    started = time.monotonic()
    wrk = ensure_wrk() or sys.exit("wrk is missing and could not be installed")
    signal.signal(signal.SIGALRM, deadline_passed)
    signal.alarm(DEADLINE_SECONDS)
    cluster = Cluster(free_port())
    workdir = Path(tempfile.mkdtemp(prefix="newsarchive-loadtest-"))
    try:
        failures = run(cluster, workdir, wrk, options.articles)
    except DeadlinePassed:
        failures = [f"the run did not finish within {DEADLINE_SECONDS} s"]
    finally:
        signal.alarm(0)
        if options.keep:
            with contextlib.suppress(Exception):
                cluster.stop()
            log(f"Kept {cluster.dir}")
        else:
            cluster.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    verdict = "PASSED" if not failures else "FAILED: " + "; ".join(failures)
    log(f"Load test {verdict} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Faults under load through the cluster (``make cluster-test``; bench/cluster.py starts it
when it does not run). Traffic goes to 127.0.0.1 only; the run ends by itself within
five minutes; its report is printed and kept in .cluster/reports/.

64 readers, each a thread with its own keep-alive connection to HAProxy, ask for a mix of
pages as readers do: articles drawn by a Zipf law (a few are read by many), entity pages,
searches, feeds and the JSON API. Meanwhile an editor logs in to the admin through HAProxy
and publishes an article every 5 seconds (the admin's add form: the real write path, its
CSRF token and session answered by whichever app server HAProxy picks), then reads it at
once on the public page, which must show it (read-your-writes).

Phases, one after another: steady; one app server stopped and started again; the replica
stopped and started again; Redis stopped and started again; replication paused on the
replica (pg_wal_replay_pause()) for 20 seconds. For each: requests, errors, p50/p95 and
the page cache's hit rate (X-Cache). Then every article the editor published must be on
the public pages (its page and the API), read by a reader without a session. Last, the
failover of docs/cluster.md: the primary stopped, the replica promoted, the app servers
pointed at it by a graceful reload, and the editor's writes resume.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from bench import cluster, log

READERS = 64
PUBLISH_EVERY = 5.0
REQUEST_TIMEOUT = 60
CHECKERS = 16
DEADLINE_SECONDS = 290
ZIPF_EXPONENT = 1.1
# What readers ask for, by share.
KIND_SHARES = {"article": 35, "entity": 15, "search": 14, "home": 10, "feed": 8, "api": 18}
SEARCHES = [
    "taliban", "border clashes", "kabul", "torkham", "khost", "ceasefire", "refugees",
    "durand line", "pakistani army", "mujahid", "deportations", "doha talks", "trade",
]  # fmt: skip
HOST_HEADER = f"{cluster.HOST}:{cluster.FRONT_PORT}"
ORIGIN = f"https://{HOST_HEADER}"  # HAProxy tells the app servers the request is HTTPS


# HTTP ---------------------------------------------------------------------------------------


class Client:
    """One keep-alive connection to HAProxy, with the cookies it was given (kept by hand:
    the app servers mark them Secure, for the HTTPS HAProxy stands in for)."""

    def __init__(self):
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": HOST_HEADER}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"], headers["Referer"] = ORIGIN, ORIGIN + path
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                cluster.HOST, cluster.FRONT_PORT, timeout=REQUEST_TIMEOUT
            )
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "max-age=0" in cookie.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        if response.will_close:
            self.close()
        return response.status, response.headers, content

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class FormReader(HTMLParser):
    """The fields of a page's forms, with the values they hold as served."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_option: str | None = None
        self._selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = [""]
        elif tag == "select" and name:
            self._select, self._first_option, self._selected = name, None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self.fields.setdefault(self._select, []).append(value)
                self._selected = True

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._selected and self._first_option is not None:
                self.fields[self._select] = [self._first_option]
            self._select = None


def form_fields(html: bytes) -> dict[str, list[str]]:
    reader = FormReader()
    reader.feed(html.decode("utf-8", "replace"))
    return reader.fields


# What is recorded ---------------------------------------------------------------------------


@dataclass
class Sample:
    phase: str
    kind: str
    status: int  # 0: no answer
    seconds: float
    cache: str


@dataclass
class Recorder:
    phase: str = "starting"
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


@dataclass
class Publication:
    phase: str
    slug: str
    title: str
    status: int
    read_back: bool = False
    detail: str = ""


# The readers --------------------------------------------------------------------------------


class Mix:
    """What readers ask for, built from the archive on the primary."""

    def __init__(self, paths: dict[str, list[str]]):
        self.paths = paths
        # Zipf: the k-th most read of a kind is read 1/k^s as often as the first.
        self.weights = {
            kind: [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(len(items))]
            for kind, items in paths.items()
        }
        self.kinds = [kind for kind in KIND_SHARES if paths.get(kind)]
        self.shares = [KIND_SHARES[kind] for kind in self.kinds]

    def draw(self, rng: random.Random) -> tuple[str, str]:
        kind = rng.choices(self.kinds, self.shares)[0]
        return kind, rng.choices(self.paths[kind], self.weights[kind])[0]


def build_mix() -> Mix:
    """Paths of published articles and of entities, in a fixed random order, read on the
    primary through Django (the load test's process is a client of the ORM only here)."""
    os.environ.update(cluster.read_app_environment())
    os.environ["DATABASE_REPLICA_URLS"] = ""
    import django

    django.setup()
    from django.db import connection
    from django.urls import reverse

    from articles.kinds import KINDS
    from articles.models import Article, Entity

    try:
        rng = random.Random(22)  # noqa: S311 (a fixed order, not a secret)
        articles = list(Article.objects.published().values_list("slug", flat=True))
        entities = list(Entity.objects.only("kind", "slug"))
        rng.shuffle(articles)
        rng.shuffle(entities)
        searches = [f"{reverse('articles:search')}?{urlencode({'q': query})}" for query in SEARCHES]
        paths = {
            "article": [reverse("articles:article_detail", args=[slug]) for slug in articles],
            "entity": [entity.get_absolute_url() for entity in entities],
            "search": searches,
            "home": ["/", "/?page=2", "/?page=3"]
            + [reverse(f"articles:{kind.value}_list") for kind in KINDS],
            "feed": ["/feed/"]
            + [f"{entity.get_absolute_url()}feed/" for entity in entities[:40]]
            + [f"/search/feed/?{urlencode({'q': query})}" for query in SEARCHES],
            "api": ["/api/v1/articles", "/api/v1/articles?sort=oldest"]
            + [f"/api/v1/articles/{slug}" for slug in articles[:300]]
            + [f"/api/v1/search?{urlencode({'q': query})}" for query in SEARCHES],
        }
    finally:
        connection.close()
    return Mix(paths)


def reader(recorder: Recorder, mix: Mix, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 (a load, not a secret)
    client = Client()
    while not recorder.stop.is_set():
        kind, path = mix.draw(rng)
        begun = time.monotonic()
        try:
            status, headers, _ = client.request("GET", path)
            cache = headers.get("X-Cache", "")
        except (OSError, http.client.HTTPException):
            status, cache = 0, ""
        recorder.add(Sample(recorder.phase, kind, status, time.monotonic() - begun, cache))
    client.close()


# The editor ---------------------------------------------------------------------------------


class Editor:
    """Publishes an article every PUBLISH_EVERY seconds through the admin, and reads each
    at once on the public page with their own session."""

    ADD = "/admin/articles/article/add/"

    def __init__(self, recorder: Recorder, run_id: str):
        self.recorder, self.run_id = recorder, run_id
        self.client = Client()
        self.published: list[Publication] = []
        self.lock = threading.Lock()

    def login(self) -> None:
        credentials = json.loads((cluster.HOME / "editor.json").read_text())
        status, _, page = self.client.request("GET", "/admin/login/?next=/admin/")
        fields = form_fields(page)
        fields.update(username=[credentials["username"]], password=[credentials["password"]])
        status, headers, _ = self.client.request("POST", "/admin/login/?next=/admin/", fields)
        if status != 302 or not headers.get("Location", "").endswith("/admin/"):
            raise RuntimeError(f"the editor could not log in ({status})")

    def publish(self, number: int) -> Publication:
        """One article through the admin's add form, on a connection of its own with the
        editor's cookies (their session and CSRF token), then read back at once."""
        slug = f"cluster-{self.run_id}-{number}"
        title = f"Cluster run {self.run_id}: dispatch {number}"
        phase = self.recorder.phase
        client = Client()
        client.cookies = dict(self.client.cookies)
        try:
            status, _, page = client.request("GET", self.ADD)
            if status != 200:
                return Publication(phase, slug, title, status, detail="add form")
            fields = form_fields(page)
            fields.update(
                title=[title],
                slug=[slug],
                standfirst=["Published by the cluster test's editor."],
                body=[f"Dispatch {number} of run {self.run_id}, about the Torkham crossing."],
                status=["published"],
                published_at_0=[time.strftime("%Y-%m-%d", time.gmtime(time.time() - 60))],
                published_at_1=[time.strftime("%H:%M:%S", time.gmtime(time.time() - 60))],
                source_name=["Cluster test"],
                language=["en"],
            )
            fields.pop("_addanother", None)
            fields.pop("_continue", None)
            status, _, page = client.request("POST", self.ADD, fields)
            if status != 302:
                return Publication(phase, slug, title, status, detail=error_text(page))
            # Read-your-writes: at once, with the editor's session, from whichever server.
            status, _, page = client.request("GET", f"/articles/{slug}/")
            shown = status == 200 and title in page.decode()
            return Publication(phase, slug, title, 302, shown, "" if shown else f"read {status}")
        except (OSError, http.client.HTTPException) as error:
            return Publication(phase, slug, title, 0, detail=str(error)[:200])
        finally:
            client.close()

    def run(self) -> None:
        """A publication every PUBLISH_EVERY seconds, each on its own thread: one that waits
        for a busy server does not delay the next."""
        number, running = 0, []
        while not self.recorder.stop.wait(0 if number == 0 else PUBLISH_EVERY):
            number += 1
            thread = threading.Thread(target=self.publish_and_note, args=(number,), daemon=True)
            thread.start()
            running.append(thread)
        for thread in running:
            thread.join(timeout=3 * REQUEST_TIMEOUT)

    def publish_and_note(self, number: int) -> None:
        publication = self.publish(number)
        with self.lock:
            self.published.append(publication)


def error_text(page: bytes) -> str:
    text = page.decode("utf-8", "replace")
    start = text.find("errorlist")
    return text[start : start + 300] if start >= 0 else text[:200]


# The phases ---------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float
    # (offset in seconds, what to do, its description)
    actions: list = field(default_factory=list)


def pause_replay(paused: bool) -> None:
    function = "pg_wal_replay_pause" if paused else "pg_wal_replay_resume"
    cluster.query(cluster.REPLICA_PORT, f"SELECT {function}()")


def phases() -> list[Phase]:
    replica = cluster.Postgres("replica")
    return [
        Phase("steady", 12),
        Phase(
            "app server stopped",
            22,
            [
                (4, lambda: cluster.stop_app("app1"), "app1 stopped (SIGTERM)"),
                (12, lambda: cluster.start_app("app1"), "app1 started"),
            ],
        ),
        Phase(
            "replica stopped",
            22,
            [(4, replica.stop, "replica stopped"), (12, replica.start, "replica started")],
        ),
        Phase(
            "Redis stopped",
            22,
            [(4, cluster.stop_redis, "Redis stopped"), (12, cluster.start_redis, "Redis started")],
        ),
        Phase(
            "replication paused",
            28,
            [
                (3, lambda: pause_replay(True), "pg_wal_replay_pause()"),
                (23, lambda: pause_replay(False), "pg_wal_replay_resume()"),
            ],
        ),
    ]


def run_phase(recorder: Recorder, phase: Phase, events: list[str]) -> None:
    recorder.phase = phase.name
    begun = time.monotonic()
    for offset, action, description in phase.actions:
        time.sleep(max(0.0, begun + offset - time.monotonic()))
        action()
        events.append(f"  {phase.name}: +{time.monotonic() - begun:4.1f} s {description}")
    time.sleep(max(0.0, begun + phase.seconds - time.monotonic()))


def failover(recorder: Recorder, editor: Editor, events: list[str]) -> float | None:
    """docs/cluster.md, "Failover": the primary stopped (as if lost), the replica promoted,
    the app servers pointed at it by a graceful reload (old workers finish their requests).
    Returns the seconds from the primary's loss to the editor's first successful write
    after it."""
    recorder.phase = "failover"
    begun = time.monotonic()

    def note(description: str) -> None:
        events.append(f"  failover: +{time.monotonic() - begun:4.1f} s {description}")

    with editor.lock:
        before = len(editor.published)
    time.sleep(3)
    cluster.Postgres("primary").stop()
    lost = time.monotonic()
    note("primary stopped")
    time.sleep(3)
    cluster.Postgres("replica").promote()
    note("replica promoted (pg_ctl promote)")
    cluster.write_app_environment(
        {**cluster.read_app_environment(), "DATABASE_URL": cluster.url(cluster.REPLICA_PORT)}
        | {"DATABASE_REPLICA_URLS": ""}
    )
    cluster.write_state(topology="failed over: the replica is the primary", primary="replica")
    cluster.reload_apps()
    note("app servers reloaded (SIGHUP) on the new primary")
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        with editor.lock:
            written = [p for p in editor.published[before:] if p.status == 302]
        if written:
            note(f"editor's write succeeded ({written[0].slug})")
            return time.monotonic() - lost
        time.sleep(0.5)
    return None


# The report ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def phase_rows(samples: list[Sample], names: list[str], editor: Editor) -> list[str]:
    rows = [
        f"  {'phase':<20} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'cache hits':>10} {'published':>9} {'own read':>8}  errors by status"
    ]
    for name in names:
        mine = [s for s in samples if s.phase == name]
        failed = Counter(s.status for s in mine if s.status == 0 or s.status >= 500)
        errors = sum(failed.values())
        cached = [s.cache for s in mine if s.cache]
        hits = cached.count("hit") / len(cached) if cached else 0.0
        times = [s.seconds * 1000 for s in mine if s.status]
        published = [p for p in editor.published if p.phase == name]
        written = [p for p in published if p.status == 302]
        rows.append(
            f"  {name:<20} {len(mine):>8} {errors:>6} {percentile(times, 0.5):>7.0f} "
            f"{percentile(times, 0.95):>7.0f} {hits:>10.0%} "
            f"{len(written):>4}/{len(published):<4} "
            f"{sum(p.read_back for p in written):>4}/{len(written):<3}  "
            + (", ".join(f"{n}×{status or 'no answer'}" for status, n in sorted(failed.items())))
        )
    return rows


def public_on_both(publication: Publication) -> str | None:
    """None if ``publication`` is on its public page and in the API, read by a reader
    without a session; else what was found."""
    client = Client()
    try:
        page_status, _, page = client.request("GET", f"/articles/{publication.slug}/")
        api_status, _, _ = client.request("GET", f"/api/v1/articles/{publication.slug}")
    except (OSError, http.client.HTTPException) as error:
        return f"{publication.slug} ({error})"
    finally:
        client.close()
    if page_status != 200 or publication.title not in page.decode() or api_status != 200:
        return f"{publication.slug} (page {page_status}, API {api_status})"
    return None


def nothing_lost(editor: Editor) -> tuple[list[str], list[str]]:
    """Every article the editor published, checked on the public pages (CHECKERS at a time,
    beside the readers)."""
    with editor.lock:
        written = [p for p in editor.published if p.status == 302]
    with ThreadPoolExecutor(max_workers=CHECKERS) as pool:
        missing = [found for found in pool.map(public_on_both, written) if found]
    rows = [f"Published by the editor: {len(written)}; on the public pages: "
            f"{len(written) - len(missing)} (page and API, read without a session)"]  # fmt: skip
    return rows, missing


def wait_for_replica(seconds: float = 30) -> bool:
    """Until the replica has replayed everything the primary has written."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            primary = cluster.query(cluster.PRIMARY_PORT, "SELECT pg_current_wal_lsn()")
            caught_up = cluster.query(
                cluster.REPLICA_PORT, f"SELECT pg_last_wal_replay_lsn() >= '{primary}'::pg_lsn"
            )
            if caught_up == "t":
                return True
        time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    cluster.up()  # when make cluster has not started it: about two minutes more
    started, load_before = time.monotonic(), os.getloadavg()[0]
    log("building the readers' mix from the archive")
    mix = build_mix()
    recorder, events = Recorder(), []
    editor = Editor(recorder, time.strftime("%H%M%S"))
    editor.login()
    threads = [
        threading.Thread(target=reader, args=(recorder, mix, seed), daemon=True)
        for seed in range(READERS)
    ]
    threads.append(threading.Thread(target=editor.run, daemon=True))
    for thread in threads:
        thread.start()
    log(f"{READERS} readers and the editor through HAProxy on {HOST_HEADER}")
    failures: list[str] = []
    plan = phases()
    try:
        for phase in plan:
            log(f"phase: {phase.name} ({phase.seconds:.0f} s)")
            run_phase(recorder, phase, events)
        recorder.phase = "after"
        caught_up = wait_for_replica()
        log("checking that every published article is on the public pages")
        checked_rows, missing = nothing_lost(editor)
        log("failover: primary stopped, replica promoted, app servers pointed at it")
        resumed = failover(recorder, editor, events)
        time.sleep(3)
    finally:
        recorder.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)

    names = [phase.name for phase in plan]
    with recorder.lock:
        samples = list(recorder.samples)
    statuses = Counter(s.status for s in samples)
    report = [
        f"make cluster-test: {READERS} readers (articles by Zipf's law, entities, searches, "
        f"feeds, API) and an editor publishing every {PUBLISH_EVERY:.0f} s, through HAProxy",
        "",
        *phase_rows(samples, [*names, "failover"], editor),
        "",
        "  errors: no answer or 5xx; own read: the editor's article shown at once on the "
        "public page, with their session",
        f"  answers by status: {dict(sorted(statuses.items()))}",
        "",
        "Faults:",
        *events,
        "",
        *checked_rows,
        *(
            f"  editor, {p.phase}: {p.slug} answered {p.status or 'nothing'} {p.detail}"
            for p in editor.published
            if p.detail
        ),
    ]
    if resumed is None:
        report.append("Failover: the editor's writes did NOT resume within 25 s")
        failures.append("writes did not resume after the failover")
    else:
        report.append(f"Failover: writes resumed {resumed:.1f} s after the primary was lost")
    report.append(f"Run: {time.monotonic() - started:.0f} s in all (the cluster's start aside)")
    report.append(
        f"Machine: {os.cpu_count()} cores shared with every process of the cluster and the "
        f"readers; load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )

    for name in names:
        mine = [s for s in samples if s.phase == name]
        errors = sum(1 for s in mine if s.status == 0 or s.status >= 500)
        if errors:
            failures.append(f"{errors} errors in phase '{name}'")
        own = [p for p in editor.published if p.phase == name]
        if any(p.status != 302 for p in own):
            failures.append(f"the editor failed to publish in phase '{name}'")
        if any(p.status == 302 and not p.read_back for p in own):
            failures.append(f"the editor did not read their own write in phase '{name}'")
    if not caught_up:
        failures.append("the replica did not catch up after the faults")
    if missing:
        failures.append(f"published but not public: {', '.join(missing[:5])}")
    if time.monotonic() - started > DEADLINE_SECONDS:
        failures.append(f"the run took more than {DEADLINE_SECONDS} s")
    report += ["", "Result: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures))]
    text = "\n".join(report)
    print(text)
    reports = cluster.HOME / "reports"
    reports.mkdir(exist_ok=True)
    kept = reports / f"cluster-test-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    kept.write_text(text + "\n")
    log(f"report kept in {kept.relative_to(cluster.ROOT)}; make cluster-down stops the cluster")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())

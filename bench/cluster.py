"""The archive on more than one process, as it would run on more than one machine
(``make cluster``, ``make cluster-status``, ``make cluster-down``; README, "Running on more
than one machine"; docs/cluster.md): everything on 127.0.0.1, from the project's own files,
in .cluster/ (ignored by git).

- PostgreSQL primary (port 55432) and a streaming replica of it (55433: pg_basebackup -R,
  hot standby), each in its own data folder, run as the postgres user when run as root;
- Redis (56379) for the shared page cache; the Redis on 6379, if any, is not touched;
- two gunicorn app servers (58001, 58002) with the production settings, reading from the
  replica and writing to the primary;
- HAProxy on 127.0.0.1:8080 in front of them, checking each one's /healthz every second,
  with its statistics on 127.0.0.1:8404.

The archive is migrated and seeds/ imported on the primary, with synthetic articles
beside them (bench/corpus.py) so that the load test has an archive to read, and an editor
account (.cluster/editor.json) for the load test's writes. Every process is stopped by the
id its own pid file holds, nothing by name.
"""

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import log
from bench.servers import ROOT

HOME = ROOT / ".cluster"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
PRIMARY_PORT, REPLICA_PORT = 55432, 55433
REDIS_PORT = 56379
APP_PORTS = {"app1": 58001, "app2": 58002}
FRONT_PORT, STATS_PORT = 8080, 8404
DATABASE = "newsarchive"
WORKERS = 2
SYNTHETIC_ARTICLES = 1_000
STATE = HOME / "state.json"


def url(port: int) -> str:
    return f"postgres://postgres@{HOST}:{port}/{DATABASE}"


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's programs refuse to run as root: as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def run(command: list[str], *, timeout: float = 120, env: dict | None = None, check=True):
    return subprocess.run(  # noqa: S603 (the cluster's own programs, fixed arguments)
        command,
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) is not running.
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def pid_in(path: Path) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        return int(path.read_text().split()[0])
    return None


def stop_pid(pid_file: Path, name: str, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    """Stops the process whose id ``pid_file`` holds, by that id alone."""
    pid = pid_in(pid_file)
    if not alive(pid):
        pid_file.unlink(missing_ok=True)
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + wait
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        log(f"{name} ({pid}) did not stop within {wait:.0f} s: killed")
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)


# PostgreSQL ---------------------------------------------------------------------------


@dataclass
class Postgres:
    name: str  # the folder under .cluster/: primary or replica

    @property
    def dir(self) -> Path:
        return HOME / self.name

    @property
    def data(self) -> Path:
        return self.dir / "data"

    def pg_ctl(self, *args: str, timeout: float = 60, check=True):
        log_file = self.dir / "server.log"
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(log_file), *args]
        return run(as_postgres(command), timeout=timeout, check=check)

    def running(self) -> bool:
        return self.data.exists() and self.pg_ctl("status", check=False).returncode == 0

    def start(self) -> None:
        self.pg_ctl("-w", "-t", "60", "start")

    def stop(self) -> None:
        if self.running():
            self.pg_ctl("-m", "fast", "-w", "stop")

    def promote(self) -> None:
        self.pg_ctl("-w", "promote")

    def make_folder(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")

    def settings(self, port: int) -> str:
        return (
            f"\nport = {port}\nlisten_addresses = '{HOST}'\n"
            f"unix_socket_directories = '{self.dir}'\n"
            # Replication: WAL for a streaming replica, kept long enough for it to restart.
            "wal_level = replica\nmax_wal_senders = 5\nwal_keep_size = '512MB'\n"
            # The replica tells the primary which rows its queries still read, so that a
            # vacuum on the primary does not cancel a reader's query on the replica.
            "hot_standby = on\nhot_standby_feedback = on\n"
        )


def create_primary(primary: Postgres) -> None:
    primary.make_folder()
    initdb = [str(PG_BIN / "initdb"), "-D", str(primary.data), "-U", "postgres"]
    # trust on 127.0.0.1, replication connections included (initdb's pg_hba.conf).
    run(as_postgres([*initdb, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]))
    with open(primary.data / "postgresql.conf", "a") as conf:
        conf.write(primary.settings(PRIMARY_PORT))
    primary.start()


def create_replica(replica: Postgres, primary_port: int) -> None:
    """A streaming replica of the primary: its base backup, with -R writing the
    connection to the primary (primary_conninfo) and standby.signal."""
    replica.make_folder()
    backup = [str(PG_BIN / "pg_basebackup"), "-h", HOST, "-p", str(primary_port), "-U"]
    # -c fast: a checkpoint at once, rather than one spread over minutes.
    run(
        as_postgres(
            [*backup, "postgres", "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"]
        )
    )
    with open(replica.data / "postgresql.auto.conf", "a") as conf:
        conf.write(replica.settings(REPLICA_PORT))
    replica.start()


def query(port: int, sql: str, database: str = DATABASE) -> str:
    """One statement through psql; its output, unaligned."""
    psql = [str(PG_BIN / "psql"), "-h", HOST, "-p", str(port), "-U", "postgres", "-d", database]
    return run([*psql, "-XAtc", sql], timeout=30).stdout.strip()


# Redis ---------------------------------------------------------------------------------

REDIS_PID = HOME / "redis" / "redis.pid"


def ensure_packages() -> None:
    """redis-server and haproxy, from Debian's packages when missing."""
    missing = [
        package
        for package, program in (("redis-server", "redis-server"), ("haproxy", "haproxy"))
        if not shutil.which(program) and not Path("/usr/sbin", program).exists()
    ]
    if missing:
        log(f"installing {', '.join(missing)} (apt-get)")
        environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "update", "-qq"], timeout=300, env=environment)
        run(["apt-get", "install", "-y", "-qq", *missing], timeout=600, env=environment)


def start_redis() -> None:
    folder = REDIS_PID.parent
    folder.mkdir(parents=True, exist_ok=True)
    # A cache: nothing to persist, a bound on memory, the least used pages dropped.
    command = [
        "redis-server", "--port", str(REDIS_PORT), "--bind", HOST, "--daemonize", "yes",
        "--pidfile", str(REDIS_PID), "--logfile", str(folder / "redis.log"),
        "--dir", str(folder), "--save", "", "--appendonly", "no",
        "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru",
    ]  # fmt: skip
    run(command)
    wait_for(redis_answers, "Redis")


def redis_answers() -> bool:
    ping = ["redis-cli", "-h", HOST, "-p", str(REDIS_PORT), "ping"]
    return run(ping, check=False, timeout=5).stdout.strip() == "PONG"


def stop_redis() -> None:
    stop_pid(REDIS_PID, "Redis")


# App servers -----------------------------------------------------------------------------


def app_environment(primary_port: int, replica_ports: list[int]) -> dict[str, str]:
    """What every app server is started with: production's settings, the databases, the
    shared cache. Rewritten by the runbook's failover (docs/cluster.md)."""
    secret_file = HOME / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
    return {
        "DJANGO_SETTINGS_MODULE": "newsarchive.settings.prod",
        "SECRET_KEY": secret_file.read_text(),
        "DATABASE_URL": url(primary_port),
        "DATABASE_REPLICA_URLS": ",".join(url(port) for port in replica_ports),
        "REDIS_URL": f"redis://{HOST}:{REDIS_PORT}/0",
        "ALLOWED_HOSTS": f"{HOST},localhost",
    }


def write_app_environment(environment: dict[str, str]) -> None:
    (HOME / "app.env").write_text(
        "".join(f"{name}={value}\n" for name, value in sorted(environment.items()))
    )


def read_app_environment() -> dict[str, str]:
    lines = (HOME / "app.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def app_pid_file(name: str) -> Path:
    return HOME / f"{name}.pid"


GUNICORN_CONFIG = """\
# Written by bench/cluster.py: the project's deploy/gunicorn.conf.py, and the app servers'
# environment from app.env, read again when gunicorn reloads (SIGHUP), whose new workers
# then start with it (docs/cluster.md).
import pathlib
import runpy

globals().update(
    (name, value)
    for name, value in runpy.run_path({deploy!r}).items()
    if not name.startswith("__")
)
raw_env = [
    line for line in pathlib.Path({env!r}).read_text().splitlines() if "=" in line
]
"""


def start_app(name: str) -> None:
    port = APP_PORTS[name]
    config = HOME / "gunicorn.conf.py"
    deploy = ROOT / "deploy" / "gunicorn.conf.py"
    config.write_text(GUNICORN_CONFIG.format(deploy=str(deploy), env=str(HOME / "app.env")))
    # deploy/gunicorn.conf.py's settings, but each server's own port and pid file, and two
    # workers each (two servers share this machine's cores).
    command = [
        sys.executable, "-m", "gunicorn", "--config", str(config), "newsarchive.wsgi",
        "--workers", str(WORKERS), "--bind", f"{HOST}:{port}", "--pid", str(app_pid_file(name)),
    ]  # fmt: skip
    with open(HOME / f"{name}.log", "a") as output:
        subprocess.Popen(  # noqa: S603 (fixed arguments)
            command,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command, stopped by its pid file
        )
    wait_for(lambda: healthz(port) == 200, f"{name} on {port}")


def reload_apps() -> None:
    """gunicorn's graceful reload (SIGHUP) of every app server: new workers with app.env as
    it is now, the old ones finishing their requests first. Returns once only new workers
    answer."""
    for name in APP_PORTS:
        os.kill(pid_in(app_pid_file(name)), signal.SIGHUP)
    expected = read_app_environment()
    replicas = len([url for url in expected["DATABASE_REPLICA_URLS"].split(",") if url])

    def reloaded(port: int) -> bool:
        # Three answers in a row from workers that know the new replicas (/healthz names
        # the replicas it checks).
        for _ in range(3):
            checks = healthz_checks(port)
            if checks is None or sum(name.startswith("replica") for name in checks) != replicas:
                return False
        return True

    for name, port in sorted(APP_PORTS.items()):
        wait_for(lambda port=port: reloaded(port), f"{name} reloaded")


def stop_app(name: str) -> None:
    # Beyond deploy/gunicorn.conf.py's graceful_timeout, which its workers finish within.
    stop_pid(app_pid_file(name), name, wait=35)


def healthz(port: int) -> int | None:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": HOST})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def healthz_checks(port: int) -> dict | None:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": HOST})
        return json.loads(connection.getresponse().read())["checks"]
    except (OSError, ValueError, KeyError):
        return None
    finally:
        connection.close()


def wait_for(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready within {seconds:.0f} s (see {HOME})")
        time.sleep(0.2)


# HAProxy -----------------------------------------------------------------------------------

HAPROXY_PID = HOME / "haproxy.pid"
HAPROXY_CONFIG = """\
global
    maxconn 1024
    log stdout format raw local0

defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    # Readers wait in the queue while one server of two restarts, rather than get a 503.
    timeout queue 60s
    timeout http-request 10s
    # A request that finds its server gone (stopped, refusing connections, closing without
    # an answer) is sent again, to another server.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend archive
    bind {host}:{front}
    # Where TLS would end in production: the app servers' SECURE_PROXY_SSL_HEADER. The
    # reader's address replaces whatever they sent as X-Forwarded-For: login attempts are
    # counted by it (newsarchive/proxy.py).
    http-request set-header X-Forwarded-Proto https
    http-request set-header X-Forwarded-For %[src]
    default_backend app_servers

backend app_servers
    balance leastconn
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host {host}
    http-check expect status 200
    # maxconn: one request per gunicorn worker at a time, the rest wait in HAProxy's queue,
    # which a server that stops hands on to the other. A check waits for a busy worker as a
    # request does (timeout check): a loaded server is not a dead one. A server that refuses
    # a connection is stopped: marked down at once (observe layer4), so that the request,
    # resent (retry-on), and those queued behind it go to the other, not to it again.
    timeout check 10s
    default-server check inter 1s fall 3 rise 2 maxconn {workers}
{servers}

listen stats
    bind {host}:{stats}
    stats enable
    stats uri /
"""


def start_haproxy() -> None:
    servers = "\n".join(
        f"    server {name} {HOST}:{port} observe layer4 error-limit 1 on-error mark-down"
        for name, port in sorted(APP_PORTS.items())
    )
    config = HOME / "haproxy.cfg"
    config.write_text(
        HAPROXY_CONFIG.format(
            host=HOST, front=FRONT_PORT, stats=STATS_PORT, workers=WORKERS, servers=servers
        )
    )
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    run([haproxy, "-c", "-q", "-f", str(config)])
    # In the foreground (-db), so that its log goes to haproxy.log; a session of its own.
    with open(HOME / "haproxy.log", "a") as output:
        process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [haproxy, "-db", "-f", str(config)],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    HAPROXY_PID.write_text(str(process.pid))
    wait_for(lambda: healthz(FRONT_PORT) == 200, f"HAProxy on {FRONT_PORT}")


def haproxy_servers() -> dict[str, str]:
    """Each app server's state as HAProxy sees it (UP, DOWN, …)."""
    connection = http.client.HTTPConnection(HOST, STATS_PORT, timeout=5)
    try:
        connection.request("GET", "/;csv")
        lines = connection.getresponse().read().decode().splitlines()
    except OSError:
        return {}
    finally:
        connection.close()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
    return {row["svname"]: row["status"] for row in rows if row.get("pxname") == "app_servers"}


# The whole ----------------------------------------------------------------------------------


def read_state() -> dict:
    with contextlib.suppress(OSError, ValueError):
        return json.loads(STATE.read_text())
    return {}


def write_state(**changes) -> None:
    STATE.write_text(json.dumps({**read_state(), **changes}, indent=2))


def prepare_archive(articles: int) -> None:
    """Migrated, seeds/ imported, synthetic articles and an editor, on the primary."""
    environment = {**os.environ, **read_app_environment()}
    manage = [sys.executable, "manage.py"]
    log("migrating and importing seeds/ on the primary")
    run([*manage, "migrate", "--noinput"], env=environment, timeout=600)
    run([*manage, "import_articles", "seeds/"], env=environment, timeout=600)
    run([*manage, "collectstatic", "--noinput"], env=environment, timeout=300)
    if articles:
        log(f"adding {articles:,} synthetic articles (bench/corpus.py)")
        # The development settings install the bench app, whose command this is.
        corpus = {**environment, "DJANGO_SETTINGS_MODULE": "newsarchive.settings.dev"}
        run([*manage, "generate_corpus", str(articles)], env=corpus, timeout=600)
    password = secrets.token_urlsafe(16)
    editor = {**environment, "DJANGO_SUPERUSER_PASSWORD": password}
    run(
        [
            *manage,
            "createsuperuser",
            "--noinput",
            "--username",
            "editor",
            "--email",
            "editor@x.org",
        ],
        env=editor,
    )
    (HOME / "editor.json").write_text(json.dumps({"username": "editor", "password": password}))
    query(PRIMARY_PORT, "VACUUM ANALYZE")


def up(articles: int = SYNTHETIC_ARTICLES) -> None:
    """Starts the whole topology, from nothing (whatever .cluster/ held is stopped and
    removed first, unless the whole topology already runs)."""
    if read_state().get("topology") == "primary+replica" and all(status_rows()[1]):
        log("the cluster already runs (make cluster-status)")
        return
    down()
    ensure_packages()
    begun = time.monotonic()
    HOME.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(HOME, "postgres")  # PostgreSQL's folders are made inside it
    primary, replica = Postgres("primary"), Postgres("replica")
    log(f"PostgreSQL primary on {PRIMARY_PORT}")
    create_primary(primary)
    query(PRIMARY_PORT, f"CREATE DATABASE {DATABASE}", database="postgres")
    write_app_environment(app_environment(PRIMARY_PORT, [REPLICA_PORT]))
    write_state(topology="starting", primary="primary", replica="replica")
    prepare_archive(articles)
    log(f"streaming replica on {REPLICA_PORT} (pg_basebackup -R)")
    create_replica(replica, PRIMARY_PORT)
    log(f"Redis on {REDIS_PORT}")
    start_redis()
    for name, port in sorted(APP_PORTS.items()):
        log(f"gunicorn {name} on {port}")
        start_app(name)
    log(f"HAProxy on {HOST}:{FRONT_PORT} (statistics on {STATS_PORT})")
    start_haproxy()
    write_state(topology="primary+replica")
    log(f"cluster up in {time.monotonic() - begun:.0f} s: http://{HOST}:{FRONT_PORT}/")
    status()


def down() -> None:
    """Stops every process the cluster started, by its pid file, and removes .cluster/
    but its reports."""
    if not HOME.exists():
        return
    stop_pid(HAPROXY_PID, "HAProxy")
    for name in APP_PORTS:
        stop_app(name)
    stop_redis()
    for name in ("replica", "primary"):
        Postgres(name).stop()
    for path in HOME.iterdir():
        if path.name != "reports":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    log("cluster stopped")


REPLICATION_SQL = """SELECT string_agg(
    client_addr || ' ' || state || ', replay lag ' || coalesce(replay_lag::text, '0'), '; ')
    FROM pg_stat_replication"""


def status_rows() -> tuple[list[str], list[bool]]:
    state = read_state()
    environment = read_app_environment() if (HOME / "app.env").exists() else {}
    rows, ok = [], []

    def row(name: str, running: bool, detail: str) -> None:
        rows.append(f"  {name:<10} {'up' if running else 'DOWN':<5} {detail}")
        ok.append(running)

    for name in ("primary", "replica"):
        server = Postgres(name)
        if not server.data.exists():
            continue
        running = server.running()
        port = PRIMARY_PORT if name == "primary" else REPLICA_PORT
        detail = f"port {port}"
        if running:
            recovering = query(port, "SELECT pg_is_in_recovery()") == "t"
            detail += ", streaming replica" if recovering else ", primary (read-write)"
            if not recovering:
                lag = query(port, REPLICATION_SQL)
                detail += f"; {lag}" if lag else "; no replica attached"
        row(f"pg {name}", running, detail)
    row("redis", alive(pid_in(REDIS_PID)), f"port {REDIS_PORT}")
    for name, port in sorted(APP_PORTS.items()):
        code = healthz(port)
        row(name, code == 200, f"port {port}, /healthz {code}")
    servers = haproxy_servers()
    row("haproxy", alive(pid_in(HAPROXY_PID)), f"{HOST}:{FRONT_PORT}, backends {servers}")
    if environment:
        rows.append(
            f"  app servers: DATABASE_URL={environment.get('DATABASE_URL')} "
            f"DATABASE_REPLICA_URLS={environment.get('DATABASE_REPLICA_URLS') or '(none)'}"
        )
    rows.insert(0, f"cluster ({state.get('topology', 'not started')}) in {HOME}:")
    return rows, ok


def status() -> None:
    if not HOME.exists() or not read_state():
        print("No cluster (make cluster starts one).")
        return
    print("\n".join(status_rows()[0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument(
        "--articles",
        type=int,
        default=SYNTHETIC_ARTICLES,
        help=f"Synthetic articles beside seeds/ (default {SYNTHETIC_ARTICLES:,}).",
    )
    arguments = parser.parse_args()
    if arguments.action == "up":
        try:
            up(arguments.articles)
        except (RuntimeError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", "") or ""
            log(f"cluster failed to start: {error} {detail[-2000:]}")
            down()
            return 1
    elif arguments.action == "down":
        down()
    else:
        status()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A newcomer's first hour: manage.py and pytest find the database `make run` uses by
themselves; when none can be had, scripts/database-url, and so make and manage.py, stop at
once with the reason; `make stop` stops the project-local PostgreSQL; the development
server prints each log line once.

The cases about the machine run on a copy of the project in new network and mount
namespaces: nothing answers on 127.0.0.1 there, so the machine's own PostgreSQL is neither
seen nor disturbed, and PostgreSQL's binaries can be hidden."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.project.test_settings import PRODUCTION
from tests.support import processes

ROOT = Path(__file__).resolve().parents[2]
# What manage.py, make database and the scripts read (tests and docs are not needed).
PROJECT_FILES = [
    "Makefile",
    "manage.py",
    "pyproject.toml",
    "requirements",
    "newsarchive",
    "articles",
    "bench",
    "scripts",
    "seeds",
    "templates",
    "static",
]
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _can_unshare() -> bool:
    try:
        tried = subprocess.run(
            ["unshare", "--mount", "--net", "true"],  # noqa: S607
            capture_output=True,
            timeout=10,
            check=False,
        )
    except FileNotFoundError:
        return False
    return tried.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _can_unshare(),
    reason="trying a machine without PostgreSQL needs `unshare --mount --net` (root)",
)


@pytest.fixture
def project():
    """A copy of the project in a folder the postgres user can enter (initdb runs as that
    user under root), with this checkout's virtualenv; a cluster started in it is stopped
    at the end whatever happens."""
    with tempfile.TemporaryDirectory(prefix="newsarchive-") as folder:
        copy = Path(folder)
        copy.chmod(0o755)
        for name in PROJECT_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, copy / name)
        (copy / ".venv").symlink_to(ROOT / ".venv")
        # make sees the virtualenv as installed from the lock.
        os.utime(copy / "requirements" / "dev.txt", (0, 0))
        try:
            yield copy
        finally:
            data = copy / ".postgres" / "data"
            if (data / "postmaster.pid").exists():
                subprocess.run(  # noqa: S603
                    [*as_postgres(), find_pg_ctl(), "-D", str(data), "-m", "immediate", "stop"],
                    capture_output=True,
                    timeout=60,
                    check=False,
                )


def as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def find_pg_ctl() -> str:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return str(found[-1]) if found else "pg_ctl"


def on_a_fresh_machine(
    project: Path, script: str, *, postgres_installed: bool = True, timeout: float = 180
) -> subprocess.CompletedProcess:
    """Runs the bash ``script`` in ``project`` as a newcomer would on a machine where
    nothing answers on 127.0.0.1:5432 (and, unless ``postgres_installed``, no PostgreSQL
    server binaries are installed), without DATABASE_URL."""
    with tempfile.TemporaryDirectory() as empty:
        hide = "" if postgres_installed else f"mount --bind {empty} /usr/lib/postgresql\n"
        return subprocess.run(  # noqa: S603
            ["unshare", "--mount", "--net", "bash", "-c", f"ip link set lo up\n{hide}{script}"],  # noqa: S607
            cwd=project,
            env={"PATH": PATH, "HOME": str(project), "LANG": "C.UTF-8"},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


@needs_namespaces
def test_a_newcomer_adds_an_editor_and_imports_without_exporting_anything(project):
    result = on_a_fresh_machine(
        project,
        """set -euo pipefail
        make database
        DJANGO_SUPERUSER_PASSWORD=first-hour-Pa55 .venv/bin/python manage.py createsuperuser \
          --noinput --username editor --email editor@example.org
        .venv/bin/python manage.py import_articles seeds/
        DJANGO_SETTINGS_MODULE=newsarchive.settings.test .venv/bin/python -c '
import django; django.setup()
from django.db import connection
print("test settings use port", connection.settings_dict["PORT"])'
        make stop
        make stop
        """,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "creating a project-local cluster" in result.stderr
    assert "Superuser created successfully." in result.stdout
    assert "0 created, 0 updated" in result.stdout  # make database imported them already
    assert "test settings use port 54329" in result.stdout
    assert "Stopped the project-local PostgreSQL" in result.stdout
    assert "The project-local PostgreSQL is not running: nothing to stop." in result.stdout
    assert not (project / ".postgres" / "data" / "postmaster.pid").exists()


@needs_namespaces
def test_make_stop_is_harmless_where_there_is_no_cluster(project):
    result = on_a_fresh_machine(project, "make stop")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No project-local PostgreSQL in .postgres/: nothing to stop." in result.stdout


@needs_namespaces
def test_without_postgresql_the_finder_says_what_to_install(project):
    result = on_a_fresh_machine(project, "scripts/database-url", postgres_installed=False)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "no PostgreSQL server binaries" in result.stderr
    assert "apt-get install postgresql-15" in result.stderr
    assert "DATABASE_URL" in result.stderr


@needs_namespaces
@pytest.mark.parametrize(
    "command",
    [
        "make database",
        "make backup",
        ".venv/bin/python manage.py migrate",
        ".venv/bin/python manage.py createsuperuser --noinput --username x --email x@x.org",
    ],
)
def test_make_and_manage_py_stop_at_once_with_the_reason(project, command):
    result = on_a_fresh_machine(project, command, postgres_installed=False)
    assert result.returncode != 0
    assert "no PostgreSQL server binaries" in result.stderr
    assert "Traceback" not in result.stderr
    assert "KeyError" not in result.stderr
    assert "Operations to perform" not in result.stdout  # migrate never started


@needs_namespaces
def test_a_cluster_initdb_cannot_create_is_reported_with_the_end_of_its_log(project):
    data = project / ".postgres" / "data"
    data.mkdir(parents=True)
    (data / "left-over").write_text("not a cluster\n")
    result = on_a_fresh_machine(project, "scripts/database-url")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Could not create the project-local PostgreSQL cluster" in result.stderr
    log = (project / ".postgres" / "initdb.log").read_text().strip().splitlines()
    assert log
    assert log[-1].strip() in result.stderr


@needs_namespaces
def test_a_cluster_that_cannot_start_is_reported_with_the_end_of_its_log(project):
    # Another program holds the project-local cluster's port.
    hold_the_port = (
        "import socket, subprocess, sys\n"
        "held = socket.create_server(('127.0.0.1', 54329))\n"
        "sys.exit(subprocess.run(['scripts/database-url']).returncode)\n"
    )
    result = on_a_fresh_machine(project, f'python3 -c "{hold_the_port}"')
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Could not start the project-local PostgreSQL" in result.stderr
    assert "Address already in use" in result.stderr  # from server.log


def manage(*args: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return processes.manage(*args, env=environment, timeout=60)


def this_environment_but(*names: str) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in names}


def test_production_requires_a_database_url_and_starts_nothing():
    result = manage("check", environment=this_environment_but("DATABASE_URL") | PRODUCTION)
    assert result.returncode != 0
    assert "Set the DATABASE_URL environment variable for production." in result.stderr
    assert "project-local" not in result.stderr


def test_each_log_line_prints_once_under_the_dev_settings():
    result = manage(
        "shell",
        "-c",
        "import logging\n"
        "logging.getLogger('django.request').warning('a warning from Django')\n"
        "logging.getLogger('django.utils.autoreload').info('a notice from Django')\n"
        "logging.getLogger('newsarchive.middleware').warning('a warning of ours')\n",
        environment=this_environment_but("DJANGO_SETTINGS_MODULE"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("a warning from Django") == 1
    assert result.stderr.count("a notice from Django") == 1
    assert result.stderr.count("a warning of ours") == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_development_server_prints_a_request_once(db):
    port = free_port()
    # The test database exists whatever DATABASE_URL names (runserver's checks connect).
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    server = subprocess.Popen(  # noqa: S603
        [
            *[sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
            *["--noreload", "--nothreading"],
        ],
        cwd=ROOT,
        env=this_environment_but("DJANGO_SETTINGS_MODULE") | {"DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
            except urllib.error.HTTPError as answer:
                assert answer.code == 404
                break
            except urllib.error.URLError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the development server did not start"
                time.sleep(0.2)
        # A request's line is logged once it is answered: one server thread takes the next
        # request only after that.
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/another-page/", timeout=5)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert stderr.count("Not Found: /no-such-page/") == 1, stderr
    assert stderr.count('"GET /no-such-page/ HTTP/1.1" 404') == 1, stderr

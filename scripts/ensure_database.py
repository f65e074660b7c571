"""Creates the database named in DATABASE_URL if it does not exist yet, and makes sure its
server has the extensions the migrations create (REQUIRED_EXTENSIONS): one that is missing
is installed from Debian's packages (postgresql-<major>-<name>) when the server runs on this
machine. Exits 1 with the reason when it cannot be had."""

import os
import shutil
import subprocess
import sys

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

# Extensions that are not part of PostgreSQL's own contrib: extension name -> the Debian
# package that ships it, by the server's major version.
REQUIRED_EXTENSIONS = {"rum": "postgresql-{major}-rum"}
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


def fail(reason: str) -> None:
    print(f"scripts/ensure_database.py: {reason}", file=sys.stderr)
    sys.exit(1)


def missing_extensions(server: psycopg.Connection) -> list[str]:
    available = {
        row[0]
        for row in server.execute(
            "SELECT name FROM pg_available_extensions WHERE name = ANY(%s)",
            [list(REQUIRED_EXTENSIONS)],
        )
    }
    return [name for name in REQUIRED_EXTENSIONS if name not in available]


def install(missing: list[str], major: int, host: str) -> None:
    packages = [REQUIRED_EXTENSIONS[name].format(major=major) for name in missing]
    # A server elsewhere cannot be given a package from here (a socket path is local).
    if host not in LOCAL_HOSTS and not host.startswith("/"):
        fail(
            f"the PostgreSQL server at {host} lacks the extension(s) {', '.join(missing)}:"
            f" install {' '.join(packages)} on it (or its equivalent)."
        )
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        fail(
            f"PostgreSQL {major} lacks the extension(s) {', '.join(missing)}: install "
            f"{' '.join(packages)} (apt-get as root), then run this again."
        )
    print(f"Installing {' '.join(packages)} with apt-get", file=sys.stderr)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [apt_get, "install", "-y", "-qq", *packages]
    if subprocess.run(command, env=environment, capture_output=True, check=False).returncode:  # noqa: S603
        subprocess.run([apt_get, "update", "-qq"], env=environment, check=False)  # noqa: S603
        done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
        if done.returncode:
            fail(f"apt-get could not install {' '.join(packages)}:\n{done.stderr.strip()}")


def main() -> None:
    url = os.environ["DATABASE_URL"]
    settings = conninfo_to_dict(url)
    name = settings["dbname"]
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.", file=sys.stderr)
        if missing := missing_extensions(server):
            major = server.info.server_version // 10000
            install(missing, major, str(settings.get("host", "")))
            if still := missing_extensions(server):
                fail(f"PostgreSQL {major} still lacks the extension(s) {', '.join(still)}.")


if __name__ == "__main__":
    main()

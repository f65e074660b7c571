"""The database of a development machine, found the way `make run` finds it."""

import os
import subprocess
import sys
from pathlib import Path

FINDER = Path(__file__).resolve().parent.parent / "scripts" / "database-url"


def use_local_database() -> None:
    """Sets DATABASE_URL, when it is unset, to what scripts/database-url settles on (the
    server on 127.0.0.1:5432, else the project-local cluster it starts), as the Makefile
    does: manage.py and pytest then reach the database `make run` uses without anything
    exported by hand, and the processes they start (runserver's reloader) inherit it."""
    if os.environ.get("DATABASE_URL"):
        return
    found = subprocess.run([FINDER], stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
    if found.returncode != 0:
        # The script has said why on stderr (no PostgreSQL, the end of the cluster's log):
        # a traceback through Django's settings would only bury the reason.
        sys.exit(found.returncode)
    os.environ["DATABASE_URL"] = found.stdout.strip()

"""The database's own code: its functions, triggers and text search configuration, each
defined in one of the .sql files in articles/db/sql/ as the database runs it.

Each file (re)creates what it defines whether or not it exists, so a migration can run it
at any time: to change a definition, edit its file and add a migration that runs the file
again (``run_sql_file``). A migration reads the file as it is when the migration runs, so
migrating an empty database runs today's text at each migration that reads it: a file may
only name tables and functions that exist by the first migration reading it (a trigger on
a newer table goes in a newer file). Older migrations keep the SQL they ran, as history.
"""

from pathlib import Path

from django.db import migrations

FOLDER = Path(__file__).resolve().parent / "sql"


def read(name: str) -> str:
    """The text of the file ``name`` in articles/db/sql/."""
    return (FOLDER / name).read_text(encoding="utf-8")


def run_sql_file(name: str, reverse_sql=migrations.RunSQL.noop) -> migrations.RunSQL:
    """A migration operation that runs the file ``name``; undoing it runs ``reverse_sql``
    (nothing, by default: the definitions the file replaced said the same)."""
    return migrations.RunSQL(read(name), reverse_sql)

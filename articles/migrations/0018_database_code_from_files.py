"""The database's functions, triggers and text search configuration are (re)created from
the files that define them, articles/db/sql/ (see articles/db/sql_files.py), where earlier
migrations held them in their own text. Each definition is the one the database already
ran: nothing changes but where it is written.
"""

from django.db import migrations

from articles.db.sql_files import run_sql_file


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_archive_state_at_commit")]

    operations = [
        run_sql_file("text.sql"),
        run_sql_file("headline.sql"),
        run_sql_file("tallies.sql"),
        run_sql_file("archive_state.sql"),
    ]

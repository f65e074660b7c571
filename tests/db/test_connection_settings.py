"""What every connection to the database is told when it opens (newsarchive/settings/base.py)."""

from django.db import connection


def test_a_statement_that_runs_away_is_cancelled(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone() == ("15s",)


def test_a_sort_has_room_to_rank_a_common_words_matches(db):
    """A search ranks every match of its words in one sort; with PostgreSQL's 4 MB a common
    word's matches in a large archive spill to disk."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_bytes(current_setting('work_mem'))")
        assert cursor.fetchone() == (32 * 1024 * 1024,)


def test_no_statement_is_compiled_just_in_time(db):
    """The planner prices a search on a large archive above jit_above_cost, and compiling
    its statement takes longer than running it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone() == ("off",)

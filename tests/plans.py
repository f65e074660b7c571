"""What a page asks of PostgreSQL: the plan of each statement it runs."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

LARGE_TABLES = ("articles_article", "articles_mention", "articles_revision")


def statement_plans(client, path: str, params: dict | None = None) -> list[str]:
    """The plan of each SELECT the page runs, as on tables too large to read whole: with
    sequential scans priced out, one remains only where no index can serve."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params or {}).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in captured.captured_queries:
            if query["sql"].lstrip("(").startswith("SELECT"):
                cursor.execute(f"EXPLAIN {query['sql']}")
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def whole_table_reads(plans: list[str]) -> list[str]:
    """The large tables the plans read from end to end."""
    return [table for plan in plans for table in LARGE_TABLES if f"Seq Scan on {table} " in plan]

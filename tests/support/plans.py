"""What a page or a query asks of PostgreSQL: the plans of its statements."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

LARGE_TABLES = ("articles_article", "articles_mention", "articles_revision")


def plan(sql: str, params=None, *, analyze=False, priced_out=("seqscan",)) -> str:
    """The plan of a statement as on tables too large to read whole: with the scans named
    in ``priced_out`` priced out (by default sequential scans, which then remain only where
    no index can serve). The settings last until the test's transaction ends."""
    with connection.cursor() as cursor:
        for scan in priced_out:
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN {'(ANALYZE) ' if analyze else ''}{sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def queryset_plan(queryset, **options) -> str:
    sql, params = queryset.query.sql_with_params()
    return plan(sql, params, **options)


def statement_plans(client, path: str, params: dict | None = None) -> list[str]:
    """The plan of each SELECT the page runs."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params or {}).status_code == 200
    return [
        plan(query["sql"])
        for query in captured.captured_queries
        if query["sql"].lstrip("(").startswith("SELECT")
    ]


def whole_table_reads(plans: list[str]) -> list[str]:
    """The large tables the plans read from end to end."""
    return [table for plan in plans for table in LARGE_TABLES if f"Seq Scan on {table} " in plan]

"""Index types Django does not ship."""

from django.contrib.postgres.indexes import PostgresIndex


class RumIndex(PostgresIndex):
    """An index of the rum extension (https://github.com/postgrespro/rum): a GIN that also
    stores each lexeme's positions, so that matches come out of the index already ranked
    (``ORDER BY vector <=> query``) and phrases need no visit to the table to be checked."""

    suffix = "rum"

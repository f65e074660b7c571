"""Whether migrations can run on a live archive of a million articles without stopping
it: the SQL each one emits (as sqlmigrate shows it) is read for the statements that lock
a large table for as long as they take to read or rewrite it, or that break the code
still running while a deployment migrates.

Tables a migration creates are new and empty: anything done to them is safe. A rule a
migration breaks on purpose, for a reason a reviewer accepted, is named in its
``unsafe_allowed = {"rule": "why it is safe here"}``.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

# (rule, pattern on a statement in upper case, without literals or comments, what to do)
RULES = [
    (
        "index",
        r"^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)",
        "builds an index while writes to the table wait: use AddIndexConcurrently (atomic = False)",
    ),
    (
        "drop-index",
        r"^DROP INDEX (?!CONCURRENTLY)",
        "drops an index under an exclusive lock: use RemoveIndexConcurrently (atomic = False)",
    ),
    (
        "column-type",
        r"^ALTER TABLE .* ALTER COLUMN \S+ (SET DATA )?TYPE ",
        "changes a column's type, which rewrites the table under an exclusive lock: add a "
        "new column, backfill it in batches, then switch to it",
    ),
    (
        "volatile-default",
        r"^ALTER TABLE .* ADD COLUMN .*(DEFAULT .*\b(RANDOM|CLOCK_TIMESTAMP|GEN_RANDOM_UUID|"
        r"UUID_GENERATE_V\d|NEXTVAL|TIMEOFDAY)\s*\(|\b(BIG|SMALL)?SERIAL\b|GENERATED .* "
        r"(STORED|AS IDENTITY))",
        "adds a column whose value is computed for every row (a volatile default, a serial, "
        "a stored generated column), which rewrites the table: add it nullable or with a "
        "constant default, then fill it in batches",
    ),
    (
        "constraint",
        r"^ALTER TABLE .* ADD CONSTRAINT \S+ (CHECK|FOREIGN KEY)\b(?!.*\bNOT VALID\b)",
        "adds a constraint that reads every row under the lock: add it NOT VALID, then "
        "VALIDATE CONSTRAINT in a later statement (migrations.AddConstraintNotValid and "
        "ValidateConstraint)",
    ),
    (
        "unique-constraint",
        r"^ALTER TABLE .* ADD (CONSTRAINT \S+ )?(UNIQUE|PRIMARY KEY|EXCLUDE)\b(?!.* USING INDEX)",
        "builds a unique index under the lock: build it CONCURRENTLY first, then add the "
        "constraint USING INDEX",
    ),
    (
        "not-null",
        r"^ALTER TABLE .* ALTER COLUMN \S+ SET NOT NULL",
        "makes an existing column NOT NULL, which reads every row under an exclusive lock: "
        "add CHECK (column IS NOT NULL) NOT VALID, validate it, then SET NOT NULL",
    ),
    (
        "rewrite",
        r"^(VACUUM FULL|CLUSTER|LOCK TABLE|ALTER TABLE .* SET (LOGGED|UNLOGGED|TABLESPACE)|"
        r"REINDEX (?!.*CONCURRENTLY))",
        "rewrites or locks a whole table",
    ),
    (
        "rename",
        r"^ALTER TABLE .* RENAME ",
        "renames a table or column that the code still running during the deployment "
        "reads by its old name",
    ),
    (
        "drop-column",
        r"^ALTER TABLE .* DROP COLUMN ",
        "drops a column that the code still running selects: stop using the field in one "
        "release (SeparateDatabaseAndState), drop the column in the next",
    ),
    (
        "backfill",
        r"^(UPDATE|DELETE) ",
        "writes rows inside the migration's transaction, holding their locks to the end: "
        "backfill in batches, each committed (atomic = False)",
    ),
]
ADVICE = {rule: advice for rule, _, advice in RULES}
COMPILED = [(rule, re.compile(pattern, re.DOTALL), advice) for rule, pattern, advice in RULES]
CREATED_TABLE = re.compile(r'^CREATE TABLE (IF NOT EXISTS )?"?([\w.]+)"?')
TABLE_OF = re.compile(r'^(ALTER TABLE (ONLY )?|CREATE (UNIQUE )?INDEX .*? ON (ONLY )?)"?([\w.]+)"?')


@dataclass(frozen=True)
class Problem:
    migration: str
    rule: str
    advice: str
    statement: str

    def __str__(self) -> str:
        return f"{self.migration}: [{self.rule}] {self.advice}\n    {self.statement[:300]}"


def statements(sql: str) -> list[str]:
    """The statements of ``sql`` on one line each, without comments, string literals and
    dollar-quoted bodies (a function's body runs when it is called, not now)."""
    sql = re.sub(r"\$(\w*)\$.*?\$\1\$", "$$", sql, flags=re.DOTALL)
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    sql = re.sub(r"--[^\n]*|/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return [" ".join(part.split()) for part in sql.split(";") if part.strip()]


def migration_problems(loader: MigrationLoader, migration) -> list[Problem]:
    name = f"{migration.app_label}.{migration.name}"
    allowed = getattr(migration, "unsafe_allowed", {})
    problems = []
    if migration.atomic and any(isinstance(op, RunPython) for op in migration.operations):
        problems.append(Problem(name, "backfill", ADVICE["backfill"], "RunPython(…)"))
    new_tables: set[str] = set()
    for statement in statements("\n".join(loader.collect_sql([(migration, False)]))):
        upper = statement.upper()
        if created := CREATED_TABLE.match(upper):
            new_tables.add(created[2])
            continue
        table = TABLE_OF.match(upper)
        if table and table[5] in new_tables:
            continue
        for rule, pattern, advice in COMPILED:
            if pattern.search(upper):
                problems.append(Problem(name, rule, advice, statement))
    return [problem for problem in problems if problem.rule not in allowed]


def unsafe_migrations(app_label: str, first: str) -> list[Problem]:
    """The problems of ``app_label``'s migrations from ``first`` (a name or its number) on."""
    loader = MigrationLoader(connection, replace_migrations=False)
    names = sorted(name for label, name in loader.disk_migrations if label == app_label)
    start = next((name for name in names if name.startswith(first)), None)
    if start is None:
        raise ValueError(f"{app_label} has no migration {first}")
    return [
        problem
        for name in names[names.index(start) :]
        for problem in migration_problems(loader, loader.get_migration(app_label, name))
    ]

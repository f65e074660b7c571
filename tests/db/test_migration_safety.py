"""Migrations from 0022 on are safe on a live archive (manage.py check_migrations), and
the check refuses each unsafe operation of a migration made here, in a temporary app
that is never shipped, while passing its safe forms."""

import os
import textwrap
from pathlib import Path

import pytest

from articles.db.migration_safety import statements
from tests.support import processes

APP = {
    "__init__.py": "",
    "models.py": """
        from django.db import models

        class Item(models.Model):
            name = models.CharField(max_length=20)
        """,
    "migrations/__init__.py": "",
    # A new table and its index: safe, whatever its size will be.
    "migrations/0001_initial.py": """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            initial = True
            dependencies = [("articles", "0022_declared_tags_index")]
            operations = [
                migrations.CreateModel("Item", [
                    ("id", models.BigAutoField(primary_key=True)),
                    ("name", models.CharField(max_length=20)),
                    ("size", models.IntegerField(null=True)),
                    ("label", models.TextField(null=True)),
                    ("old", models.TextField(null=True)),
                ]),
                migrations.AddIndex("item", models.Index(fields=["name"], name="item_name")),
            ]
        """,
    "migrations/0002_unsafe.py": """
        from django.db import migrations, models

        def fill(apps, schema_editor):
            apps.get_model("unsafe_app", "Item").objects.update(size=0)

        class Migration(migrations.Migration):
            dependencies = [("unsafe_app", "0001_initial")]
            operations = [
                migrations.AddIndex("item", models.Index(fields=["size"], name="item_size")),
                migrations.AlterField("item", "size", models.BigIntegerField(null=True)),
                migrations.AddField("item", "article", models.ForeignKey(
                    "articles.Article", models.CASCADE, null=True)),
                migrations.AddConstraint("item", models.CheckConstraint(
                    condition=models.Q(size__gte=0), name="item_size_positive")),
                migrations.AlterField("item", "label", models.TextField(default="")),
                migrations.RunSQL("ALTER TABLE unsafe_app_item ADD COLUMN n serial"),
                migrations.RunSQL("ALTER TABLE unsafe_app_item ADD UNIQUE (name)"),
                migrations.RenameField("item", "name", "title"),
                migrations.RemoveField("item", "old"),
                migrations.RemoveIndex("item", "item_name"),
                migrations.RunSQL("VACUUM FULL unsafe_app_item"),
                migrations.RunPython(fill, migrations.RunPython.noop),
            ]
        """,
    # A rule broken on purpose, with the reason a reviewer accepted.
    "migrations/0003_allowed.py": """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            unsafe_allowed = {"index": "unsafe_app_item never holds more than a few rows"}
            dependencies = [("unsafe_app", "0002_unsafe")]
            operations = [
                migrations.AddIndex("item", models.Index(fields=["label"], name="item_label")),
            ]
        """,
    # The safe forms of the same changes.
    "migrations/0004_safe.py": """
        from django.contrib.postgres.operations import (
            AddConstraintNotValid, AddIndexConcurrently, RemoveIndexConcurrently,
            ValidateConstraint)
        from django.db import migrations, models

        class Migration(migrations.Migration):
            atomic = False
            dependencies = [("unsafe_app", "0003_allowed")]
            operations = [
                AddIndexConcurrently("item", models.Index(fields=["title"], name="item_title")),
                RemoveIndexConcurrently("item", "item_label"),
                migrations.AddField("item", "note", models.TextField(null=True)),
                migrations.AddField("item", "weight", models.IntegerField(default=1)),
                AddConstraintNotValid("item", models.CheckConstraint(
                    condition=models.Q(weight__gte=0), name="item_weight_positive")),
                ValidateConstraint("item", "item_weight_positive"),
                migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop),
            ]
        """,
}
UNSAFE_RULES = [
    "index",  # AddIndex
    "column-type",  # AlterField to another type
    "constraint",  # the foreign key, and the check constraint
    "index",  # the foreign key's index
    "backfill",  # AlterField to NOT NULL fills the NULLs with the default: one UPDATE
    "not-null",  # and then SET NOT NULL
    "volatile-default",  # a serial
    "unique-constraint",
    "rename",
    "drop-column",
    "drop-index",
    "rewrite",
    "backfill",  # RunPython in the migration's transaction
]


def test_the_archive_s_migrations_from_0022_on_are_safe():
    # In a process of its own: the concurrent operations cannot be shown inside a test's
    # transaction.
    result = processes.manage("check_migrations", env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert "Safe on a live archive: articles:0022." in result.stdout


@pytest.fixture
def unsafe_app(tmp_path):
    for name, text in APP.items():
        path = tmp_path / "unsafe_app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (tmp_path / "unsafe_settings.py").write_text(
        "from newsarchive.settings.test import *  # noqa\n"
        "from newsarchive.settings.test import INSTALLED_APPS\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'unsafe_app']\n"
    )
    return tmp_path


def check(folder: Path, *start: str):
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "unsafe_settings",
        "PYTHONPATH": f"{folder}{os.pathsep}{processes.ROOT}",
    }
    return processes.manage("check_migrations", *start, env=env)


def test_the_check_fails_on_each_unsafe_operation_and_passes_their_safe_forms(unsafe_app):
    result = check(unsafe_app, "unsafe_app:0001")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    reported = [
        line.partition("[")[2].partition("]")[0]
        for line in result.stderr.splitlines()
        if line.startswith("unsafe_app.")
    ]
    assert sorted(reported) == sorted(UNSAFE_RULES), result.stderr
    assert all(line.startswith("unsafe_app.0002_unsafe:") for line in result.stderr.splitlines()
               if line.startswith("unsafe_app."))  # fmt: skip
    assert f"{len(UNSAFE_RULES)} unsafe operation(s)" in result.stderr
    assert 'CREATE INDEX "item_size" ON "unsafe_app_item"' in result.stderr

    safe = check(unsafe_app, "unsafe_app:0003")
    assert safe.returncode == 0, safe.stderr
    assert "Safe on a live archive: unsafe_app:0003." in safe.stdout


def test_an_unknown_starting_point_is_refused(unsafe_app):
    result = check(unsafe_app, "unsafe_app:0099")
    assert result.returncode == 1
    assert "unsafe_app has no migration 0099" in result.stderr


def test_function_bodies_literals_and_comments_are_not_statements():
    sql = """
        -- UPDATE in a comment;
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN UPDATE t SET a = 1; RETURN NEW; END $body$;
        INSERT INTO t VALUES ('UPDATE; DROP COLUMN x') /* VACUUM FULL t; */;
    """
    assert statements(sql) == [
        "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$",
        "INSERT INTO t VALUES ('')",
    ]

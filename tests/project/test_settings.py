import os
import subprocess
import sys
from pathlib import Path

from tests.support import processes

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "newsarchive.settings.prod",
    "SECRET_KEY": "k3y-" + "x" * 60 + "-only-for-this-test-9f2c1b7e",
    "ALLOWED_HOSTS": "archive.example.org",
}


# Set for the browser tests' event loop (tests/browser/conftest.py), never in deployment.
TEST_ONLY_VARIABLES = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION.keys() | TEST_ONLY_VARIABLES
    } | env
    return processes.manage(*args, env=environment)


def test_deploy_check_is_clean_under_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = PRODUCTION | {"SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_a_worker_leaves_what_start_up_loaded_out_of_garbage_collection():
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", "import gc, newsarchive.wsgi; print(gc.get_freeze_count())"],
        cwd=ROOT,
        env=environment | PRODUCTION,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000

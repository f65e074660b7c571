"""The project's own commands run in a subprocess from its root, as a person would run
them, with exactly the environment a test gives."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str], *, env: dict[str, str], timeout: float = 120):
    return subprocess.run(  # noqa: S603 (the project's own commands, fixed arguments)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def manage(*args: str, env: dict[str, str], timeout: float = 120):
    return run([sys.executable, "manage.py", *args], env=env, timeout=timeout)

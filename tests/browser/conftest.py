"""Browser tests: Playwright driving Debian's Chromium against a live server."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# Playwright's sync API keeps an event loop running in the test thread for the whole
# session; the ORM calls of the tests and of the database teardown are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's URL, with the seeds imported."""
    call_command("import_articles", str(ROOT / "seeds"), verbosity=0)
    return live_server.url


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def html_checker_messages(files: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors in the files, read from its JSON report."""
    result = subprocess.run(  # noqa: S603 (a fixed command on files we wrote)
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return json.loads(result.stderr or "{}").get("messages", [])


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is; the script is evaluated through the
    DevTools protocol, so the page's own Content Security Policy still holds."""
    page.evaluate(AXE_SCRIPT.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
    )

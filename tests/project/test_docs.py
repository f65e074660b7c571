"""The README and docs/: every relative link leads somewhere, every page of docs/ is reached
from the README, and every package pyproject.toml names has its reason in the README."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) outside code; images too. Targets with a scheme are not ours to check.
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text())
    text = re.sub(r"`[^`\n]*`", "", text)
    return [target for target in LINK.findall(text) if not re.match(r"[a-z]+:", target)]


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the page's headings."""
    text = FENCE.sub("", page.read_text())
    headings = re.findall(r"^#+\s+(.*)$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page):
    assert page.exists()
    for target in links(page):
        path, _, anchor = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        assert destination.exists(), f"{page.name}: {target} leads nowhere"
        if anchor:
            assert anchor in anchors(destination), f"{page.name}: no heading for {target}"


def test_the_readme_leads_to_every_page_of_docs():
    reached = {(ROOT / target.partition("#")[0]).resolve() for target in links(README)}
    pages = sorted((ROOT / "docs").glob("*.md"))
    assert pages
    for page in pages:
        assert page.resolve() in reached, f"README.md does not link to docs/{page.name}"


def test_every_dependency_has_its_reason_in_the_readme():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [
        requirement for extra in project["optional-dependencies"].values() for requirement in extra
    ]
    section = README.read_text().partition("## Dependencies")[2].lower()
    rows = [line for line in section.splitlines() if line.startswith("|")]
    for requirement in requirements:
        name = re.match(r"[A-Za-z0-9_.\-]+", requirement)[0].lower()
        named = [
            row for row in rows if re.search(rf"(^|[\s|,]){re.escape(name)}(?=[\s|,(]|$)", row)
        ]
        assert named, f"{name} (pyproject.toml) has no row in the README's Dependencies"
        reason = named[0].split("|")[2].strip()
        assert reason, f"{name}: no reason given"

"""The locks: the virtualenv holds exactly what requirements/dev.txt pins (what `make
install` and CI install with --require-hashes), every file of it has its hash, the locks
satisfy what pyproject.toml asks for, and production runs the versions the tests ran."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
DEV_LOCK = ROOT / "requirements" / "dev.txt"
PROD_LOCK = ROOT / "requirements" / "prod.txt"


def locked(lock: Path) -> dict[str, tuple[Requirement, list[str]]]:
    """Each pinned requirement of ``lock`` by its normalised name, with its hashes."""
    entries = re.sub(r"\\\n", " ", lock.read_text())  # a requirement spans several lines
    pins = {}
    for line in entries.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, *hashes = line.split("--hash=")
        requirement = Requirement(text.strip())
        pins[canonicalize_name(requirement.name)] = (requirement, [h.strip() for h in hashes])
    return pins


def version(requirement: Requirement) -> str:
    (specifier,) = requirement.specifier
    assert specifier.operator == "==", f"{requirement} is not pinned"
    return specifier.version


def test_the_virtualenv_holds_exactly_the_locked_versions():
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = {}
    for line in frozen.splitlines():
        name, _, installed_version = line.partition("==")
        assert installed_version, f"{line}: not installed from the lock"
        installed[canonicalize_name(name)] = installed_version
    wanted = {
        name: version(requirement)
        for name, (requirement, _) in locked(DEV_LOCK).items()
        # Pins for other platforms (colorama on Windows) are not for this one.
        if requirement.marker is None or requirement.marker.evaluate()
    }
    assert installed == wanted


@pytest.mark.parametrize("lock", [DEV_LOCK, PROD_LOCK], ids=lambda lock: lock.name)
def test_every_locked_requirement_is_pinned_with_its_hashes(lock):
    pins = locked(lock)
    assert pins
    for requirement, hashes in pins.values():
        version(requirement)
        assert hashes, f"{requirement.name} has no hash"
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), requirement.name


def test_the_locks_satisfy_pyproject_and_production_runs_what_the_tests_ran():
    """A dependency added to pyproject.toml without `make lock` fails here, not in a
    production install."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    dev, prod = locked(DEV_LOCK), locked(PROD_LOCK)
    for lock, wanted in (
        (prod, project["dependencies"]),
        (dev, [*project["dependencies"], *extras["dev"], *extras["bench"]]),
    ):
        for text in wanted:
            requirement = Requirement(text)
            pinned = lock.get(canonicalize_name(requirement.name))
            assert pinned, f"{requirement.name} is not in the lock: run make lock"
            assert requirement.specifier.contains(version(pinned[0]), prereleases=True), (
                f"{requirement} but the lock pins {version(pinned[0])}: run make lock"
            )
    for name, (requirement, _) in prod.items():
        assert version(dev[name][0]) == version(requirement), name

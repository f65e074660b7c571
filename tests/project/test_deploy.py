"""The deploy recipe's pieces, quickly (`make deploy-check` runs them all together):
nginx accepts the shipped site as deploy-check runs it, the systemd units are valid,
gunicorn loads its configuration and the application with it, and the site's limits
match the application's."""

import os
import re
import shutil
from pathlib import Path

import pytest

from articles.importing.uploads import MAX_UPLOAD_BYTES
from tests.project.test_settings import PRODUCTION
from tests.support import processes

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx" / "newsarchive.conf").read_text()


@pytest.mark.skipif(not shutil.which("nginx"), reason="make deploy-check installs nginx")
def test_nginx_accepts_the_site_as_deploy_check_runs_it():
    result = processes.run(
        [str(ROOT / "scripts" / "deploy-check"), "--test-config"], env=dict(os.environ)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nginx's configuration: the shipped site" in result.stdout


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_the_systemd_units_are_valid(tmp_path):
    """As installed in /srv/newsarchive (here: this checkout, whose commands exist)."""
    for unit in (DEPLOY / "systemd").iterdir():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/newsarchive", str(ROOT)))
    units = sorted(str(path) for path in tmp_path.iterdir())
    result = processes.run(["systemd-analyze", "verify", *units], env=dict(os.environ))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # unknown keys are only warned about


def test_gunicorn_loads_its_configuration_and_the_application():
    result = processes.run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--config", "deploy/gunicorn.conf.py",
         "--check-config", "newsarchive.wsgi"],
        env=dict(os.environ) | PRODUCTION | {"LOG_FORMAT": "json"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_site_takes_an_upload_the_admin_takes_and_not_much_more():
    (size,) = re.findall(r"client_max_body_size (\d+)m;", SITE)
    assert MAX_UPLOAD_BYTES < int(size) * 2**20 <= MAX_UPLOAD_BYTES + 2 * 2**20


def test_the_site_trusts_the_scheme_and_writes_the_client_address_over_what_was_sent():
    proxied = dict(re.findall(r"proxy_set_header (\S+) (\S+);", SITE))
    assert proxied["X-Forwarded-Proto"] == "$scheme"
    assert proxied["X-Forwarded-For"] == "$remote_addr"  # never $proxy_add_x_forwarded_for
    assert proxied["Host"] == "$host"
    for name in ("X-Forwarded-Host", "Forwarded", "Script-Name", "X-Forwarded-Prefix"):
        assert proxied[name] == '""', name
    assert "location = /metrics {\n        return 404;" in SITE

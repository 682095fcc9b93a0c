"""The hostile suite once more, from a server process that is not root.

As root the sandbox drops to uid 65534; without root it cannot, and then it is the seccomp filter
that keeps the submission from signalling the server, lowering its limits or touching its files.
CI and this machine run the tests as root, so this test reruns test_hostile.py under `setpriv` as
uid/gid 65534 with an interpreter that user can execute (a Python under /root is not reachable).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from services.grader import Grader

PROJECT = Path(__file__).resolve().parents[2]
UNPRIVILEGED = ("--reuid=65534", "--regid=65534", "--clear-groups")


def _interpreter_for_unprivileged_user(setpriv: str) -> str | None:
    minor = f"python{sys.version_info.major}.{sys.version_info.minor}"
    # The grader starts sys.executable, so the candidate must be able to start itself as that user.
    starts_itself = "import subprocess, sys; subprocess.run([sys.executable, '-c', ''], check=True)"
    for candidate in (sys.executable, f"/usr/bin/{minor}", f"/usr/local/bin/{minor}"):
        if not os.path.exists(candidate):
            continue
        probe = subprocess.run([setpriv, *UNPRIVILEGED, candidate, "-c", starts_itself],
                               capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def _site_packages() -> str:
    import pytest as installed

    return str(Path(installed.__file__).resolve().parents[1])


@pytest.mark.slow
def test_hostile_suite_passes_when_the_server_is_not_root():
    if os.geteuid() != 0:
        # Already unprivileged: the whole suite just ran without root; check the grader agrees.
        report = Grader().grade("import os\nuid = os.getuid()\n", [f"def test_uid():\n    assert uid == {os.getuid()}"])
        assert report.status == "pass", report
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed, so the suite cannot drop root to rerun itself")
    interpreter = _interpreter_for_unprivileged_user(setpriv)
    if interpreter is None:
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that uid 65534 can execute")
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join([str(PROJECT), _site_packages()]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    completed = subprocess.run(
        [setpriv, *UNPRIVILEGED, interpreter, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--confcutdir", str(PROJECT / "tests" / "grader"), "tests/grader/test_hostile.py",
         "tests/grader/test_sandbox_layers.py"],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=600, check=False,
    )
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else completed.stderr
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary, summary

"""The grader's suites once more: as a server that is not root, and on Debian's own python3.

As root the sandbox drops to uid 65534; without root it cannot, and then it is the seccomp filter
that keeps the submission from signalling the server, lowering its limits or touching its files.
Debian's python3 compiles in modules the venv's Python loads from files (fcntl, _socket, select,
_posixsubprocess ...), so the module allow-list and the filter are tested on it too.

CI and this machine run the tests as root, so these rerun the suites under `setpriv` as uid/gid
65534. The venv's Python lives under /root, which uid 65534 cannot traverse: that run keeps only
CAP_DAC_READ_SEARCH (reading and traversing directories; no signal or file-changing privilege, so
for the attacks that matter it is an ordinary user).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from services.grader import Grader

PROJECT = Path(__file__).resolve().parents[2]
DEBIAN_PYTHON = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
UNPRIVILEGED = ("--reuid=65534", "--regid=65534", "--clear-groups")
TRAVERSE_ONLY = ("--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search")
SUITES = ("tests/grader/test_hostile.py", "tests/grader/test_sandbox_layers.py", "tests/grader/test_grading.py",
          "tests/grader/test_records.py", "tests/grader/test_test_styles.py", "tests/grader/test_verdicts.py",
          "tests/grader/test_messages.py", "tests/grader/test_cpu_slices.py")
# (who the server is, which interpreter); root on the venv's Python is the main test run itself.
RUNS = [("unprivileged", "venv"), ("unprivileged", "debian"), ("root", "debian")]


def _site_packages() -> str:
    import pytest as installed

    return str(Path(installed.__file__).resolve().parents[1])


def _command(who: str, interpreter: str) -> list[str]:
    if interpreter == "debian":
        if not os.path.exists(DEBIAN_PYTHON):
            pytest.fail(f"{DEBIAN_PYTHON} is missing: .ci/run installs Debian's python3")
        python = DEBIAN_PYTHON
    else:
        python = sys.executable
    if who == "root":
        return [python]
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("setpriv (util-linux) is missing, so the suite cannot drop root to rerun itself")
    return [setpriv, *UNPRIVILEGED, *(TRAVERSE_ONLY if interpreter == "venv" else ()), python]


@pytest.mark.slow
@pytest.mark.parametrize(("who", "interpreter"), RUNS, ids=[f"{w}-{i}" for w, i in RUNS])
def test_grader_suites_pass_for_this_server_and_interpreter(who, interpreter):
    if os.geteuid() != 0:
        # Already unprivileged: the whole suite just ran without root; check the grader agrees.
        report = Grader().grade("import os\nuid = os.getuid()\n", [f"def test_uid():\n    assert uid == {os.getuid()}"])
        assert report.status == "pass", report
        return
    environment = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join([str(PROJECT), _site_packages()]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    probe = "import os, sys; print(os.geteuid(), sys.version_info[:2], 'fcntl' in sys.builtin_module_names)"
    identity = subprocess.run([*_command(who, interpreter), "-c", probe], cwd=PROJECT, env=environment,
                              capture_output=True, text=True, timeout=60, check=True).stdout.split(maxsplit=1)
    assert identity[0] == ("0" if who == "root" else "65534")
    completed = subprocess.run(
        [*_command(who, interpreter), "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--confcutdir", str(PROJECT / "tests" / "grader"), *SUITES],
        cwd=PROJECT, env=environment, capture_output=True, text=True, timeout=600, check=False,
    )
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout.strip() else completed.stderr
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary, summary

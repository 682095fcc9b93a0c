"""The sandbox's layers one at a time, where a submission alone cannot show them.

Submissions cannot even import `socket` (it is not preloaded), so these tests start an interpreter
with exactly the sandbox's pre-exec setup (rlimits + seccomp filter) that has imported `socket`
first, and show that socket() itself fails - no connect() is ever attempted, so no packet can leave.
"""

import errno
import json
import os
import subprocess
import sys
import tempfile

import pytest

from services.grader import Limits, Probe
from services.grader.preload import INTERPRETER_FLAGS
from services.grader.sandbox import SANDBOX_ENV, _child_setup
from services.grader.seccomp import Installer, build_filter, supported

SOCKET_PROBE = r"""
import json, socket, sys, resource
if sys.argv[1] == "no-fds":
    resource.setrlimit(resource.RLIMIT_NOFILE, (0, 0))  # what the runner does before learner code
results = {}
for address in ("127.0.0.1", "192.0.2.1"):  # 192.0.2.1 is TEST-NET-1, a documentation address
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except OSError as exc:
        results[address] = ["socket() failed", exc.errno]
    else:
        sock.close()  # never connect
        results[address] = ["socket() succeeded", 0]
sys.stdout.write(json.dumps(results))
"""


def run_with_sandbox_setup(script: str, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, *INTERPRETER_FLAGS, "-c", script, *args],
        preexec_fn=_child_setup(Limits(), Installer()), env=SANDBOX_ENV,
        capture_output=True, text=True, timeout=30, check=True,
    )
    return completed.stdout


@pytest.mark.parametrize("mode", ["seccomp-only", "no-fds"])
def test_socket_creation_fails_inside_the_sandbox_before_any_connect(mode):
    results = json.loads(run_with_sandbox_setup(SOCKET_PROBE, mode))
    assert results == {
        "127.0.0.1": ["socket() failed", errno.EACCES],
        "192.0.2.1": ["socket() failed", errno.EACCES],
    }


def test_without_the_sandbox_the_same_probe_could_create_a_socket():
    """Control: the probe itself works, so the test above measures the sandbox, not the probe."""
    completed = subprocess.run([sys.executable, "-c", SOCKET_PROBE, "seccomp-only"],
                               capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(completed.stdout)["192.0.2.1"] == ["socket() succeeded", 0]


def test_seccomp_alone_stops_signals_to_the_parent_and_file_changes_even_for_root():
    with tempfile.NamedTemporaryFile("w", delete=False) as handle:
        handle.write("keep")
    script = (
        "import os, sys, json\nout = {}\n"
        "for name, action in [('signal parent', lambda: os.kill(os.getppid(), 0)),\n"
        "                     ('signal all', lambda: os.kill(-1, 0)),\n"
        "                     ('signal self', lambda: os.kill(os.getpid(), 0)),\n"
        "                     ('unlink', lambda: os.unlink(sys.argv[1])),\n"
        "                     ('chmod', lambda: os.chmod(sys.argv[1], 0)),\n"
        "                     ('fork', lambda: os.fork())]:\n"
        "    try:\n        action()\n        out[name] = 'allowed'\n"
        "    except OSError as exc:\n        out[name] = exc.errno\n"
        "sys.stdout.write(json.dumps(out))\n"
    )
    try:
        results = json.loads(run_with_sandbox_setup(script, handle.name))
        with open(handle.name) as kept:
            assert kept.read() == "keep"
    finally:
        os.unlink(handle.name)
    assert results == {"signal parent": errno.EPERM, "signal all": errno.EPERM, "signal self": "allowed",
                       "unlink": errno.EPERM, "chmod": errno.EPERM, "fork": errno.EPERM}


def test_filter_is_built_for_this_machine():
    assert supported()
    program = build_filter(os.getpid())
    assert len(program) % 8 == 0 and 0 < len(program) // 8 < 4096


ALWAYS_EQUAL = "class AlwaysEqual:\n    def __eq__(self, other):\n        return True\n" \
    "def add(a, b):\n    return AlwaysEqual()\n"


def test_always_equal_object_fools_an_in_sandbox_assert_but_not_a_probe(grader):
    """Documented limitation: a test string compares inside the sandbox with the learner's __eq__.

    The probe form compares on the server, with plain values only, so the rigged object fails.
    """
    in_sandbox = grader.grade(ALWAYS_EQUAL, ["def test_add():\n    assert add(2, 3) == 5"])
    assert in_sandbox.status == "pass"
    probed = grader.grade(ALWAYS_EQUAL, [Probe("test_add", "add(2, 3)", 5)])
    assert probed.status == "fail"
    assert probed.tests[0].status == "error"
    assert probed.tests[0].message == "TypeError: a AlwaysEqual is not plain data"


def test_int_subclass_with_rigged_eq_is_compared_as_its_plain_value(grader):
    code = "class Sneaky(int):\n    def __eq__(self, other):\n        return True\n" \
        "def add(a, b):\n    return Sneaky(4)\n"
    probed = grader.grade(code, [Probe("test_add", "add(2, 3)", 5)])
    assert probed.tests[0].status == "error"
    assert probed.tests[0].message == "TypeError: a Sneaky is not plain data"


def test_submission_never_runs_as_root(grader):
    expected = 65534 if os.geteuid() == 0 else os.geteuid()
    code = "import os\nids = (os.getuid(), os.geteuid(), os.getgid(), os.getgroups())\n"
    groups = [] if os.geteuid() == 0 else os.getgroups()
    gid = 65534 if os.geteuid() == 0 else os.getgid()
    report = grader.grade(code, [f"def test_ids():\n    assert ids == ({expected}, {expected}, {gid}, {groups!r})"])
    assert report.status == "pass", report

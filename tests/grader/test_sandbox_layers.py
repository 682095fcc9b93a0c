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


SIGNAL_OWNER_PROBE = r"""
import fcntl, json, os, sys, termios
read_end, write_end = os.pipe()
results = {}
def attempt(name, action):
    try:
        action()
        results[name] = "allowed"
    except OSError as exc:
        results[name] = exc.errno
F_SETSIG, F_SETOWN_EX, FIOSETOWN, SIOCSPGRP = 10, 15, 0x8901, 0x8902
parent = struct_pid = os.getppid()
attempt("F_SETOWN", lambda: fcntl.fcntl(write_end, fcntl.F_SETOWN, parent))
attempt("F_SETOWN group", lambda: fcntl.fcntl(write_end, fcntl.F_SETOWN, -os.getpgid(parent)))
attempt("F_SETSIG", lambda: fcntl.fcntl(write_end, F_SETSIG, 9))
attempt("F_SETOWN_EX", lambda: fcntl.fcntl(write_end, F_SETOWN_EX, parent.to_bytes(4, "little") * 2))
attempt("O_ASYNC", lambda: fcntl.fcntl(write_end, fcntl.F_SETFL, os.O_ASYNC))
attempt("FIOSETOWN", lambda: fcntl.ioctl(write_end, FIOSETOWN, parent.to_bytes(4, "little")))
attempt("SIOCSPGRP", lambda: fcntl.ioctl(write_end, SIOCSPGRP, parent.to_bytes(4, "little")))
attempt("FIOASYNC", lambda: fcntl.ioctl(write_end, termios.FIOASYNC, (1).to_bytes(4, "little")))
attempt("F_GETFL", lambda: fcntl.fcntl(write_end, fcntl.F_GETFL))
attempt("O_NONBLOCK", lambda: fcntl.fcntl(write_end, fcntl.F_SETFL, os.O_NONBLOCK))
attempt("F_SETFD", lambda: fcntl.fcntl(write_end, fcntl.F_SETFD, fcntl.FD_CLOEXEC))
attempt("set_blocking", lambda: os.set_blocking(write_end, False))
sys.stdout.write(json.dumps(results))
"""
SIGNAL_OWNER_REFUSED = {name: errno.EPERM for name in (
    "F_SETOWN", "F_SETOWN group", "F_SETSIG", "F_SETOWN_EX", "O_ASYNC", "FIOSETOWN", "SIOCSPGRP", "FIOASYNC")}
ORDINARY_FCNTL = {"F_GETFL": "allowed", "O_NONBLOCK": "allowed", "F_SETFD": "allowed", "set_blocking": "allowed"}


def test_seccomp_refuses_every_way_to_make_the_kernel_signal_the_server():
    """F_SETOWN + F_SETSIG(SIGKILL) + O_ASYNC on the result pipe SIGKILLed a non-root server on every
    read it made; the filter refuses each of those commands, and ordinary fcntl calls still work."""
    results = json.loads(run_with_sandbox_setup(SIGNAL_OWNER_PROBE))
    assert results == {**SIGNAL_OWNER_REFUSED, **ORDINARY_FCNTL}


def test_without_the_filter_the_same_fcntl_probe_succeeds():
    """Control: the probe's calls are real and would work, so the test above measures the filter."""
    completed = subprocess.run([sys.executable, "-c", SIGNAL_OWNER_PROBE], capture_output=True, text=True,
                               timeout=30, check=True)
    results = json.loads(completed.stdout)
    assert results["F_SETOWN"] == results["F_SETSIG"] == results["O_ASYNC"] == "allowed"


def test_calls_off_the_allow_list_fail_with_enosys_and_the_rest_still_work():
    script = (
        "import os, sys, json\nout = {}\n"
        "try:\n    os.memfd_create('x')\nexcept OSError as exc:\n    out['memfd_create'] = exc.errno\n"
        "try:\n    os.eventfd(0)\nexcept OSError as exc:\n    out['eventfd'] = exc.errno\n"
        "out['getpid'] = os.getpid() > 0\n"
        "sys.stdout.write(json.dumps(out))\n"
    )
    results = json.loads(run_with_sandbox_setup(script))
    assert results == {"memfd_create": errno.EPERM, "eventfd": errno.ENOSYS, "getpid": True}


def test_the_limits_of_other_processes_cannot_be_changed():
    script = (
        "import os, sys, json, resource\n"
        "try:\n    resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (0, 0))\n    out = 'allowed'\n"
        "except OSError as exc:\n    out = exc.errno\n"
        "resource.prlimit(0, resource.RLIMIT_CORE, (0, 0))\n"  # its own: allowed
        "sys.stdout.write(json.dumps(out))\n"
    )
    assert json.loads(run_with_sandbox_setup(script)) == errno.EPERM


def test_every_named_call_has_a_number_on_each_architecture():
    from services.grader import seccomp

    named = {*seccomp._ALLOWED, *seccomp._DENIED, *seccomp._NETWORK, *seccomp._SELF_ONLY, "fcntl", "ioctl"}
    assert named <= set(seccomp._X86_64)
    # aarch64 never had the old path calls; everything else must be there (brk once was not).
    legacy = {"access", "alarm", "arch_prctl", "chmod", "chown", "creat", "dup2", "fork", "futimesat",
              "getpgrp", "lchown", "link", "lstat", "mkdir", "mknod", "open", "pause", "pipe", "poll",
              "readlink", "rename", "rmdir", "select", "stat", "symlink", "time", "unlink", "utime",
              "utimes", "vfork"}
    assert named - set(seccomp._AARCH64) == legacy
    for table in (seccomp._X86_64, seccomp._AARCH64):
        assert len(set(table.values())) == len(table), "two names share a number"


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

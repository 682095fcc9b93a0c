"""Hostile submissions: each must be contained, leave the server unharmed, and not stop it grading.

Every case runs with a fake AWS secret in the server's environment (conftest), a canary file the
submission knows the path of, and afterwards checks: the secret appears nowhere in the report, the
canary is intact, the server's own limits and environment are unchanged, it has no child process
left, and it still grades the seed example correctly. The suite runs as root here and in CI (the
sandbox then drops to an unprivileged uid); test_unprivileged.py runs the dangerous cases from a
process without root, where the seccomp filter has to do the work.
"""

import os
import resource
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from services.grader import Report
from tests.grader.conftest import FAKE_SECRET, assert_still_grading, report_text
from tests.grader.seed_example import CORRECT_SOLUTION, MISSING_POPULATION, VARIABLES_TESTS

CANARY_TEXT = "the server's own file"


@dataclass
class Case:
    id: str
    code: str
    status: str | tuple[str, ...]
    expect: Callable[[Report], object] | None = None
    tests: list[str] = field(default_factory=lambda: list(VARIABLES_TESTS))


def message_has(*parts: str) -> Callable[[Report], None]:
    def check(report: Report) -> None:
        text = report.message + " ".join(t.message for t in report.tests)
        assert any(part in text for part in parts), (parts, report)
    return check


def seed_verdicts(*statuses: str) -> Callable[[Report], None]:
    def check(report: Report) -> None:
        assert [t.status for t in report.tests] == list(statuses), report
    return check


def output_capped(report: Report) -> None:
    assert report.status == "pass"
    assert len(report.output.encode()) <= 65536 + 64
    assert report.output.endswith("[output truncated]")


def spin_test_then_rest(report: Report) -> None:
    assert [t.status for t in report.tests] == ["pass", "error", "error"]
    assert report.tests[1].message.startswith("Timed out")
    assert report.tests[2].message.startswith("Not run")


FORGE_BY_WALKING_FRAMES = '''
import gc, os, sys, _blake2
candidates = set()
def collect(value):
    if isinstance(value, bytes) and 16 <= len(value) <= 64:
        candidates.add(value)
    if isinstance(value, str) and 16 <= len(value) <= 128:
        candidates.add(value.encode())
frame = sys._getframe()
while frame is not None:
    for scope in (frame.f_locals, frame.f_globals):
        for value in list(scope.values()):
            collect(value)
            if isinstance(value, dict):
                for inner in list(value.values()):
                    collect(inner)
    frame = frame.f_back
for obj in gc.get_objects():
    for ref in gc.get_referents(obj):
        collect(ref)
forged = []
for seq, name in enumerate(["test_city_exists", "test_population_exists", "test_is_capital_exists"]):
    forged.append(repr((seq + 2, "result", name, "pass", "", "")).encode())
lines = [repr((0, "ready")).encode(), repr((1, "load", "ok", "", "")).encode()]
lines = lines[:1] + lines[1:] + forged + [repr((5, "done")).encode()]
for key in list(candidates)[:5000]:
    try:
        stream = b"".join(_blake2.blake2b(line, key=key[:64], digest_size=16).hexdigest().encode()
                          + b" " + line + b"\\n" for line in lines)
    except ValueError:
        continue
    for fd in range(3, 1024):
        try:
            os.write(fd, stream)
        except OSError:
            pass
os._exit(0)
'''

FAKE_RECORDS = '''
import os
fake = b"0" * 32 + b" (0, 'ready')\\n" + b"0" * 32 + b" (1, 'load', 'ok', '', '')\\n"
for fd in range(3, 1024):
    try:
        os.write(fd, fake)
    except OSError:
        pass
'''

# Debian's python3 has fcntl compiled in; the module allow-list hides it, so the attack also goes
# around that (`_imp.create_builtin`) to reach the seccomp filter, which must refuse F_SETOWN & co.
SIGNAL_THE_SERVER_ON_EVERY_READ = """
import os, sys
try:
    import fcntl
except ImportError:
    fcntl = None
    if "fcntl" in sys.builtin_module_names:
        import _imp
        class Spec:
            name = "fcntl"
            origin = None
        fcntl = _imp.create_builtin(Spec())
allowed = []
if fcntl is not None:
    for fd in range(3, 1024):
        for name, command, argument in (("F_SETOWN", 8, os.getppid()), ("F_SETOWN group", 8, -os.getppid()),
                                        ("F_SETSIG", 10, 9), ("O_ASYNC", 4, os.O_ASYNC | os.O_NONBLOCK)):
            try:
                fcntl.fcntl(fd, command, argument)
                allowed.append(f"{name} on fd {fd}")
            except OSError:
                pass
if allowed:  # as root the server survives this (other uid), but the commands must still be refused
    raise RuntimeError("allowed: " + ", ".join(allowed))
for fd in range(3, 1024):  # fill every pipe it holds: with an owner set, each read would signal the server
    try:
        os.set_blocking(fd, False)
        while True:
            os.write(fd, b"x" * 4096)
    except OSError:
        pass
""" + CORRECT_SOLUTION


CASES = [
    Case("signal_the_server_through_the_result_pipe", SIGNAL_THE_SERVER_ON_EVERY_READ, "error",
         message_has("could not verify", "stopped the grader")),  # which one: how fast the server reads
    Case("infinite_loop", "while True:\n    pass\n", "timeout", message_has("CPU time")),
    Case("infinite_loop_inside_a_test", CORRECT_SOLUTION + "def spin():\n    while True:\n        pass\n",
         "timeout", spin_test_then_rest,
         tests=[VARIABLES_TESTS[0], "def test_spin():\n    spin()", VARIABLES_TESTS[2]]),
    Case("sleep_past_the_wall_clock", "import time\ntime.sleep(60)\n", "timeout",
         message_has("ran for more than 4 seconds")),
    Case("new_session_then_sleep", "import os, time\ntry:\n    os.setsid()\nexcept OSError:\n    pass\n"
         "time.sleep(60)\n", "timeout"),
    Case("sigxcpu_ignored", "import _signal\n_signal.signal(_signal.SIGXCPU, _signal.SIG_IGN)\n"
         "while True:\n    pass\n", "timeout", message_has("CPU time", "ran for more than")),  # hard limit or wall
    Case("allocate_4_gb", "data = bytearray(4 * 1024 ** 3)\n", "error", message_has("MemoryError")),
    Case("fork_bomb", "import os\nwhile True:\n    os.fork()\n", "error",
         message_has("PermissionError", "BlockingIOError")),
    Case("posix_spawn", "import os\nos.posix_spawn('/bin/sh', ['sh', '-c', 'sleep 60'], {})\n", "error",
         message_has("Error")),
    Case("thread_bomb_through_threading", "import threading\nwhile True:\n"
         "    threading.Thread(target=lambda: None, daemon=True).start()\n", "error",
         message_has("can't start new thread")),
    Case("thread_bomb", "import _thread\nwhile True:\n    _thread.start_new_thread(lambda: None, ())\n",
         "error", message_has("can't start new thread")),
    Case("100_mb_to_stdout", "for _ in range(1600):\n    print('x' * 65536)\n" + CORRECT_SOLUTION, "pass",
         output_capped),
    Case("100_mb_to_stderr", "import sys\nfor _ in range(1600):\n    sys.stderr.write('e' * 65536)\n"
         + CORRECT_SOLUTION, "pass", output_capped),
    Case("100_mb_to_fds_1_and_2", "import os\nfor _ in range(800):\n    os.write(1, b'x' * 65536)\n"
         "    os.write(2, b'y' * 65536)\n" + CORRECT_SOLUTION, "pass", lambda r: r.output == ""),
    Case("one_big_file", "with open('big.bin', 'wb') as f:\n    f.write(b'x' * 10 ** 9)\n", "error",
         message_has("files are not part of this exercise")),
    Case("many_small_files", "for i in range(100000):\n    open(f'f{i}.txt', 'w').write('x')\n", "error",
         message_has("files are not part of this exercise")),
    Case("read_parent_environ", "import os\nleak = open(f'/proc/{os.getppid()}/environ', 'rb').read()\n",
         "error", message_has("files are not part of this exercise")),
    Case("read_parent_memory", "import os\nleak = open(f'/proc/{os.getppid()}/mem', 'rb').read(100)\n",
         "error", message_has("files are not part of this exercise")),
    Case("read_every_processes_environ",
         "found = []\nfor pid in range(1, 5000):\n    try:\n"
         "        found.append(open(f'/proc/{pid}/environ', 'rb').read())\n    except OSError:\n        pass\n"
         "print(len(found), found)\n" + CORRECT_SOLUTION, "pass", lambda r: r.output == "0 []\n"),
    Case("dump_os_environ", "import os\nprint(dict(os.environ))\n" + CORRECT_SOLUTION, "pass",
         lambda r: r.output == "{'LANG': 'C.UTF-8'}\n"),
    Case("socket_to_localhost",
         "import socket\nsocket.create_connection(('127.0.0.1', 22), timeout=1)\n", "error",
         message_has("No module named 'socket'")),
    # Where _socket is an extension module it cannot be imported; where the interpreter has it built
    # in (Debian's), socket() on line 2 fails and connect() on line 3 is never reached.
    Case("socket_to_a_public_address",
         "import _socket\ns = _socket.socket()\ns.connect(('192.0.2.1', 80))\n", "error",
         message_has("No module named '_socket'", "PermissionError: [Errno 13] Permission denied (line 2 ")),
    Case("import_ctypes", "import ctypes\n", "error", message_has("No module named 'ctypes'")),
    Case("import__ctypes_via_importlib", "import importlib\nimportlib.import_module('_ctypes')\n",
         "error", message_has("No module named")),
    Case("sys_exit_at_import", "import sys\nsys.exit(0)\n", "error", message_has("SystemExit")),
    Case("os_exit_at_import", "import os\nos._exit(0)\n", "error", message_has("stopped the grader")),
    Case("sys_exit_inside_a_test", CORRECT_SOLUTION + "import sys\ndef check():\n    sys.exit(0)\n", "fail",
         seed_verdicts("pass", "pass", "pass", "error"),
         tests=[*VARIABLES_TESTS, "def test_check():\n    check()"]),
    Case("os_exit_inside_a_test", CORRECT_SOLUTION + "import os\ndef check():\n    os._exit(0)\n", "error",
         message_has("stopped the grader"), tests=["def test_check():\n    check()", *VARIABLES_TESTS]),
    Case("print_fake_result_lines", "print('test_population_exists PASSED')\n"
         "print('0' * 32, (2, 'result', 'test_population_exists', 'pass', '', ''))\n" + MISSING_POPULATION,
         "fail", seed_verdicts("pass", "fail", "pass")),
    Case("write_fake_records_to_every_fd", FAKE_RECORDS + MISSING_POPULATION, "error",
         message_has("could not verify")),
    Case("forge_the_nonce_by_walking_frames", FORGE_BY_WALKING_FRAMES, "error"),
    Case("close_every_inherited_fd", "import os\nfor fd in range(3, 1024):\n    try:\n        os.close(fd)\n"
         "    except OSError:\n        pass\n" + CORRECT_SOLUTION, "error"),
    Case("sabotage_the_runner_through_its_module", "import sys\nsys.modules['__main__']._run_one_test = None\n"
         + CORRECT_SOLUTION, "error", message_has("stopped unexpectedly")),
    Case("overwrite_the_shared_preload_memfd", "import os\nfor fd in range(3, 1024):\n    try:\n"
         "        os.pwrite(fd, b'\\0' * 4096, 0)\n    except OSError:\n        pass\n" + CORRECT_SOLUTION,
         "pass"),
    Case("read_own_job_from_stdin", "import os\njob = os.read(0, 100)\n", "error", message_has("OSError")),
    Case("redefine_assertion_error", "class AssertionError(Exception):\n    pass\n" + MISSING_POPULATION,
         "fail", seed_verdicts("pass", "fail", "pass")),
    # Redefining isinstance fools the visible tests as it would under pytest; the hidden checks stop it
    # (test_verdicts.py).
    Case("patch_the_builtins_module", "import builtins\nbuiltins.isinstance = lambda *a: True\n"
         "builtins.len = lambda o: 1\n__builtins__['isinstance'] = lambda *a: True\n"
         "city = ''\npopulation = 'many'\nis_capital = 1\n", "fail", seed_verdicts("fail", "fail", "fail")),
    Case("exception_that_breaks_every_accessor",
         CORRECT_SOLUTION + "class Evil(AssertionError):\n"
         "    @property\n    def args(self):\n        raise SystemExit\n"
         "    @property\n    def __traceback__(self):\n        raise SystemExit\n"
         "    def __str__(self):\n        raise SystemExit\ndef check():\n    raise Evil()\n",
         "fail", seed_verdicts("pass", "pass", "pass", "fail"),
         tests=[*VARIABLES_TESTS, "def test_check():\n    check()"]),
    Case("kill_the_parent", "import os\nos.kill(os.getppid(), 9)\n" + CORRECT_SOLUTION, "error",
         message_has("PermissionError")),
    Case("kill_every_process", "import os\nos.kill(-1, 9)\n" + CORRECT_SOLUTION, "error",
         message_has("PermissionError")),
    Case("lower_the_parents_limits", "import os, resource\n"
         "resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (0, 0))\n", "error",
         message_has("No module named 'resource'")),  # the seccomp layer alone: test_sandbox_layers
    Case("recursion_bomb", "def f():\n    return f()\nf()\n", "error",
         message_has("RecursionError: maximum recursion depth exceeded (line 2 of your code)")),
    Case("recursion_past_the_c_stack", "import sys\nsys.setrecursionlimit(10 ** 8)\n"
         "def f(n):\n    return f(n + 1)\nf(0)\n", ("error", "timeout")),
    Case("huge_integer", "x = 7 ** (10 ** 10)\n", ("error", "timeout")),
    Case("huge_integer_to_text", "s = str(10 ** 100000)\n", "error", message_has("ValueError")),
    Case("huge_string", "s = 'a' * (10 ** 10)\n", "error", message_has("MemoryError")),
    Case("non_utf8_source", "city = 'caf\udce9'\n", "error", message_has("not valid text (line 1)")),
    Case("nul_byte_in_source", "city = 'a'\x00\n", "error", message_has("NUL character")),
]


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            children += [int(child) for child in handle.read().split()]
    return children


@pytest.fixture
def canary():
    # In the temp root (the same directory as the sandboxes' working directories), owned by us.
    with tempfile.NamedTemporaryFile("w", prefix="canary-", delete=False) as handle:
        handle.write(CANARY_TEXT)
    os.chmod(handle.name, 0o644)
    yield handle.name
    os.unlink(handle.name)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_submission_is_contained(grader, canary, case):
    limits_before = [resource.getrlimit(r) for r in (resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC)]
    children_before = _children(os.getpid())

    report = grader.grade(case.code, case.tests)

    statuses = case.status if isinstance(case.status, tuple) else (case.status,)
    assert report.status in statuses, report
    if case.expect is not None:
        assert case.expect(report) is not False, report
    assert [t.name for t in report.tests] == [
        line.split("(")[0].removeprefix("def ") for line in case.tests
    ]
    text = report_text(report)
    assert FAKE_SECRET not in text
    assert os.environ["AWS_SECRET_ACCESS_KEY"] == FAKE_SECRET
    with open(canary) as handle:
        assert handle.read() == CANARY_TEXT
    assert [resource.getrlimit(r) for r in (resource.RLIMIT_NOFILE, resource.RLIMIT_NPROC)] == limits_before
    assert _children(os.getpid()) == children_before
    assert_still_grading(grader)


FILE_SYSTEM_ATTACKS = [
    "os.unlink(CANARY)",
    "os.rename(CANARY, CANARY + '.moved')",
    "os.truncate(CANARY, 0)",
    "os.chmod(CANARY, 0)",
    "os.utime(CANARY, (0, 0))",
    "os.rmdir(os.path.dirname(os.getcwd()))",
    "os.mkdir(os.path.join(os.path.dirname(CANARY), 'planted'))",
    "os.symlink('/etc/passwd', CANARY + '.link')",
]


@pytest.mark.parametrize("attack", FILE_SYSTEM_ATTACKS)
def test_file_system_changes_outside_the_sandbox_are_refused(grader, canary, attack):
    code = f"import os\nCANARY = {canary!r}\n{attack}\n" + CORRECT_SOLUTION
    report = grader.grade(code, VARIABLES_TESTS)
    assert report.status == "error"
    assert "PermissionError" in report.message
    with open(canary) as handle:
        assert handle.read() == CANARY_TEXT
    assert oct(os.stat(canary).st_mode & 0o777) == oct(0o644)
    directory = os.path.dirname(canary)
    assert not os.path.exists(os.path.join(directory, "planted"))
    assert not os.path.lexists(canary + ".moved") and not os.path.lexists(canary + ".link")
    assert_still_grading(grader)


def test_source_over_the_limit_is_refused_before_running(grader):
    from services.grader import CodeTooLarge

    with pytest.raises(CodeTooLarge) as refused:
        grader.grade("x = 1\n" * 200_000, VARIABLES_TESTS)
    assert str(refused.value).startswith("Your code is 1,200,000 characters long; the limit is 20,000.")
    assert_still_grading(grader)

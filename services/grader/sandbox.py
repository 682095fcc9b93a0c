"""Start the sandboxed runner for one submission and collect its authenticated records.

The child is `python -I -S -B -X utf8 -c <bootstrap>`, which executes sandbox_runner.py's code (compiled
once per process and sent first on stdin), started in a new session, in a fresh
temporary directory (removed afterwards), with an empty environment apart from LANG, stdout and
stderr on /dev/null, and before exec: rlimits (CPU, address space, file size 0, processes 0, core 0)
and the seccomp filter. The job goes in on stdin; results come back on a private pipe, one record
per line, each authenticated with a keyed hash under a nonce that only this run knows. On the wall
clock deadline the whole process group is killed.

Who the submission runs as: when the server is root, the runner drops to `SandboxUser` (65534)
before any submitted code runs (RLIMIT_NPROC does not bind root, and root could raise its limits
again). When the server is not root - e.g. on Lambda - it shares the server's uid, and the seccomp
filter (seccomp.py) is what stops it signalling the server or changing its files.

What the nonce does and does not do: the tests run in the same process as the submission, which is
what makes grading fast. The nonce keys a BLAKE2 MAC on every record and is dropped before the
submission runs, so printed fake results, bytes written to a guessed descriptor and a search of the
frames and the heap for the nonce all fail verification, and the report then says so instead of
passing. A submission written against this runner could still drive the runner's own reporting
object to rig its own result; that only ever affects the submitter's grade, and challenges that
need values the submitter cannot rig use probes (see the package docstring).
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import json
import marshal
import os
import resource
import secrets
import select
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Any

from services.grader.challenge import HIDDEN_FUNCTION, MAX_SUBRESULTS, TEST_FILENAME, TIMEOUT_MARK
from services.grader.limits import Limits
from services.grader.plain import NOT_PLAIN, from_tagged
from services.grader.preload import ALLOWED_BUILTIN_MODULES, INTERPRETER_FLAGS, PRELOADED_MODULES, Manifest
from services.grader.seccomp import Installer

RUNNER_PATH = str(Path(__file__).with_name("sandbox_runner.py"))
# Modules the runner imports, executed by the bootstrap first: (module name, file beside this one).
RUNNER_MODULES = (("codelearn_sandbox_imports", "sandbox_imports.py"), ("codelearn_sandbox_text", "sandbox_text.py"))
# The runner is sent compiled: Python never caches a script's bytecode, and compiling the runner from
# source took ~5 ms of every run. This bootstrap reads the code objects from stdin, executes the
# runner's modules, then the runner as __main__; the runner then reads the job that follows.
_BOOTSTRAP = (
    "import marshal, posix, sys\n"
    "size = int.from_bytes(posix.read(0, 8), 'little')\n"
    "data = b''\n"
    "while len(data) < size:\n"
    "    data += posix.read(0, size - len(data))\n"
    "modules, runner = marshal.loads(data)\n"
    "for name, code in modules:\n"
    "    module = sys.modules[name] = type(sys)(name)\n"
    "    exec(code, module.__dict__)\n"
    "exec(runner)\n"
)


def _compiled(path: Path) -> object:
    return compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)


@functools.cache
def _runner_code() -> bytes:
    """The runner and its modules, compiled once per process, as the bootstrap reads them."""
    here = Path(__file__).parent
    modules = [(name, _compiled(here / file)) for name, file in RUNNER_MODULES]
    code = marshal.dumps((modules, _compiled(Path(RUNNER_PATH))))
    return len(code).to_bytes(8, "little") + code
SANDBOX_ENV = {"LANG": "C.UTF-8"}
_MAC_HEX = 32
_RECORD_KINDS = (b"ready", b"load", b"result", b"probe", b"observed", b"done", b"crash")
_VALUE_KINDS = ("probe", "observed")  # records that carry one plain value
_MAX_FIELDS = 6


def record_cap(limits: Limits) -> int:
    """The most bytes one honest record can take: a test's output (capped at `output_bytes` of UTF-8,
    at most 6 bytes each once JSON-escaped), a probe value of at most `output_bytes`, messages."""
    return 7 * limits.output_bytes + 32768


@dataclass
class RawRun:
    """What came back from one sandbox run, before it is turned into a Report."""

    records: list[tuple[Any, ...]] = field(default_factory=list)
    started: bool = False             # the runner reported "ready": it is about to run the submission
    finished: bool = False            # the runner reported "done"
    wall_timeout: bool = False
    cpu_timeout: bool = False
    tampered: bool = False            # a record failed authentication or order
    crash: str = ""                   # the runner's own code raised (where), for the log
    signal: int | None = None
    exit_code: int | None = None
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class SandboxUser:
    """Who the sandbox becomes when the server runs as root (RLIMIT_NPROC does not bind root)."""

    uid: int = 65534
    gid: int = 65534


def run_sandbox(
    code: str, tests_payload: bytes, expected_records: int, limits: Limits,
    manifest: Manifest, seccomp: Installer, user: SandboxUser, stdin: str | None = None,
) -> RawRun:
    """One run. `stdin` (a plain run's input box) feeds input(); None: grading, input() explains."""
    nonce = secrets.token_bytes(32)
    read_fd, write_fd = os.pipe()
    workdir = tempfile.mkdtemp(prefix="grade-")
    try:
        job = {
            "code": code, "tests": tests_payload, "nonce": nonce, "result_fd": write_fd,
            "manifest_fd": manifest.fd, "manifest_size": manifest.size,
            "available": ", ".join(PRELOADED_MODULES), "builtins": ALLOWED_BUILTIN_MODULES,
            "hidden_function": HIDDEN_FUNCTION, "test_filename": TEST_FILENAME, "stdin": stdin,
            "max_subresults": MAX_SUBRESULTS, "timeout_mark": TIMEOUT_MARK,
            "uid": user.uid, "gid": user.gid,
            "output_bytes": limits.output_bytes, "memory_mb": limits.memory_mb,
            "cpu_seconds": limits.cpu_seconds, "test_cpu_seconds": min(limits.test_cpu_seconds, limits.cpu_seconds),
        }
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, *INTERPRETER_FLAGS, "-c", _BOOTSTRAP],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(write_fd, manifest.fd), cwd=workdir, env=SANDBOX_ENV,
            start_new_session=True, preexec_fn=_child_setup(limits, seccomp),
        )
        os.close(write_fd)
        write_fd = -1
        reader = RecordReader(nonce, record_cap(limits), expected_records)
        deadline = started + limits.wall_seconds
        wall_timeout = _exchange(process, _runner_code() + marshal.dumps(job), read_fd, deadline, reader)
        refused = reader.stopped and not reader.finished  # a run whose results went wrong: not waited for
        raw, killed = _reap(process, time.monotonic() if wall_timeout or refused else deadline)
        reader.fill(raw)
        raw.wall_timeout = wall_timeout or (killed and not refused)
        # SIGXCPU comes from the soft CPU limit; SIGKILL (not ours) from the hard one, when the
        # submission ignored SIGXCPU. rusage lags the kernel's limit check a little, hence 0.8.
        raw.cpu_timeout = not wall_timeout and not refused and (
            raw.signal == signal.SIGXCPU
            or (raw.signal == signal.SIGKILL and raw.cpu_seconds >= 0.8 * limits.cpu_seconds)
        )
        return raw
    finally:
        if write_fd >= 0:
            os.close(write_fd)
        os.close(read_fd)
        shutil.rmtree(workdir, ignore_errors=True)


def _child_setup(limits: Limits, seccomp: Installer):
    memory = limits.memory_mb * 1024 * 1024
    settings = (
        (resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1)),  # soft: SIGXCPU, hard: SIGKILL
        (resource.RLIMIT_AS, (memory, memory)),
        (resource.RLIMIT_FSIZE, (0, 0)),
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_NPROC, (0, 0)),
    )

    def setup() -> None:  # runs in the forked child, before exec
        for which, value in settings:
            resource.setrlimit(which, value)
        seccomp.install()

    return setup


def _exchange(
    process: subprocess.Popen, job: bytes, read_fd: int, deadline: float, reader: RecordReader
) -> bool:
    """Write the job, feed the result pipe to `reader` until EOF or until the reader has seen enough;
    returns whether the deadline passed."""
    assert process.stdin is not None
    stdin_fd = process.stdin.fileno()
    os.set_blocking(stdin_fd, False)
    pending = memoryview(job)
    with selectors.DefaultSelector() as selector:
        selector.register(read_fd, selectors.EVENT_READ)
        selector.register(stdin_fd, selectors.EVENT_WRITE)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return True
            for key, _ in selector.select(remaining):
                if key.fd == stdin_fd:
                    try:
                        pending = pending[os.write(stdin_fd, pending):]
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # the runner died early; its exit status tells why
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(stdin_fd)
                        process.stdin.close()
                    continue
                chunk = os.read(read_fd, 65536)
                if not chunk or not reader.feed(chunk):
                    if not process.stdin.closed:
                        process.stdin.close()
                    return False


def _kill_group(pid: int) -> None:
    for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        with contextlib.suppress(ProcessLookupError):
            target()


def _reap(process: subprocess.Popen, deadline: float) -> tuple[RawRun, bool]:
    """Wait for the runner to exit (it closed the result pipe, so it normally is exiting); kill it at
    the deadline. Returns the run's exit facts and whether the deadline killed it."""
    killed = False
    with _pidfd(process.pid) as pidfd:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill_group(process.pid)
                killed = True
                pid, status, usage = os.wait4(process.pid, 0)
                break
            if pidfd is not None:
                select.select([pidfd], [], [], remaining)  # readable when the process exits
            else:
                time.sleep(0.001)
    process.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it has been reaped
    if process.stdin and not process.stdin.closed:
        process.stdin.close()
    raw = RawRun(cpu_seconds=usage.ru_utime + usage.ru_stime)
    if os.WIFSIGNALED(status):
        raw.signal = os.WTERMSIG(status)
    else:
        raw.exit_code = os.WEXITSTATUS(status)
    return raw, killed


@contextlib.contextmanager
def _pidfd(pid: int) -> Iterator[int | None]:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # older kernels: poll instead
        yield None
        return
    try:
        yield fd
    finally:
        os.close(fd)


class RecordReader:
    """Checks and decodes the runner's records as they arrive, one line at a time.

    Nothing the sandbox sends is trusted: a line longer than `cap` bytes, one that fails its MAC, one
    whose shape is not `[seq, "kind", ...]`, or one too many stops the reading, before any parsing.
    What is parsed is JSON of at most `cap` bytes (linear time, no Python literals); so the server
    holds at most one record's bytes beyond the decoded results.
    """

    def __init__(self, nonce: bytes, cap: int, expected_records: int) -> None:
        self._nonce = nonce
        self._cap = cap
        self._max_records = expected_records + 2 + MAX_SUBRESULTS  # "ready", "done", subTest results
        self._pending = bytearray()
        self._seen = 0
        self.records: list[tuple[Any, ...]] = []
        self.started = self.finished = self.tampered = self.stopped = False
        self.crash = ""

    def feed(self, chunk: bytes) -> bool:
        """Take more bytes; False once nothing more is wanted (finished, crashed or tampered)."""
        self._pending += chunk
        while not self.stopped:
            end = self._pending.find(b"\n")
            if end < 0:
                if len(self._pending) > self._cap:
                    self._refuse()
                break
            line = bytes(self._pending[:end])
            del self._pending[: end + 1]
            self._take(line)
        return not self.stopped

    def fill(self, raw: RawRun) -> None:
        raw.records, raw.started, raw.finished = self.records, self.started, self.finished
        raw.tampered, raw.crash = self.tampered, self.crash

    def _refuse(self) -> None:
        self.tampered = self.stopped = True
        self._pending.clear()

    def _take(self, line: bytes) -> None:
        record = decode_record(line, self._nonce, self._cap) if self._seen < self._max_records else None
        if record is None or record[0] != self._seen:
            self._refuse()
            return
        self._seen += 1
        kind = record[1]
        if kind == "done":
            self.finished = self.stopped = True
        elif kind == "ready":
            self.started = True
        elif kind == "crash":
            self.crash = str(record[2:])
            self.stopped = True
        else:
            self.records.append(record[1:])


def decode_record(line: bytes, nonce: bytes, cap: int) -> tuple[Any, ...] | None:
    """`<mac> [seq, "kind", field...]` -> the tuple, or None. Size, MAC and shape are checked first;
    only then is the JSON parsed (fields: strings, or for probes and observations one plain value)."""
    if len(line) > cap or len(line) < _MAC_HEX + 3 or line[_MAC_HEX] != 0x20:
        return None
    mac, payload = line[:_MAC_HEX], line[_MAC_HEX + 1:]
    expected = blake2b(payload, key=nonce, digest_size=16).hexdigest().encode()
    if not hmac.compare_digest(mac, expected) or not _well_shaped(payload):
        return None
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError):
        return None
    if type(value) is not list or not 2 <= len(value) <= _MAX_FIELDS or type(value[0]) is not int:
        return None
    kind = value[1]
    fields = value[2:]
    if kind in _VALUE_KINDS and len(fields) == 3:  # [name, value, output] / [name, value, raised]
        decoded = from_tagged(fields[1])
        last_types = (str,) if kind == "probe" else (str, type(None))
        if decoded is NOT_PLAIN or type(fields[0]) is not str or type(fields[2]) not in last_types:
            return None
        return (value[0], kind, fields[0], decoded, fields[2])
    if not all(type(part) is str for part in fields):
        return None
    return (value[0], kind, *fields)


def _well_shaped(payload: bytes) -> bool:
    """`[<seq>,"<kind>"` with a known kind: refuses most garbage without parsing it."""
    if not payload.startswith(b"[") or not payload.endswith(b"]"):
        return False
    comma = payload.find(b",", 1, 16)
    if comma < 2 or not payload[1:comma].isdigit():
        return False
    return any(payload.startswith(b'"' + kind + b'"', comma + 1) for kind in _RECORD_KINDS)

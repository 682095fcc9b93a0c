"""Start the sandboxed runner for one submission and collect its authenticated records.

The child is `python -I -S -B -X utf8 sandbox_runner.py`, started in a new session, in a fresh
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

import ast
import contextlib
import hmac
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

from services.grader.limits import Limits
from services.grader.preload import INTERPRETER_FLAGS, PRELOADED_MODULES, Manifest
from services.grader.seccomp import Installer

RUNNER_PATH = str(Path(__file__).with_name("sandbox_runner.py"))
SANDBOX_ENV = {"LANG": "C.UTF-8"}
_RECORD_OVERHEAD = 4096


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
    manifest: Manifest, seccomp: Installer, user: SandboxUser,
) -> RawRun:
    nonce = secrets.token_bytes(32)
    read_fd, write_fd = os.pipe()
    workdir = tempfile.mkdtemp(prefix="grade-")
    try:
        job = {
            "code": code, "tests": tests_payload, "nonce": nonce, "result_fd": write_fd,
            "manifest_fd": manifest.fd, "manifest_size": manifest.size,
            "available": ", ".join(PRELOADED_MODULES), "uid": user.uid, "gid": user.gid,
            "output_bytes": limits.output_bytes, "memory_mb": limits.memory_mb,
        }
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, *INTERPRETER_FLAGS, RUNNER_PATH],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(write_fd, manifest.fd), cwd=workdir, env=SANDBOX_ENV,
            start_new_session=True, preexec_fn=_child_setup(limits, seccomp),
        )
        os.close(write_fd)
        write_fd = -1
        cap = expected_records * (4 * limits.output_bytes + _RECORD_OVERHEAD)
        deadline = started + limits.wall_seconds
        stream, wall_timeout = _exchange(process, marshal.dumps(job), read_fd, deadline, cap)
        raw, killed = _reap(process, time.monotonic() if wall_timeout else deadline)
        raw.wall_timeout = wall_timeout or killed
        # SIGXCPU comes from the soft CPU limit; SIGKILL (not ours) from the hard one, when the
        # submission ignored SIGXCPU. rusage lags the kernel's limit check a little, hence 0.8.
        raw.cpu_timeout = not wall_timeout and (
            raw.signal == signal.SIGXCPU
            or (raw.signal == signal.SIGKILL and raw.cpu_seconds >= 0.8 * limits.cpu_seconds)
        )
        _parse(stream, nonce, raw)
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
    process: subprocess.Popen, job: bytes, read_fd: int, deadline: float, cap: int
) -> tuple[bytes, bool]:
    """Write the job, read the result pipe until EOF; returns (bytes read, hit the deadline)."""
    assert process.stdin is not None
    stdin_fd = process.stdin.fileno()
    os.set_blocking(stdin_fd, False)
    received = bytearray()
    pending = memoryview(job)
    with selectors.DefaultSelector() as selector:
        selector.register(read_fd, selectors.EVENT_READ)
        selector.register(stdin_fd, selectors.EVENT_WRITE)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return bytes(received), True
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
                if not chunk:
                    if not process.stdin.closed:
                        process.stdin.close()
                    return bytes(received), False
                if len(received) < cap:
                    received += chunk[: cap - len(received)]


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


def _parse(stream: bytes, nonce: bytes, raw: RawRun) -> None:
    """Keep the records up to the first one that is not authentic or not in sequence."""
    lines = stream.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif lines:
        lines.pop()  # an unterminated last line (the run was cut short)
    for line in lines:
        mac, _, payload = line.partition(b" ")
        expected = blake2b(payload, key=nonce, digest_size=16).hexdigest().encode()
        record = _literal(payload) if hmac.compare_digest(mac, expected) else None
        if record is None or record[0] != len(raw.records) + raw.started:
            raw.tampered = True
            return
        if record[1] == "done":
            raw.finished = True
            return
        if record[1] == "ready":
            raw.started = True
        elif record[1] == "crash":
            raw.crash = str(record[2:])
            return
        else:
            raw.records.append(record[1:])


def _literal(payload: bytes) -> tuple[Any, ...] | None:
    try:
        value = ast.literal_eval(payload.decode("utf-8"))
    except (ValueError, SyntaxError, MemoryError, RecursionError, UnicodeDecodeError):
        return None
    if type(value) is not tuple or len(value) < 2 or type(value[0]) is not int:
        return None
    return value

"""The grader's self-test: one correct and two hostile submissions, graded by the server's own grader.

It answers two questions an operator cannot see from the outside, on the machine that serves
learners (on Lambda: inside the function, DESIGN.md section 9, after every deploy):

- is the grader available - does a correct submission pass? If the sandbox cannot start there (for
  example the seccomp filter does not install), every grade says "unavailable";
- is the submission contained - can it neither read a secret from the server's environment (its
  own `os.environ`, `/proc/<parent>/environ`, any `/proc/<pid>/environ`) nor start a process?

Each hostile submission reports what it managed to do through an ordinary test, so a contained run
passes and an escape fails with the names of what it reached (names and paths only, never values).
An error or a timeout proves nothing either way and counts as not contained. The summary is plain
data and never holds a secret: every text in it is scrubbed of the server's secret-looking values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from services.grader.limits import Limits
from services.grader.report import Report

# Looked for by name in every environment the secret-reading submission can reach; the server's
# own variables whose names look secret are added (a name is not a secret, its value is).
SECRET_NAMES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "CODELEARN_SECRET_KEY")
_SECRET_LOOKING = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|(^|_)KEY($|_)", re.IGNORECASE)
_SHORTEST_SECRET = 8  # shorter values ("1", "true") would scrub ordinary words out of the summary
_DETAIL_CHARS = 300
REDACTED = "[redacted]"

CORRECT_CODE = "def add(a, b):\n    return a + b\n"
CORRECT_TESTS = ("def test_adds():\n    assert add(2, 3) == 5\n",
                 "def test_adds_negatives():\n    assert add(-2, -3) == -5\n")

_ENVIRON_READER_CODE = '''
import os

SECRET_NAMES = {names!r}


def secrets_reached():
    reached = []
    try:
        reached += [name + " in os.environ" for name in SECRET_NAMES if name in os.environ]
    except Exception:
        pass
    pids = ["self", "1"]
    try:
        pids.append(str(os.getppid()))
        pids += sorted(entry for entry in os.listdir("/proc") if entry.isdigit())
    except Exception:
        pass
    for pid in dict.fromkeys(pids):
        try:
            with open("/proc/" + pid + "/environ", "rb") as handle:
                entries = handle.read().split(b"\\0")
        except Exception:
            continue
        for name in SECRET_NAMES:
            if any(entry.startswith(name.encode() + b"=") for entry in entries):
                reached.append(name + " in /proc/" + pid + "/environ")
    return reached
'''
READ_SECRET_TESTS = ("def test_no_secret_reached():\n    reached = secrets_reached()\n"
                     "    assert not reached, 'reached ' + ', '.join(reached)\n",)

FORK_CODE = '''
import os


def processes_started():
    started = []
    try:
        pid = os.fork()
    except Exception:
        pid = None
    if pid == 0:
        os._exit(0)
    if pid is not None:
        started.append("os.fork")
        try:
            os.waitpid(pid, 0)
        except Exception:
            pass
    try:
        pid = os.posix_spawn("/bin/true", ["true"], {})
    except Exception:
        pid = None
    if pid is not None:
        started.append("os.posix_spawn")
        try:
            os.waitpid(pid, 0)
        except Exception:
            pass
    return started
'''
FORK_TESTS = ("def test_no_process_started():\n    started = processes_started()\n"
              "    assert not started, 'started a process with ' + ', '.join(started)\n",)


class GraderLike(Protocol):
    limits: Limits

    def grade(self, code: str, tests: Sequence[str], *, language: str = "python") -> Report: ...


@dataclass(frozen=True)
class CaseResult:
    name: str
    purpose: str
    expected: str
    status: str
    ok: bool
    duration_ms: float
    tests: dict[str, str] = field(default_factory=dict)
    detail: str = ""


@dataclass(frozen=True)
class SelfTestSummary:
    ok: bool
    grader_available: bool
    containment: bool
    limits: dict[str, Any]
    secrets_in_server_environment: list[str]
    cases: list[CaseResult]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def secret_names(environ: Mapping[str, str]) -> list[str]:
    """The names the secret-reading case looks for: the usual ones and the server's own."""
    return sorted(set(SECRET_NAMES) | {name for name in environ if _SECRET_LOOKING.search(name)})


def run_selftest(grader: GraderLike, environ: Mapping[str, str]) -> SelfTestSummary:
    """Grade the three submissions with `grader`; `environ` is the server's environment."""
    names = secret_names(environ)
    secrets = sorted({environ[n] for n in names if len(environ.get(n, "")) >= _SHORTEST_SECRET},
                     key=len, reverse=True)
    correct = _case(grader, secrets, "correct", "a correct submission passes: the grader is available",
                    CORRECT_CODE, CORRECT_TESTS)
    read_secret = _case(grader, secrets, "read_secret",
                        "reads os.environ and /proc/<pid>/environ for the server's secrets",
                        _ENVIRON_READER_CODE.format(names=tuple(names)), READ_SECRET_TESTS)
    fork = _case(grader, secrets, "fork", "tries os.fork and os.posix_spawn", FORK_CODE, FORK_TESTS)
    available = correct.ok
    contained = available and read_secret.ok and fork.ok
    limits = grader.limits
    return SelfTestSummary(
        ok=available and contained,
        grader_available=available,
        containment=contained,
        limits={"cpu_seconds": limits.cpu_seconds, "wall_seconds": limits.wall_seconds,
                "memory_mb": limits.memory_mb},
        secrets_in_server_environment=[n for n in names if n in environ],
        cases=[correct, read_secret, fork],
    )


def _case(grader: GraderLike, secrets: list[str], name: str, purpose: str, code: str,
          tests: Sequence[str]) -> CaseResult:
    try:
        report = grader.grade(code, list(tests))
    except Exception as error:  # a broken grader is a finding, not a crash of the self-test
        return CaseResult(name, purpose, "pass", "error", False, 0.0,
                          detail=_scrub(f"the grader raised {type(error).__name__}: {error}", secrets))
    leaked = any(secret in _text_of(report) for secret in secrets)
    ok = report.status == "pass" and not leaked
    detail = "" if report.status == "pass" else (report.message or _first_problem(report))
    if leaked:
        detail = "a secret's value appeared in the report. " + detail
    return CaseResult(
        name=name, purpose=purpose, expected="pass", status=report.status, ok=ok,
        duration_ms=round(report.duration_ms, 1),
        tests={test.name: test.status for test in report.tests},
        detail=_scrub(detail, secrets)[:_DETAIL_CHARS],
    )


def _first_problem(report: Report) -> str:
    return next((test.message for test in report.tests if test.status != "pass" and test.message), "")


def _text_of(report: Report) -> str:
    parts = [report.message, report.output]
    for test in report.tests:
        parts += [test.name, test.message, test.output]
    return "\n".join(parts)


def _scrub(text: str, secrets: list[str]) -> str:
    for secret in secrets:  # longest first, so a secret containing another is removed whole
        text = text.replace(secret, REDACTED)
    return text

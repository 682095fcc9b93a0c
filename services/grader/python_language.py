"""Grading Python submissions: prepare the tests, run the sandbox, turn its records into a Report."""

from __future__ import annotations

import logging
import marshal
import subprocess
import threading
from collections.abc import Sequence
from typing import Any

from services.grader.challenge import (
    HIDDEN_PREFIX,
    MAX_SUBRESULTS,
    TIMEOUT_MARK,
    PreparedTests,
    Probe,
    is_plain,
    plain_equal,
    prepare_tests,
)
from services.grader.errors import InvalidTests
from services.grader.limits import Limits
from services.grader.preload import get_manifest
from services.grader.reference import HiddenCheck, Observation, Reference, observations_match
from services.grader.report import Report, RunResult, TestResult
from services.grader.sandbox import RawRun, SandboxUser, run_sandbox
from services.grader.seccomp import Installer

NOT_RUN_AFTER_LOAD_ERROR = "Not run: your code raised an error while it was being loaded."
NOT_RUN_AFTER_SYNTAX_ERROR = "Not run: your code has a syntax error."
NOT_RUN_UNREADABLE = "Not run: your code could not be read."
NOT_RUN = "Not run: the grader stopped before this test."
log = logging.getLogger(__name__)
_NO_TESTS = marshal.dumps([])

UNAVAILABLE = "The grader is not available on this server right now; please tell the site's team."


class PythonLanguage:
    name = "python"

    def __init__(self, user: SandboxUser | None = None) -> None:
        self._user = user or SandboxUser()
        self._installer: Installer | None = None
        self._lock = threading.Lock()

    def grade(self, code: str, tests: Sequence[str | Probe], limits: Limits,
              reference: Reference | None = None) -> Report:
        prepared = prepare_tests(tests, reference.checks if reference is not None else ())
        precheck = _precheck(code, prepared)
        if precheck is not None:
            return precheck
        raw = self._run(code, prepared, limits)
        if raw is None:
            return _all_tests(prepared, "error", UNAVAILABLE, UNAVAILABLE)
        return build_report(raw, prepared, limits, reference)

    def observe(self, code: str, tests: Sequence[str | Probe], checks: Sequence[HiddenCheck],
                limits: Limits) -> Reference:
        """Run `checks` on `code` (a reference solution) after its tests; what each observed."""
        prepared = prepare_tests(tests, checks)
        raw = self._run(code, prepared, limits) if _precheck(code, prepared) is None else None
        observed = {}
        for record in (raw.records[1:] if raw is not None and raw.finished and not raw.tampered else []):
            if record[0] == "observed" and record[1] in prepared.hidden and record[3] != TIMEOUT_MARK:
                observed[prepared.hidden[record[1]].name] = Observation(record[2], record[3])
        if len(observed) != len(checks):
            report = build_report(raw, prepared, limits) if raw is not None else None
            raise InvalidTests("The reference solution could not be observed: "
                               + (report.message if report and report.message else "it did not finish"))
        return Reference(tuple(checks), observed)

    def run(self, code: str, limits: Limits, stdin: str = "") -> RunResult:
        """Run `code` with no tests, `stdin` feeding input(); what it printed and how it ended."""
        prepared = PreparedTests(names=(), payload=_NO_TESTS, probes={})
        precheck = _precheck(code, prepared)
        if precheck is not None:
            return RunResult("error", message=precheck.message)
        raw = self._run(code, prepared, limits, stdin=stdin)
        if raw is None:
            return RunResult("error", message=UNAVAILABLE)
        report = build_report(raw, prepared, limits)
        output = report.output
        if report.status == "fail" and not raw.records:  # nothing came back at all
            return RunResult("error", output, UNAVAILABLE)
        if report.status in ("pass", "fail"):  # no tests: "fail" is build_report's name for "none ran"
            return RunResult("ok", output)
        return RunResult("timeout" if report.status == "timeout" else "error", output, report.message)

    def _run(self, code: str, prepared: PreparedTests, limits: Limits, stdin: str | None = None) -> RawRun | None:
        try:
            return run_sandbox(
                code, prepared.payload, len(prepared.names) + 2, limits,
                get_manifest(), self._seccomp(), self._user, stdin=stdin,
            )
        except (OSError, RuntimeError, subprocess.SubprocessError):
            log.exception("grader sandbox could not be started")
            return None

    def _seccomp(self) -> Installer:
        with self._lock:
            if self._installer is None:
                self._installer = Installer()
            return self._installer


def _precheck(code: str, prepared: PreparedTests) -> Report | None:
    """Content that can never compile gets a clear message without starting a sandbox."""
    problem = None
    if "\x00" in code:
        problem = "Your code contains a NUL character (\\x00); remove it and submit again."
    else:
        try:
            code.encode("utf-8")
        except UnicodeEncodeError as exc:
            line = code.count("\n", 0, exc.start) + 1
            problem = f"Your code contains bytes that are not valid text (line {line}); retype that line."
    if problem is None:
        return None
    return _all_tests(prepared, "error", problem, NOT_RUN_UNREADABLE)


def _all_tests(prepared: PreparedTests, status: str, message: str, test_message: str,
               output: str = "") -> Report:
    tests = [TestResult(name, "error", test_message, hidden=name in prepared.hidden) for name in prepared.names]
    return Report(status=status, tests=tests, message=message, output=output)


def build_report(raw: RawRun, prepared: PreparedTests, limits: Limits,
                 reference: Reference | None = None) -> Report:
    load, results = (raw.records[0], raw.records[1:]) if raw.records else (None, [])
    if load is not None and load[0] == "load" and load[1] == "syntax":
        return _all_tests(prepared, "error", load[2], NOT_RUN_AFTER_SYNTAX_ERROR)
    if load is not None and load[0] == "load" and load[1] == "cpu":
        seconds = _seconds(min(limits.test_cpu_seconds, limits.cpu_seconds))
        text = f"Your code used more than {seconds} of CPU time while it was being loaded and was stopped."
        return _all_tests(prepared, "timeout", text, NOT_RUN_AFTER_LOAD_ERROR, output=load[3])
    if load is not None and load[0] == "load" and load[1] == "error":
        return _all_tests(prepared, "error", "Your code raised an error while it was being loaded: "
                          + load[2], NOT_RUN_AFTER_LOAD_ERROR, output=load[3])
    tests: list[TestResult] = []
    position = subresults = 0  # the next expected name; extra results of unittest subTests seen
    for record in results:
        if position >= len(prepared.names):
            raw.tampered = True
            break
        expected_name = prepared.names[position]
        if _is_subresult(record, expected_name) and subresults < MAX_SUBRESULTS:
            subresults += 1
            tests.append(TestResult(str(record[1]), "fail", str(record[3]), str(record[4])))
            continue
        test = _test_result(record, expected_name, prepared, reference)
        if test is None:
            raw.tampered = True
            break
        tests.append(test)
        position += 1
    finished = raw.finished and not raw.tampered and position == len(prepared.names)
    output = load[3] if load is not None and load[0] == "load" else ""
    if finished:
        status = "pass" if tests and all(t.status == "pass" for t in tests) else "fail"
        slow = [t.name for t in tests if t.status == "error" and t.message.startswith("Timed out")]
        if slow:  # each test has its own CPU slice: the others still ran
            return Report(status="timeout", tests=tests, output=output,
                          message=f"{_test_label(slow[0])} ran out of CPU time and was stopped"
                          + ("; the other tests ran." if len(slow) == 1 else f", and {len(slow) - 1} more."))
        return Report(status=status, tests=tests, output=output)
    status, message, current = _why_unfinished(raw, limits)
    for index, name in enumerate(prepared.names[position:]):
        tests.append(TestResult(name, "error", current if index == 0 else NOT_RUN, hidden=name in prepared.hidden))
    return Report(status=status, tests=tests, message=message, output=output)


def _is_subresult(record: tuple, expected_name: str) -> bool:
    """`Class.test[n=3]`: a failed subTest variation, reported just before its method's own result."""
    return (record[0] == "result" and len(record) == 5 and record[2] == "fail" and "." in expected_name
            and str(record[1]).startswith(expected_name + "[") and str(record[1]).endswith("]"))


def _test_result(record: tuple, expected_name: str, prepared: PreparedTests,
                 reference: Reference | None) -> TestResult | None:
    if record[0] == "observed" and record[1] == expected_name and expected_name in prepared.hidden \
            and reference is not None:
        return _hidden_result(prepared.hidden[expected_name], Observation(record[2], record[3]), reference)
    if expected_name in prepared.hidden:
        return None
    if record[0] == "result" and len(record) == 5 and record[1] == expected_name \
            and record[2] in ("pass", "fail", "error") and expected_name not in prepared.probes:
        return TestResult(*(str(part) for part in record[1:]))
    if record[0] == "probe" and len(record) == 4 and record[1] == expected_name \
            and expected_name in prepared.probes:
        return _probe_result(prepared.probes[expected_name], record[2], str(record[3]))
    if record[0] == "result" and len(record) == 5 and record[1] == expected_name and record[2] == "error":
        return TestResult(expected_name, "error", str(record[3]), str(record[4]))
    return None


def _seconds(count: int) -> str:
    return f"{count} second{'' if count == 1 else 's'}"


def _test_label(name: str) -> str:
    return f"The hidden test {name.removeprefix(HIDDEN_PREFIX)}" if name.startswith(HIDDEN_PREFIX) \
        else f"The test {name}"


def _hidden_result(check: HiddenCheck, observed: Observation, reference: Reference) -> TestResult:
    """Judged here against the reference's observation; the message names the behaviour only."""
    name = HIDDEN_PREFIX + check.name
    expected = reference.observation_for(check.name)
    if observed.raised == TIMEOUT_MARK:
        return TestResult(name, "error", f"Timed out: a hidden test with {check.about} ran out of CPU time.",
                          hidden=True)
    if observations_match(expected, observed, check.compare):
        return TestResult(name, "pass", hidden=True)
    message = f"A hidden test with {check.about} failed."
    if observed.raised and not expected.raised:
        message += f" Your code raised {observed.raised.rstrip('*')}."
    return TestResult(name, "fail", message, hidden=True)


def _probe_result(probe: Probe, value: Any, output: str) -> TestResult:
    if is_plain(value) and plain_equal(probe.expected, value):
        return TestResult(probe.name, "pass", "", output)
    value_text = repr(value)
    got = value_text if len(value_text) <= 160 else value_text[:157] + "..."
    return TestResult(probe.name, "fail", f"{probe.expression} returned {got}, expected {probe.expected!r}",
                      output)


def _why_unfinished(raw: RawRun, limits: Limits) -> tuple[str, str, str]:
    """(report status, report message, message for the test that was running)."""
    if raw.wall_timeout:
        seconds = f"{limits.wall_seconds:g} second{'' if limits.wall_seconds == 1 else 's'}"
        text = f"Your code ran for more than {seconds} and was stopped."
        return "timeout", text, "Timed out: " + text
    if raw.cpu_timeout:
        seconds = _seconds(limits.cpu_seconds)
        text = f"Your code used more than {seconds} of CPU time and was stopped."
        return "timeout", text, "Timed out: " + text
    if not raw.started:
        log.error("grader sandbox failed before running the submission: exit %s, signal %s",
                  raw.exit_code, raw.signal)
        return "error", UNAVAILABLE, UNAVAILABLE
    if raw.crash:
        log.error("grader runner stopped: %s", raw.crash)
        text = "The grader stopped unexpectedly while checking your code, so nothing counts as passed."
        return "error", text, text
    if raw.tampered:
        text = "The grader could not verify the results of this run, so nothing counts as passed."
        return "error", text, text
    if raw.signal is not None:
        text = "Your code crashed the Python interpreter (for example by recursing too deeply)."
        return "error", text, text
    text = "Your code stopped the grader (for example with os._exit) before all tests had run."
    return "error", text, text

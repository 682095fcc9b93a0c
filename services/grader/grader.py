"""The Grader: validates input, bounds how many sandboxes run at once, and dispatches by language."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from services.grader.challenge import Probe, prepare_tests
from services.grader.errors import CodeTooLarge, EmptySubmission, GraderBusy, GradingInputError
from services.grader.languages import Language, get_language
from services.grader.limits import Limits
from services.grader.reference import HiddenCheck, Reference
from services.grader.report import BUSY_MESSAGE, Report, RunResult, TestResult


class Grader:
    """Grades submissions with at most `concurrency` sandboxes at once.

    At most `max_waiting` more wait for a slot (default: one per slot), each for at most
    `queue_timeout_seconds`; past either bound a submission gets a "busy" report - at once when the
    waiting places are full - so the threads serving requests never pile up behind the grader. A
    server with more request threads per process than `concurrency + max_waiting` always has one
    free to answer, so no queue forms in front of the app either.
    """

    def __init__(
        self, limits: Limits = Limits(), concurrency: int = 2, queue_timeout_seconds: float = 10.0,  # noqa: B008
        max_waiting: int | None = None,
    ) -> None:
        if not isinstance(limits, Limits):
            raise TypeError("limits must be a Limits")
        if not isinstance(concurrency, int) or concurrency < 1:
            raise ValueError("concurrency must be a positive integer")
        if queue_timeout_seconds < 0:
            raise ValueError("queue_timeout_seconds must not be negative")
        max_waiting = concurrency if max_waiting is None else max_waiting
        if isinstance(max_waiting, bool) or not isinstance(max_waiting, int) or max_waiting < 0:
            raise ValueError("max_waiting must be a whole number, 0 or more")
        self.limits = limits
        self.concurrency = concurrency
        self.queue_timeout_seconds = queue_timeout_seconds
        self.max_waiting = max_waiting
        self._places = threading.BoundedSemaphore(concurrency + max_waiting)  # running or waiting
        self._slots = threading.BoundedSemaphore(concurrency)
        self._languages: dict[str, Language] = {}
        self._languages_lock = threading.Lock()

    def grade(
        self, code: str, tests: Sequence[str | Probe], *, language: str = "python",
        limits: Limits | None = None, reference: Reference | None = None,
    ) -> Report:
        """Grade `code`. With a `reference` its hidden checks run too, judged against the reference
        solution's observations: only such a verdict is one the submission cannot write (reference.py)."""
        started = time.perf_counter()
        limits = self.limits if limits is None else limits
        if not isinstance(limits, Limits):
            raise GradingInputError("limits must be a Limits")
        if reference is not None and not isinstance(reference, Reference):
            raise GradingInputError("reference must be a Reference")
        runner = self._language(language)
        _check_code(code, limits)
        if reference is None or not reference.checks:  # nothing hidden to run: the plain call
            work = functools.partial(runner.grade, code, tests, limits)
        else:
            work = functools.partial(runner.grade, code, tests, limits, reference=reference)
        report = self._in_a_slot(work, lambda: _busy(tests, reference))
        return replace(report, duration_ms=round((time.perf_counter() - started) * 1000, 2))

    def observe(
        self, solution: str, tests: Sequence[str | Probe], checks: Sequence[HiddenCheck], *,
        language: str = "python", limits: Limits | None = None,
    ) -> Reference:
        """The reference for `checks`: what the reference `solution` observes for each (after its tests).
        Raises InvalidTests when the solution cannot be observed, or GraderBusy."""
        limits = self.limits if limits is None else limits
        runner = self._language(language)
        _check_code(solution, limits)
        outcome = self._in_a_slot(functools.partial(runner.observe, solution, tests, checks, limits), lambda: None)
        if outcome is None:
            raise GraderBusy(BUSY_MESSAGE)
        return outcome

    def run(self, code: str, *, stdin: str = "", language: str = "python", limits: Limits | None = None) -> RunResult:
        """Run `code` without tests (the Run button): same sandbox, limits and slots as grading."""
        started = time.perf_counter()
        limits = self.limits if limits is None else limits
        runner = self._language(language)
        _check_code(code, limits)
        if not isinstance(stdin, str):
            raise GradingInputError("The input must be text.")
        if len(stdin) > limits.max_code_chars:
            raise GradingInputError(f"The input is {len(stdin):,} characters long; the limit is "
                                    f"{limits.max_code_chars:,}.")
        result = self._in_a_slot(functools.partial(runner.run, code, limits, stdin),
                                 lambda: RunResult("error", message=BUSY_MESSAGE, busy=True))
        return replace(result, duration_ms=round((time.perf_counter() - started) * 1000, 2))

    def _in_a_slot(self, work: Callable[[], Any], busy: Callable[[], Any]) -> Any:
        if not self._places.acquire(blocking=False):  # the waiting places are full: busy at once
            return busy()
        try:
            if not self._slots.acquire(timeout=self.queue_timeout_seconds):
                return busy()
            try:
                return work()
            finally:
                self._slots.release()
        finally:
            self._places.release()

    def _language(self, name: str) -> Language:
        factory = get_language(name)
        key = name.lower()
        with self._languages_lock:
            if key not in self._languages:
                self._languages[key] = factory()
            return self._languages[key]


def _check_code(code: object, limits: Limits) -> None:
    if not isinstance(code, str):
        raise GradingInputError(f"The submission must be text, not {type(code).__name__}.")
    if len(code) > limits.max_code_chars:
        raise CodeTooLarge(len(code), limits.max_code_chars)
    if not code.strip():
        raise EmptySubmission()


def _busy(tests: Sequence[str | Probe], reference: Reference | None) -> Report:
    try:
        prepared = prepare_tests(tests, reference.checks if reference is not None else ())
    except GradingInputError:
        return Report(status="error", busy=True, message=BUSY_MESSAGE)
    return Report(status="error", busy=True, message=BUSY_MESSAGE, tests=[
        TestResult(name, "error", BUSY_MESSAGE, hidden=name in prepared.hidden) for name in prepared.names])

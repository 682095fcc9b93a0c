"""The Grader: validates input, bounds how many sandboxes run at once, and dispatches by language."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace

from services.grader.challenge import Probe, prepare_tests
from services.grader.errors import CodeTooLarge, EmptySubmission, GradingInputError
from services.grader.languages import Language, get_language
from services.grader.limits import Limits
from services.grader.report import BUSY_MESSAGE, Report, TestResult


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
        limits: Limits | None = None,
    ) -> Report:
        started = time.perf_counter()
        limits = self.limits if limits is None else limits
        if not isinstance(limits, Limits):
            raise GradingInputError("limits must be a Limits")
        runner = self._language(language)
        _check_code(code, limits)
        if not self._places.acquire(blocking=False):  # the waiting places are full: busy at once
            report = _busy(tests)
        else:
            try:
                report = self._grade_in_a_slot(runner, code, tests, limits)
            finally:
                self._places.release()
        return replace(report, duration_ms=round((time.perf_counter() - started) * 1000, 2))

    def _grade_in_a_slot(self, runner: Language, code: str, tests: Sequence[str | Probe], limits: Limits) -> Report:
        if not self._slots.acquire(timeout=self.queue_timeout_seconds):
            return _busy(tests)
        try:
            return runner.grade(code, tests, limits)
        finally:
            self._slots.release()

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


def _busy(tests: Sequence[str | Probe]) -> Report:
    return Report(status="error", busy=True, message=BUSY_MESSAGE,
                  tests=[TestResult(name, "error", BUSY_MESSAGE) for name in _names_or_empty(tests)])


def _names_or_empty(tests: Sequence[str | Probe]) -> list[str]:
    try:
        return list(prepare_tests(tests).names)
    except GradingInputError:
        return []

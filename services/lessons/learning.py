"""The learning loop on one lesson: drafts, submissions (throttled, graded, recorded), runs, hints.

Every path that runs the learner's code (a submission, a run, an AI hint) first checks every allowance
it needs, then passes the one CodeRunLimiter, and only then runs the code: a refusal runs nothing and
records nothing. Every attempt is an activity event; completion is recorded once (the store's
`mark_completed` is atomic), so two passing submissions racing each other complete the lesson once.
A submission's report is kept as the learner's last on the lesson and shown again on the page; a
run (the code without its tests) is never an attempt and records no progress.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dal.base import ActivityEvent, Draft, LessonReport, Progress, Store
from services.ai.errors import AIUnavailable, QuotaExceeded
from services.ai.hints import AIHintLimitReached, next_ai_hint
from services.clock import Clock, utcnow
from services.code_runs import AI_HINT, RUN, SUBMIT, CodeRunLimiter
from services.errors import InvalidInput, RateLimited, Unavailable
from services.grader import CodeTooLarge, GradingInputError, Report, RunResult, TestResult
from services.grader.report import BUSY_MESSAGE
from services.lessons.catalogue import completed_ids
from services.lessons.model import Lesson
from services.lessons.service import LessonService
from services.ratelimit import RateLimiter

log = logging.getLogger(__name__)
DRAFTS_PER_MINUTE = 60  # autosave waits for a pause in typing, so people stay far below this
# A kept report stays far below DynamoDB's 400 KB item; past this its outputs and messages are cut.
STORED_REPORT_BYTES = 100_000
STORED_TEXT_CHARS = 2_000
SHORTENED = "\n[shortened in the saved copy of these results]"


@dataclass(frozen=True)
class StoredResult:
    """The learner's last graded report on a lesson, as the page shows it again."""

    report: Report
    submitted_at: datetime
    completed: bool  # the lesson is complete (by this submission or another)
    attempts: int
    code_changed: bool  # the code in the editor is not the code these results are for
    concepts: tuple[str, ...] = ()
    completed_now: bool = False  # results seen again never complete anything
    next_lesson: Lesson | None = None


@dataclass(frozen=True)
class LessonState:
    """What the lesson page needs about this learner, from one read: progress, draft, last report."""

    code: str  # the draft, or the starter
    has_draft: bool
    progress: Progress | None
    revealed_hints: int
    ai_hints_left: int
    ai_hints_offered: bool  # the AI layer is set up here
    last_result: StoredResult | None = None

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed)


@dataclass(frozen=True)
class SubmissionResult:
    report: Report
    code: str
    completed: bool  # the lesson is complete (now or before)
    completed_now: bool  # this submission completed it
    attempts: int
    next_lesson: Lesson | None = None
    concepts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def busy(self) -> bool:
        return self.report.busy


@dataclass(frozen=True)
class HintsShown:
    """The hints part of a lesson's state after a hint is revealed (named as in LessonState)."""

    revealed_hints: int
    latest: str
    ai_hints_left: int
    ai_hints_offered: bool


@dataclass(frozen=True)
class AIHint:
    text: str
    note: str
    remaining: int


class LearningService:
    def __init__(
        self, lessons: LessonService, store: Store, grader: Any, limiter: RateLimiter, *,
        code_runs: CodeRunLimiter, max_code_chars: int, ai: Any = None, tutor: Any = None,
        progress: Any = None, clock: Clock = utcnow,
    ) -> None:
        self.lessons = lessons
        self._store = store
        self._grader = grader
        self._limiter = limiter  # drafts
        self._code_runs = code_runs
        self._max_code_chars = max_code_chars
        self._ai = ai
        self._tutor = tutor  # services.tutor.TutorService: mastery evidence and the next lesson; optional
        self._progress = progress  # services.progress.recorder.ActivityRecorder: aggregates per event; optional
        self._clock = clock

    @property
    def max_ai_hints(self) -> int:
        return int(self._ai.settings.ai_hints_per_lesson) if self._ai is not None else 0

    # --- the page ---------------------------------------------------------------------------
    def state(self, user_id: str, lesson: Lesson) -> LessonState:
        record = self._store.get_lesson_record(user_id, lesson.id)
        progress, draft = record.progress, record.draft
        code = draft.code if draft else lesson.starter
        last = None
        if record.last_report is not None:
            kept = record.last_report
            last = StoredResult(
                report=report_from_dict(kept.report), submitted_at=kept.submitted_at,
                completed=bool(progress and progress.completed), attempts=progress.attempts if progress else 0,
                code_changed=bool(kept.code_digest) and kept.code_digest != code_digest(code),
                concepts=lesson.concepts,
            )
        return LessonState(
            code=code,
            has_draft=draft is not None,
            progress=progress,
            revealed_hints=min(len(lesson.hints), progress.hints_used if progress else 0),
            ai_hints_left=max(0, self.max_ai_hints - (progress.ai_hints_used if progress else 0)),
            ai_hints_offered=self._ai is not None,
            last_result=last,
        )

    # --- drafts -----------------------------------------------------------------------------
    def _check_size(self, code: str) -> None:
        if len(code) > self._max_code_chars:
            raise InvalidInput(str(CodeTooLarge(len(code), self._max_code_chars)), {"code": "too long"})

    def save_draft(self, user_id: str, lesson_id: str, code: str) -> Draft:
        self.lessons.get(lesson_id)  # unknown ids: 404, nothing stored
        self._check_size(code)
        decision = self._limiter.hit(f"draft:{user_id}", DRAFTS_PER_MINUTE, 60)
        if not decision.allowed:  # autosave runs after a pause in typing; this only stops scripts
            raise RateLimited("Your draft is being saved very often; it will be saved again in a moment.",
                              decision.retry_after)
        draft = Draft(user_id, lesson_id, code, self._clock())
        self._store.save_draft(draft)
        return draft

    def reset_draft(self, user_id: str, lesson_id: str) -> str:
        lesson = self.lessons.get(lesson_id)
        self._store.delete_draft(user_id, lesson_id)
        return lesson.starter

    # --- submissions ------------------------------------------------------------------------
    def code_run_budgets(self, *, verified: bool) -> dict[str, int]:
        """Per-minute budgets of submissions, runs and AI hints, for a learner so confirmed (or not)."""
        return {path: self._code_runs.budget(path, verified=verified) for path in (SUBMIT, RUN, AI_HINT)}

    # `verified`: whether the learner confirmed their email address; unconfirmed learners get the
    # limiter's tighter budgets (False unless the caller knows better).
    def submit(self, user_id: str, lesson_id: str, code: str, *, verified: bool = False) -> SubmissionResult:
        lesson = self.lessons.get(lesson_id)
        self._check_size(code)  # before grading, and before it counts against the learner's limit
        if not code.strip():
            raise InvalidInput("Your submission is empty - write some code before submitting.", {"code": "empty"})
        with self._code_runs.admit(user_id, SUBMIT, verified=verified):
            now = self._clock()
            self._store.save_draft(Draft(user_id, lesson_id, code, now))
            try:
                # The reference's hidden checks make this a verdict the submission cannot write.
                report = self._grader.grade(code, list(lesson.tests), language=lesson.language,
                                            reference=lesson.reference)
            except GradingInputError as exc:
                raise InvalidInput(str(exc), {"code": str(exc)}) from None
        if report.busy:  # not the learner's attempt: nothing recorded
            progress = self._store.get_progress(user_id, lesson_id)
            return SubmissionResult(report, code, bool(progress and progress.completed), False,
                                    progress.attempts if progress else 0)
        progress = self._store.record_attempt(user_id, lesson_id, now)
        attempt_event = self._store.save_report_and_event(
            LessonReport(user_id, lesson_id, stored_copy(report), now, code_digest(code)),
            ActivityEvent(user_id=user_id, at=self._clock(), kind="attempt", detail={
                "lesson_id": lesson_id, "status": report.status,
                "passed": sum(1 for t in report.tests if t.status == "pass"), "total": len(report.tests)}),
        )
        if self._progress is not None:
            self._progress.recorded(attempt_event)
        if self._tutor is not None:  # evidence for the skill model, from this verdict
            self._tutor.record_submission(user_id, lesson, report, progress, was_completed=progress.completed)
        completed_now = False
        counts = report.passed and lesson.reference is not None
        if report.passed and lesson.reference is None:  # stale content: `flask lessons check` says so
            log.error("lesson %s has no current reference; a pass cannot complete it", lesson.id)
        if counts:
            completed_now = self._store.mark_completed(user_id, lesson_id, now, assisted=progress.ai_hints_used > 0)
            if completed_now:
                self._event(user_id, "completion", lesson_id=lesson_id, attempts=progress.attempts,
                            assisted=progress.ai_hints_used > 0, concepts=list(lesson.concepts))
        completed = counts or progress.completed
        following = None
        if completed:
            done = completed_ids(self._store.list_progress(user_id))
            following = (self._tutor.next_lesson(user_id, done, after=lesson) if self._tutor is not None
                         else self.lessons.next_after(lesson, done))
        return SubmissionResult(report, code, completed, completed_now, progress.attempts, following, lesson.concepts)

    # --- runs -------------------------------------------------------------------------------
    def run(self, user_id: str, lesson_id: str, code: str, stdin: str = "", *, verified: bool = False) -> RunResult:
        """Run the code without its tests (the Run button), `stdin` feeding input(): what it printed.
        The draft is kept, as with a submission; no attempt, progress or report is recorded."""
        lesson = self.lessons.get(lesson_id)
        self._check_size(code)
        if not code.strip():
            raise InvalidInput("There is no code to run yet - write some first.", {"code": "empty"})
        if len(stdin) > self._max_code_chars:  # before it counts against the learner's limit
            raise InvalidInput(f"The input is {len(stdin):,} characters long; the limit is "
                               f"{self._max_code_chars:,}.", {"stdin": "too long"})
        with self._code_runs.admit(user_id, RUN, verified=verified):
            self._store.save_draft(Draft(user_id, lesson_id, code, self._clock()))
            try:
                result = self._grader.run(code, stdin=stdin, language=lesson.language)
            except GradingInputError as exc:
                raise InvalidInput(str(exc), {"code": str(exc)}) from None
        if not result.busy:
            self._event(user_id, "run", lesson_id=lesson_id, status=result.status)
        return result

    # --- hints ------------------------------------------------------------------------------
    def reveal_hint(self, user_id: str, lesson_id: str) -> HintsShown:
        """Reveal the next authored hint; what the hints part of the page shows now (from the record
        this call wrote, so the page needs no second read)."""
        lesson = self.lessons.get(lesson_id)
        progress = self._store.get_progress(user_id, lesson_id)
        shown = min(len(lesson.hints), progress.hints_used if progress else 0)
        if shown >= len(lesson.hints):
            raise InvalidInput("You have seen every hint of this lesson.")
        progress = self._store.record_hint(user_id, lesson_id)
        shown = min(len(lesson.hints), progress.hints_used)
        self._event(user_id, "hint", lesson_id=lesson_id, number=shown, ai=False)
        return HintsShown(revealed_hints=shown, latest=lesson.hints[shown - 1],
                          ai_hints_left=max(0, self.max_ai_hints - progress.ai_hints_used),
                          ai_hints_offered=self._ai is not None)

    def ai_hint(self, user_id: str, lesson_id: str, code: str, *, verified: bool = False) -> AIHint:
        """One checked AI hint on the learner's current code (after the authored hints)."""
        lesson = self.lessons.get(lesson_id)
        if self._ai is None:
            raise Unavailable("AI hints are not available here. The tests' messages are your guide.")
        self._check_size(code)
        progress = self._store.get_progress(user_id, lesson_id)
        if (progress.hints_used if progress else 0) < len(lesson.hints):
            raise InvalidInput("Reveal the lesson's own hints first.")
        # Every allowance before the code runs: the lesson's AI hints, then the hourly quota (looked
        # at here, counted when the model is asked), then the limiter's budget and run-at-a-time.
        if (progress.ai_hints_used if progress else 0) >= self.max_ai_hints:
            raise InvalidInput(str(AIHintLimitReached(self.max_ai_hints)))
        try:
            self._ai.quotas.check(user_id, "hint")
        except QuotaExceeded as exc:
            raise RateLimited(str(exc), exc.retry_after) from None
        with self._code_runs.admit(user_id, AI_HINT, verified=verified):
            try:
                report = self._grader.grade(code or lesson.starter, list(lesson.tests), language=lesson.language)
            except GradingInputError:
                report = None
        if report is not None and report.busy:  # no hint from a run that did not happen
            raise Unavailable(f"{BUSY_MESSAGE} Your AI hints for this lesson are not used up.")
        try:
            answer = next_ai_hint(self._ai, self._store, user_id=user_id, lesson=lesson.to_dict(), code=code,
                                  report=report.to_dict() if report else {"tests": []},
                                  max_ai_hints=self.max_ai_hints, grader=self._grader,
                                  reference=lesson.reference)
        except AIHintLimitReached as exc:
            raise InvalidInput(str(exc)) from None
        except QuotaExceeded as exc:
            raise RateLimited(str(exc), exc.retry_after) from None
        except AIUnavailable as exc:
            raise Unavailable(str(exc)) from None
        self._event(user_id, "hint", lesson_id=lesson_id, ai=True, source=answer.source)
        return AIHint(answer.text, answer.note, answer.remaining)

    def _event(self, user_id: str, kind: str, **detail: Any) -> None:
        event = self._store.add_event(ActivityEvent(user_id=user_id, at=self._clock(), kind=kind, detail=detail))
        if self._progress is not None:
            self._progress.recorded(event)


# --- the kept report ----------------------------------------------------------------------------
def code_digest(code: str) -> str:
    """Names the graded code without keeping it: the page tells when the editor's code differs."""
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()


def stored_copy(report: Report) -> dict[str, Any]:
    """The report as it is kept: whole, unless it is very large (then outputs and messages are cut)."""
    data = report.to_dict()
    if _size(data) <= STORED_REPORT_BYTES:
        return data
    for limit in (STORED_TEXT_CHARS, 200):
        data["output"] = _shorten(data["output"], limit)
        data["tests"] = [{**test, "output": _shorten(test["output"], limit),
                          "message": _shorten(test["message"], limit)} for test in data["tests"]]
        if _size(data) <= STORED_REPORT_BYTES:
            break
    return data


def report_from_dict(data: dict[str, Any]) -> Report:
    """A kept report back as a Report; fields this version does not know (or no longer has) are left out."""
    tests = [TestResult(**_known_fields(TestResult, test)) for test in data.get("tests", [])]
    return Report(**{**_known_fields(Report, data), "tests": tests})


def _known_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _size(data: dict[str, Any]) -> int:
    return len(json.dumps(data).encode("utf-8"))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + SHORTENED

"""AI hints: after the authored hints, at most N model hints per learner per lesson, each checked.

The prompt gets the challenge, the failing tests and their messages, the authored hints already shown
and the learner's code - never the reference solution. Every hint passes the answer gate
(`check_hint`, with the lesson's tests and reference when a grader is given, so its code is run):
one refused is regenerated once with the reason, then replaced by the offline hint (derived from the
failing test), then by a generic one. Each refusal is counted in the usage ledger by its kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dal.base import Store
from services.ai.errors import AIUnavailable, ProviderError
from services.ai.gate_log import record_rejection
from services.ai.hint_check import check_hint
from services.ai.models import OFFLINE
from services.ai.offline_hints import failing_tests
from services.ai.service import NOTE_OFFLINE, AIService
from services.ai.tasks import TASKS

NOTE_REPLACED = "The AI's hint said too much, so this hint comes from the offline assistant."
SAFE_HINT = (
    "Read the first failing test's message again: it names what it checked and what it expected. "
    "Change one thing in your code, run the tests, and see how the message changes."
)


class AIHintLimitReached(Exception):
    """The learner has used every AI hint of this lesson; `str(exc)` can be shown."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"You have used the {limit} AI hints of this lesson. The tests' messages are your guide now.")


@dataclass(frozen=True)
class HintAnswer:
    text: str
    source: str  # bedrock | offline
    note: str
    remaining: int  # AI hints left for this learner on this lesson


def ai_hints_left(store: Store, user_id: str, lesson_id: str, limit: int) -> int:
    progress = store.get_progress(user_id, lesson_id)
    return max(0, limit - (progress.ai_hints_used if progress else 0))


def next_ai_hint(
    ai_service: AIService,
    store: Store,
    *,
    user_id: str,
    lesson: dict[str, Any],
    code: str,
    report: Any,
    max_ai_hints: int | None = None,
    grader: Any = None,
    reference: Any = None,
) -> HintAnswer:
    """The learner's next AI hint for `lesson` (library format) given the grader's `report` (a Report or
    its to_dict()). With a `grader` the gate runs the hint's code against the lesson's tests and
    `reference`. Raises AIHintLimitReached, or QuotaExceeded from the service."""
    limit = ai_service.settings.ai_hints_per_lesson if max_ai_hints is None else max_ai_hints
    left = ai_hints_left(store, user_id, lesson["id"], limit)
    if left <= 0:
        raise AIHintLimitReached(limit)
    solution = lesson.get("solution", "")
    payload = {
        "challenge": lesson.get("challenge", ""),
        "failing_tests": failing_tests(report),
        "code": code or "# (empty)",
        "hints_shown": list(lesson.get("hints", [])),
    }
    gate = _Gate(ai_service, store, solution, tests=tuple(lesson.get("tests", ())) if grader is not None else (),
                 learner_code=code or lesson.get("starter", ""), grader=grader, reference=reference,
                 lesson_id=lesson["id"])
    text, source, note = _checked_hint(ai_service, payload, gate, user_id)
    store.record_hint(user_id, lesson["id"], ai=True)
    return HintAnswer(text=text, source=source, note=note, remaining=left - 1)


@dataclass(frozen=True)
class _Gate:
    """The answer gate for one lesson and one learner's code; refusals go to the ledger."""

    ai_service: AIService
    store: Store
    solution: str
    tests: tuple[Any, ...]
    learner_code: str
    grader: Any
    reference: Any
    lesson_id: str = ""

    def check(self, text: str, *, run_code: bool = True) -> tuple[bool, str]:
        ok, reason = check_hint(text, self.solution, tests=self.tests if run_code else (),
                                learner_code=self.learner_code, grader=self.grader, reference=self.reference,
                                policy="hint")
        if not ok:
            record_rejection(self.store, task="hint", lesson_id=self.lesson_id, reason=reason, text=text,
                             learner_code=self.learner_code, clock=self.ai_service.budget.now)
        return ok, reason


def _checked_hint(ai_service: AIService, payload: dict[str, Any], gate: _Gate, user_id: str) -> tuple[str, str, str]:
    result = ai_service.run("hint", payload, user_id=user_id)
    if result.source != OFFLINE:
        for attempt in (1, 2):
            ok, reason = gate.check(result.data["hint"])
            if ok:
                return result.data["hint"], result.source, result.note
            if attempt == 2:
                break
            # The retry is the same request from the learner's point of view: no second quota hit.
            result = ai_service.run("hint", {**payload, "rejected_because": reason}, user_id=None)
            if result.source == OFFLINE:
                break
    offline_text, note = _offline_hint(ai_service, payload, result)
    # Built by our code from the failing tests' messages, never from the reference: text rules only.
    ok, _ = gate.check(offline_text, run_code=False)
    return (offline_text if ok else SAFE_HINT), OFFLINE, note


def _offline_hint(ai_service: AIService, payload: dict[str, Any], last: Any) -> tuple[str, str]:
    if last.source == OFFLINE:
        return last.data["hint"], last.note or NOTE_OFFLINE
    if ai_service.fallback is None:
        return SAFE_HINT, NOTE_REPLACED
    try:
        return ai_service.fallback.complete(TASKS["hint"], payload, OFFLINE).data["hint"], NOTE_REPLACED
    except (ProviderError, AIUnavailable):
        return SAFE_HINT, NOTE_REPLACED

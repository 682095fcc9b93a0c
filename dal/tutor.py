"""The tutor's storage area: mastery per learner x concept, quiz attempts and per-quiz records.

Masteries are the aggregate the skill page reads (one query per learner, whatever the history
length); each carries its own short history. Writes are optimistic: a Mastery is saved only if its
`version` is still the one read, so two graded submissions at once never lose an update (the
service reads again and retries). Every write accepts its own retry (DynamoDB transactions carry a
client request token; conditional updates accept the call's own marker).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Mastery:
    user_id: str
    concept_id: str
    p_known: float
    evidence: int = 0  # observations so far
    recent: str = ""  # "P" / "F" per recent observation, newest last
    history: list[tuple[datetime, float]] = field(default_factory=list)  # (when, estimate), oldest first
    updated_at: datetime | None = None
    source: str = ""  # what last changed it: submission | quiz | placement | review
    version: int = 0  # as read; 0: not stored yet


@dataclass
class QuizAttempt:
    """One take of a quiz. `questions` are what was served (references into the bank, or generated
    questions as data), so a submission can only answer those, in that order."""

    user_id: str
    id: str
    quiz_key: str  # lesson:<id> | concept:<id> | placement
    questions: list[dict[str, Any]]
    created_at: datetime
    answers: list[int] = field(default_factory=list)
    score: int = 0
    submitted_at: datetime | None = None
    state: dict[str, Any] = field(default_factory=dict)  # the placement quiz's adaptive state

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass
class QuizRecord:
    """A learner's results on one quiz, across takes."""

    user_id: str
    quiz_key: str
    attempts: int = 0
    best_score: int = 0
    last_score: int = 0
    total: int = 0
    last_at: datetime | None = None


class TutorRecords(abc.ABC):
    # --- mastery ---------------------------------------------------------------------------
    @abc.abstractmethod
    def list_masteries(self, user_id: str) -> list[Mastery]:
        """Every concept the learner has evidence on, in one read."""

    def get_skill_records(self, user_id: str) -> tuple[list[Mastery], list[Any]]:
        """(every mastery, every lesson progress record) of the learner: what the skills page reads.
        A backend that can read both at once overrides it (DynamoDB: one query)."""
        return self.list_masteries(user_id), self.list_progress(user_id)  # type: ignore[attr-defined]

    @abc.abstractmethod
    def get_masteries(self, user_id: str, concept_ids: list[str]) -> dict[str, Mastery]:
        """The stored masteries among `concept_ids` (at most 100), by concept id."""

    @abc.abstractmethod
    def save_masteries(self, masteries: list[Mastery]) -> bool:
        """Write every mastery (one learner, at most 25) or none: each only if its stored version is
        still `version` (0: not stored). Stored versions become version + 1. False on a conflict."""

    # --- quizzes ---------------------------------------------------------------------------
    @abc.abstractmethod
    def create_quiz_attempt(self, attempt: QuizAttempt) -> None: ...

    @abc.abstractmethod
    def get_quiz_attempt(self, user_id: str, attempt_id: str) -> QuizAttempt | None:
        """The learner's own attempt; another learner's id is None, as an unknown one is."""

    @abc.abstractmethod
    def save_quiz_step(self, attempt: QuizAttempt, answered_before: int, step: str) -> bool:
        """Store the attempt's questions, answers, score, state and submitted_at, only if it is not
        submitted and had `answered_before` answers; `step` names this call, so its own retry is
        accepted. False: another step got there first (a double submit)."""

    @abc.abstractmethod
    def record_quiz_result(self, user_id: str, quiz_key: str, attempt_id: str, score: int, total: int,
                           at: datetime) -> QuizRecord:
        """Count one finished attempt in the learner's record of the quiz (once per attempt id)."""

    @abc.abstractmethod
    def list_quiz_records(self, user_id: str) -> dict[str, QuizRecord]:
        """The learner's quiz records by quiz key, in one read."""

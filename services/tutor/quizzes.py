"""Quizzes per lesson and per concept: take, submit, score, feedback on every wrong choice, retry.

Questions come from the bank in the lesson files (a program question only once its stored run is
current, quiz_programs.py). A concept with too few bank questions may get generated ones where a
model is set up: each is used only after validation (generated.py) and is kept in the attempt, so
the answer key never leaves the server. The attempt stores what was served; a submission answers
exactly those, once: a second submission is refused (409) and changes nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dal.base import Store
from dal.tutor import QuizAttempt, QuizRecord
from services.clock import Clock, utcnow
from services.errors import Conflict, InvalidInput, NotFoundError
from services.lessons.model import Lesson, QuizQuestion
from services.tutor import mastery as model
from services.tutor.concepts import ConceptMap
from services.tutor.skills import SkillService

CONCEPT_QUIZ_SIZE = 5
LESSON_PREFIX, CONCEPT_PREFIX, PLACEMENT_KEY = "lesson:", "concept:", "placement"
NOT_YOURS = "There is no such quiz attempt."


@dataclass(frozen=True)
class ServedQuestion:
    """A question as it was served: where it comes from, and the question itself (key included)."""

    ref: str  # "<lesson id>#<index>" for the bank, "generated:<n>" for a generated one
    question: QuizQuestion
    concepts: tuple[str, ...]
    lesson_id: str = ""

    def to_stored(self) -> dict[str, Any]:
        if self.ref.startswith("generated:"):
            return {"ref": self.ref, "generated": self.question.to_dict(), "concepts": list(self.concepts)}
        return {"ref": self.ref}


@dataclass(frozen=True)
class Feedback:
    served: ServedQuestion
    chosen: int
    right: bool

    @property
    def why_not(self) -> str:
        reasons = self.served.question.why_not
        return reasons[self.chosen] if not self.right and self.chosen < len(reasons) else ""


@dataclass(frozen=True)
class QuizView:
    attempt: QuizAttempt
    title: str
    questions: list[ServedQuestion]
    feedback: list[Feedback] = field(default_factory=list)  # filled once submitted
    record: QuizRecord | None = None
    lesson_id: str = ""
    concept_id: str = ""

    @property
    def submitted(self) -> bool:
        return self.attempt.submitted

    @property
    def score(self) -> int:
        return self.attempt.score

    @property
    def total(self) -> int:
        return len(self.questions)


class QuestionBank:
    """Every servable bank question by reference and by concept, built once from the library."""

    def __init__(self, lessons: list[Lesson]) -> None:
        self._by_ref: dict[str, ServedQuestion] = {}
        self._by_concept: dict[str, list[ServedQuestion]] = {}
        self._by_lesson: dict[str, list[ServedQuestion]] = {}
        for lesson in lessons:
            for index, question in enumerate(lesson.quiz):
                if not question.verified:
                    continue
                served = ServedQuestion(f"{lesson.id}#{index}", question, lesson.concepts_of_question(question),
                                        lesson.id)
                self._by_ref[served.ref] = served
                self._by_lesson.setdefault(lesson.id, []).append(served)
                for concept_id in served.concepts:
                    self._by_concept.setdefault(concept_id, []).append(served)

    def get(self, ref: str) -> ServedQuestion | None:
        return self._by_ref.get(ref)

    def of_lesson(self, lesson_id: str) -> list[ServedQuestion]:
        return list(self._by_lesson.get(lesson_id, ()))

    def of_concept(self, concept_id: str) -> list[ServedQuestion]:
        return list(self._by_concept.get(concept_id, ()))


class QuizService:
    def __init__(self, store: Store, concepts: ConceptMap, bank: QuestionBank, skills: SkillService, *,
                 generator: Any = None, clock: Clock = utcnow) -> None:
        self._store = store
        self.concepts = concepts
        self.bank = bank
        self._skills = skills
        self._generator = generator  # generated.QuestionGenerator, or None (offline: the bank only)
        self._clock = clock
        # Called with (user_id, quiz_key, score, total, when) after a quiz is marked (progress: an event).
        self.submitted_hooks: list[Callable[[str, str, int, int, datetime], Any]] = []

    # --- starting ---------------------------------------------------------------------------
    def start_lesson_quiz(self, user_id: str, lesson_id: str) -> QuizAttempt:
        if self.concepts.lesson(lesson_id) is None:
            raise NotFoundError("There is no such lesson.")
        questions = self.bank.of_lesson(lesson_id)
        if not questions:
            raise NotFoundError("This lesson has no quiz yet.")
        return self.start_attempt(user_id, LESSON_PREFIX + lesson_id, questions)

    def start_concept_quiz(self, user_id: str, concept_id: str) -> QuizAttempt:
        concept = self.concepts.get(concept_id)
        if concept is None:
            raise NotFoundError("There is no such concept.")
        questions = self.bank.of_concept(concept_id)[:CONCEPT_QUIZ_SIZE]
        if len(questions) < CONCEPT_QUIZ_SIZE and self._generator is not None:
            questions += self._generator.questions(user_id, concept, CONCEPT_QUIZ_SIZE - len(questions))
        if not questions:
            raise NotFoundError(f"There are no questions about {concept.title} yet.")
        return self.start_attempt(user_id, CONCEPT_PREFIX + concept_id, questions)

    def start_attempt(self, user_id: str, quiz_key: str, questions: list[ServedQuestion],
               state: dict[str, Any] | None = None) -> QuizAttempt:
        attempt = QuizAttempt(user_id, secrets.token_urlsafe(12), quiz_key, [q.to_stored() for q in questions],
                              self._clock(), state=state or {})
        self._store.create_quiz_attempt(attempt)
        return attempt

    # --- reading ----------------------------------------------------------------------------
    def attempt(self, user_id: str, attempt_id: str) -> QuizAttempt:
        attempt = self._store.get_quiz_attempt(user_id, attempt_id) if _plausible_id(attempt_id) else None
        if attempt is None:  # another learner's attempt is as unknown as a made-up id
            raise NotFoundError(NOT_YOURS)
        return attempt

    def view(self, user_id: str, attempt_id: str) -> QuizView:
        attempt = self.attempt(user_id, attempt_id)
        questions = self.served(attempt)
        feedback = []
        if attempt.submitted:
            feedback = [Feedback(q, chosen, chosen == q.question.answer)
                        for q, chosen in zip(questions, attempt.answers, strict=True)]
        title, lesson_id, concept_id = self.describe(attempt.quiz_key)
        return QuizView(attempt, title, questions, feedback, lesson_id=lesson_id, concept_id=concept_id)

    def served(self, attempt: QuizAttempt) -> list[ServedQuestion]:
        out = []
        for stored in attempt.questions:
            if "generated" in stored:
                out.append(ServedQuestion(stored["ref"], QuizQuestion.from_dict(stored["generated"]),
                                          tuple(stored.get("concepts") or ())))
            else:
                found = self.bank.get(stored["ref"])
                if found is None:  # the bank changed since: the question can no longer be marked
                    raise NotFoundError("This quiz's questions have changed since it was started. Start it again.")
                out.append(found)
        return out

    def describe(self, quiz_key: str) -> tuple[str, str, str]:
        """(title, lesson id, concept id) of a quiz key."""
        if quiz_key.startswith(LESSON_PREFIX):
            lesson = self.concepts.lesson(quiz_key[len(LESSON_PREFIX):])
            return (f"Quiz: {lesson.title}" if lesson else "Quiz"), quiz_key[len(LESSON_PREFIX):], ""
        if quiz_key.startswith(CONCEPT_PREFIX):
            concept = self.concepts.get(quiz_key[len(CONCEPT_PREFIX):])
            return (f"Quiz: {concept.title}" if concept else "Quiz"), "", quiz_key[len(CONCEPT_PREFIX):]
        return "Placement quiz", "", ""

    # --- submitting -------------------------------------------------------------------------
    def submit(self, user_id: str, attempt_id: str, answers: dict[str, Any]) -> QuizView:
        """Mark every answer (a form's `q<position>` values); feedback per question, evidence once."""
        attempt = self.attempt(user_id, attempt_id)
        if attempt.quiz_key == PLACEMENT_KEY:
            raise InvalidInput("The placement quiz is answered step by step.")
        if attempt.submitted:
            raise Conflict("This quiz was already submitted; its results are below. Start it again to retry.")
        questions = self.served(attempt)
        chosen = parse_answers(answers, [len(q.question.choices) for q in questions])
        score = sum(1 for q, c in zip(questions, chosen, strict=True) if c == q.question.answer)
        done = QuizAttempt(attempt.user_id, attempt.id, attempt.quiz_key, attempt.questions, attempt.created_at,
                           answers=chosen, score=score, submitted_at=self._clock(), state=attempt.state)
        before = self._store.list_quiz_records(user_id).get(attempt.quiz_key)
        if not self._store.save_quiz_step(done, answered_before=0, step=f"submit:{attempt.id}"):
            raise Conflict("This quiz was already submitted; its results are below. Start it again to retry.")
        record = self._store.record_quiz_result(user_id, attempt.quiz_key, attempt.id, score, len(questions),
                                                done.submitted_at)
        for hook in self.submitted_hooks:
            hook(user_id, attempt.quiz_key, score, len(questions), done.submitted_at)
        weight = model.WEIGHT_QUIZ_FIRST if before is None or before.attempts == 0 else model.WEIGHT_QUIZ_RETAKE
        self._skills.record_quiz(user_id, [(q.concepts, c == q.question.answer, len(q.question.choices))
                                           for q, c in zip(questions, chosen, strict=True)], weight)
        view = self.view(user_id, attempt_id)
        return QuizView(view.attempt, view.title, view.questions, view.feedback, record, view.lesson_id,
                        view.concept_id)

    def records(self, user_id: str) -> dict[str, QuizRecord]:
        return self._store.list_quiz_records(user_id)


def parse_answers(answers: dict[str, Any], choice_counts: list[int]) -> list[int]:
    """The chosen index of every question, from `q0`, `q1`, ... values; a clear error otherwise."""
    unknown = [key for key in answers if key not in {f"q{i}" for i in range(len(choice_counts))}]
    if unknown:
        raise InvalidInput("The answers do not belong to this quiz.", {"answers": "unknown questions"})
    chosen, missing = [], []
    for position, count in enumerate(choice_counts):
        raw = answers.get(f"q{position}")
        if raw is None or raw == "":
            missing.append(position + 1)
            chosen.append(-1)
            continue
        try:
            value = int(str(raw))
        except ValueError:
            raise InvalidInput("An answer is not one of the choices.", {f"q{position}": "not a choice"}) from None
        if not 0 <= value < count:
            raise InvalidInput("An answer is not one of the choices.", {f"q{position}": "not a choice"})
        chosen.append(value)
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        raise InvalidInput(f"Answer every question first (question {numbers} {'is' if len(missing) == 1 else 'are'} "
                           "still open); your other choices are kept.", {f"q{n - 1}": "no answer" for n in missing})
    return chosen


def _plausible_id(attempt_id: str) -> bool:
    return isinstance(attempt_id, str) and 8 <= len(attempt_id) <= 40 and all(
        c.isalnum() or c in "-_" for c in attempt_id)

"""The placement quiz ("test out"): a short adaptive quiz that marks what a newcomer already knows.

It binary-searches the track in curriculum order: each step asks QUESTIONS_PER_STEP bank questions
of one probe lesson. All right: the probe, its prerequisites (transitively) and every lesson before it
count as known, and the search moves later; any wrong: the probe and what builds on it stay to learn,
and the search moves earlier. About log2(lessons) steps (6 for 33 lessons). At the end the known
lessons' concepts start from PLACEMENT_KNOWN, so those lessons show as tested out (not solved).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from dal.base import Store
from dal.tutor import QuizAttempt
from services.clock import Clock, utcnow
from services.errors import Conflict, InvalidInput
from services.lessons.model import Lesson
from services.tutor import mastery as model
from services.tutor.quizzes import PLACEMENT_KEY, QuizService, ServedQuestion, parse_answers
from services.tutor.skills import SkillService

QUESTIONS_PER_STEP = 2
MAX_STEPS = 7


@dataclass(frozen=True)
class PlacementStep:
    attempt: QuizAttempt
    questions: list[ServedQuestion]  # this step's questions (empty when finished)
    step: int  # 1-based
    steps_estimate: int
    probe: Lesson | None
    known: list[str]  # lesson ids found known so far (finished: the result)
    last_right: bool | None = None  # how the previous step went

    @property
    def finished(self) -> bool:
        return self.attempt.submitted


class PlacementService:
    def __init__(self, store: Store, quizzes: QuizService, skills: SkillService, track: list[Lesson], *,
                 clock: Clock = utcnow) -> None:
        self._store = store
        self._quizzes = quizzes
        self._skills = skills
        self._clock = clock
        # Only lessons with enough bank questions can be probed.
        self._track = [lesson for lesson in track if len(quizzes.bank.of_lesson(lesson.id)) >= QUESTIONS_PER_STEP]
        self._by_id = {lesson.id: lesson for lesson in track}

    def start(self, user_id: str) -> QuizAttempt:
        state = {"lo": 0, "hi": len(self._track), "known": [], "unknown": [], "step": 0}
        probe = self._probe(state)
        questions = self._questions(probe) if probe else []
        state["probe"] = probe.id if probe else ""
        return self._quizzes.start_attempt(user_id, PLACEMENT_KEY, questions, state)

    def current(self, user_id: str, attempt_id: str) -> PlacementStep:
        attempt = self._quizzes.attempt(user_id, attempt_id)
        if attempt.quiz_key != PLACEMENT_KEY:
            raise InvalidInput("That is not a placement quiz.")
        return self._step_view(attempt)

    def answer(self, user_id: str, attempt_id: str, answers: dict[str, Any]) -> PlacementStep:
        attempt = self._quizzes.attempt(user_id, attempt_id)
        if attempt.quiz_key != PLACEMENT_KEY:
            raise InvalidInput("That is not a placement quiz.")
        if attempt.submitted:
            raise Conflict("This placement quiz is finished; its result is below.")
        served = self._quizzes.served(attempt)
        asked = served[len(attempt.answers):]  # this step's questions: the ones not answered yet
        chosen = parse_answers(answers, [len(q.question.choices) for q in asked])
        right = [c == q.question.answer for q, c in zip(asked, chosen, strict=True)]
        state = dict(attempt.state)
        probe = self._by_id.get(state.get("probe", ""))
        position = next((i for i, lesson in enumerate(self._track) if probe and lesson.id == probe.id), None)
        if probe is not None and position is not None:
            if all(right):
                state["known"] = sorted({*state["known"], *[x.id for x in self._track[:position + 1]],
                                         *self._requires(probe)})
                state["lo"] = position + 1
            else:
                state["unknown"] = sorted({*state["unknown"], probe.id})
                state["hi"] = position
        state["step"] = int(state.get("step", 0)) + 1
        next_probe = self._probe(state) if state["step"] < MAX_STEPS else None
        state["probe"] = next_probe.id if next_probe else ""
        questions = attempt.questions + ([q.to_stored() for q in self._questions(next_probe)] if next_probe else [])
        finished = next_probe is None
        score = attempt.score + sum(right)
        updated = replace(attempt, questions=questions, answers=[*attempt.answers, *chosen], score=score,
                          state=state, submitted_at=self._clock() if finished else None)
        if not self._store.save_quiz_step(updated, answered_before=len(attempt.answers),
                                          step=f"{attempt.id}:{state['step']}"):
            raise Conflict("These answers were already sent; the quiz has moved on.")
        misses = [(q.concepts, ok, len(q.question.choices)) for q, ok in zip(asked, right, strict=True) if not ok]
        self._skills.record_quiz(user_id, misses, model.WEIGHT_PLACEMENT, source="placement")
        if finished:
            known_concepts = [c for lesson_id in state["known"] for c in self._by_id[lesson_id].concepts]
            self._skills.record_placement(user_id, known_concepts)
            self._store.record_quiz_result(user_id, PLACEMENT_KEY, attempt.id, score, len(updated.answers),
                                           updated.submitted_at)
        view = self._step_view(updated)
        return replace(view, last_right=all(right))

    def _step_view(self, attempt: QuizAttempt) -> PlacementStep:
        served = self._quizzes.served(attempt)
        pending = [] if attempt.submitted else served[len(attempt.answers):]
        state = attempt.state
        remaining = max(0, state["hi"] - state["lo"])
        estimate = int(state.get("step", 0)) + (0 if attempt.submitted else max(1, remaining.bit_length()))
        return PlacementStep(attempt, pending, int(state.get("step", 0)) + 1, min(MAX_STEPS, estimate),
                             self._by_id.get(state.get("probe", "")), list(state.get("known", [])))

    def _probe(self, state: dict[str, Any]) -> Lesson | None:
        lo, hi = int(state["lo"]), int(state["hi"])
        return self._track[(lo + hi) // 2] if lo < hi else None

    def _questions(self, lesson: Lesson) -> list[ServedQuestion]:
        return self._quizzes.bank.of_lesson(lesson.id)[:QUESTIONS_PER_STEP]

    def _requires(self, lesson: Lesson) -> set[str]:
        """Every lesson `lesson` builds on, directly or not."""
        seen: set[str] = set()
        waiting = list(lesson.prerequisites)
        while waiting:
            current = waiting.pop()
            if current in seen or current not in self._by_id:
                continue
            seen.add(current)
            waiting.extend(self._by_id[current].prerequisites)
        return seen

"""Evidence in, mastery out: graded submissions, quiz answers and placement update the learner's
masteries (mastery.py), one read and one all-or-nothing write per piece of evidence.

Only verdicts the learner cannot write count: a submission's test outcomes come from the grader with
the lesson's reference (hidden checks), and once a lesson is completed, re-submitting it adds nothing
(reviews are the way back to a finished lesson). A failing store never fails the submission or the
quiz: the evidence is logged as lost and the learner's result stands.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from dal.base import Progress, Store, StoreError
from dal.tutor import Mastery
from services.clock import Clock, utcnow
from services.grader import Report
from services.lessons.model import Lesson
from services.tutor import mastery as model
from services.tutor.concepts import ConceptMap

log = logging.getLogger(__name__)
SAVE_TRIES = 4  # optimistic writes: a concurrent update makes us read again


@dataclass(frozen=True)
class Observation:
    concept_id: str
    correctness: float  # 1 right ... 0 wrong
    kind: model.EvidenceKind
    weight: float


class SkillService:
    def __init__(self, store: Store, concepts: ConceptMap, *, clock: Clock = utcnow) -> None:
        self._store = store
        self.concepts = concepts
        self._clock = clock

    # --- reading ----------------------------------------------------------------------------
    def masteries(self, user_id: str) -> dict[str, Mastery]:
        return {m.concept_id: m for m in self._store.list_masteries(user_id)}

    def estimate(self, masteries: dict[str, Mastery], concept_id: str) -> float:
        found = masteries.get(concept_id)
        return found.p_known if found else model.PRIOR

    def tested_out(self, masteries: dict[str, Mastery], lessons: Iterable[Lesson], completed: set[str]) -> set[str]:
        """Lessons not solved whose every concept is mastered: they count as tested out."""
        return {lesson.id for lesson in lessons if lesson.id not in completed and lesson.concepts
                and all(self.estimate(masteries, c) >= model.MASTERED for c in lesson.concepts)}

    # --- evidence ---------------------------------------------------------------------------
    def record_submission(self, user_id: str, lesson: Lesson, report: Report, progress: Progress,
                          was_completed: bool) -> None:
        """A graded submission on the concepts its tests check. `progress` is the record after this
        attempt was counted; nothing counts once the lesson was completed before this submission."""
        if was_completed or report.busy or not report.tests or lesson.reference is None:
            return
        weight = model.submission_weight(progress.attempts, progress.hints_used, progress.ai_hints_used)
        tally: dict[str, list[int]] = {}
        for test in report.tests:
            concepts = lesson.concepts if test.hidden else lesson.concepts_of_test(test.name)
            for concept_id in concepts:
                passed, total = tally.setdefault(concept_id, [0, 0])
                tally[concept_id] = [passed + (test.status == "pass"), total + 1]
        self._apply(user_id, [Observation(c, passed / total, model.CODE_TEST, weight)
                              for c, (passed, total) in tally.items() if c in self.concepts], "submission")

    def record_quiz(self, user_id: str, answers: list[tuple[tuple[str, ...], bool, int]], weight: float,
                    source: str = "quiz") -> None:
        """Quiz answers: (the question's concepts, answered right, number of choices) each."""
        observations = [Observation(c, 1.0 if right else 0.0, model.quiz_kind(choices), weight)
                        for concepts, right, choices in answers for c in concepts if c in self.concepts]
        self._apply(user_id, observations, source)

    def record_code_tests(self, user_id: str, tests: list[tuple[tuple[str, ...], bool]], weight: float,
                          source: str = "review") -> None:
        """Graded tests outside a lesson (a review's code variant): (the test's concepts, passed) each."""
        tally: dict[str, list[int]] = {}
        for concepts, passed in tests:
            for concept_id in concepts:
                done, total = tally.setdefault(concept_id, [0, 0])
                tally[concept_id] = [done + passed, total + 1]
        self._apply(user_id, [Observation(c, done / total, model.CODE_TEST, weight)
                              for c, (done, total) in tally.items() if c in self.concepts], source)

    def record_placement(self, user_id: str, known: Iterable[str]) -> None:
        """Concepts the placement quiz found known start from PLACEMENT_KNOWN (never lowered)."""
        known = [c for c in dict.fromkeys(known) if c in self.concepts]
        for start in range(0, len(known), 25):
            self._write(user_id, known[start:start + 25], lambda m: max(m.p_known, model.PLACEMENT_KNOWN),
                        "placement", "P")

    def _apply(self, user_id: str, observations: list[Observation], source: str) -> None:
        by_concept: dict[str, list[Observation]] = {}
        for observation in observations:
            by_concept.setdefault(observation.concept_id, []).append(observation)
        concept_ids = list(by_concept)
        for start in range(0, len(concept_ids), 25):
            chunk = concept_ids[start:start + 25]

            def estimate(m: Mastery, mine: dict[str, list[Observation]] = by_concept) -> float:
                p = m.p_known
                for o in mine[m.concept_id]:
                    p = model.update(p, o.correctness, o.kind, o.weight)
                return p

            marks = {c: "".join("P" if o.correctness >= 1 else "F" for o in by_concept[c]) for c in chunk}
            self._write(user_id, chunk, estimate, source, marks)

    def _write(self, user_id: str, concept_ids: list[str], estimate, source: str, marks: dict[str, str] | str) -> None:
        if not concept_ids:
            return
        try:
            for _ in range(SAVE_TRIES):
                now = self._clock()
                stored = self._store.get_masteries(user_id, concept_ids)
                updated = []
                for concept_id in concept_ids:
                    current = stored.get(concept_id) or Mastery(user_id, concept_id, model.PRIOR)
                    p = estimate(current)
                    mark = marks if isinstance(marks, str) else marks[concept_id]
                    updated.append(replace(
                        current, p_known=p, evidence=current.evidence + len(mark), updated_at=now, source=source,
                        recent=(current.recent + mark)[-model.RECENT_OUTCOMES:],
                        history=[*current.history, (now, round(p, 4))][-model.HISTORY_POINTS:],
                    ))
                if self._store.save_masteries(updated):
                    return
            log.warning("mastery update for %s lost to concurrent updates %d times; dropped", user_id, SAVE_TRIES)
        except StoreError as exc:  # the learner's result stands; only this evidence is lost
            log.error("mastery update for %s failed: %s", user_id, exc)

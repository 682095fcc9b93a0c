"""The tutor as the pages and the API see it: the skill profile (levels, history, gaps, next steps),
and the hooks the learning loop calls (evidence from a graded submission, the next lesson to offer).

Building a profile reads the store twice (masteries, progress), whatever the history length: the
masteries are the aggregate, maintained as evidence arrives (DESIGN.md section 11).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dal.base import Progress, Store, StoreError
from dal.tutor import Mastery
from services.clock import utcnow
from services.grader import Report
from services.lessons.model import Lesson
from services.tutor import mastery as model
from services.tutor.concepts import Concept, ConceptMap
from services.tutor.explanations import Explanation, ExplanationService
from services.tutor.placement import PlacementService
from services.tutor.quizzes import QuizService
from services.tutor.recommendations import Gap, Recommendation, find_gaps, next_ready, recommend
from services.tutor.skills import SkillService

log = logging.getLogger(__name__)
SPARKLINE_POINTS = 12


@dataclass(frozen=True)
class SkillRow:
    concept: Concept
    p_known: float
    evidence: int
    history: tuple[float, ...]  # oldest first, for the sparkline
    is_gap: bool
    level: str = ""  # the level of the lesson that introduces it (the page groups by it)

    @property
    def percent(self) -> int:
        return model.percent(self.p_known)

    @property
    def band(self) -> str:
        return model.band(self.p_known)


@dataclass(frozen=True)
class SkillProfile:
    rows: list[SkillRow]  # concepts with evidence, in concept-map order
    untouched: list[Concept]  # concepts without evidence yet
    gaps: list[Gap]
    recommendations: list[Recommendation]
    tested_out: set[str]
    completed: set[str]

    @property
    def confident(self) -> int:
        return sum(1 for row in self.rows if row.band == "confident")


class TutorService:
    def __init__(self, store: Store, concepts: ConceptMap, track: list[Lesson], skills: SkillService,
                 quizzes: QuizService, placement: PlacementService, explanations: ExplanationService) -> None:
        self._store = store
        self.concepts = concepts
        self.track = track
        self.skills = skills
        self.quizzes = quizzes
        self.placement = placement
        self.explanations = explanations
        # Called with (user_id, lesson, at) when a submission completes a lesson (reviews: its cards).
        self.completion_hooks: list[Callable[[str, Lesson, datetime], Any]] = []

    # --- the skill profile -----------------------------------------------------------------
    def profile(self, user_id: str, records: tuple[list[Mastery], list[Progress]] | None = None) -> SkillProfile:
        """`records`: the masteries and lesson records when the caller has read them (the dashboard)."""
        stored, progress = records if records is not None else self._store.get_skill_records(user_id)
        return self._profile({m.concept_id: m for m in stored}, progress)

    def _profile(self, masteries: dict[str, Mastery], progress: list[Progress]) -> SkillProfile:
        completed = {p.lesson_id for p in progress if p.completed}
        tested_out = self.skills.tested_out(masteries, self.track, completed)
        gaps = find_gaps(self.concepts, masteries)
        gap_ids = {g.concept.id for g in gaps}
        rows, untouched = [], []
        for concept in self.concepts.all():
            m = masteries.get(concept.id)
            if m is None:
                untouched.append(concept)
                continue
            points = tuple(value for _, value in m.history[-SPARKLINE_POINTS:])
            first = self.concepts.introducing_lesson(concept.id)
            rows.append(SkillRow(concept, m.p_known, m.evidence, points, concept.id in gap_ids,
                                 first.level if first else ""))
        recommendations = recommend(self.concepts, self.track, masteries, progress, tested_out, gaps)
        return SkillProfile(rows, untouched, gaps, recommendations, tested_out, completed)

    def recommendations(self, user_id: str) -> list[Recommendation]:
        return self.profile(user_id).recommendations

    def continue_lesson(self, user_id: str) -> Lesson | None:
        """Where "Continue" leads: the first recommendation with a lesson (a gap's lesson, the one
        started, the next one the prerequisites allow)."""
        by_id = {lesson.id: lesson for lesson in self.track}
        for rec in self.recommendations(user_id):
            if rec.lesson_id in by_id:
                return by_id[rec.lesson_id]
        return None

    def tested_out(self, user_id: str, completed: set[str]) -> set[str]:
        return self.skills.tested_out(self.skills.masteries(user_id), self.track, completed)

    def open_challenge(self, user_id: str, lesson_id: str) -> Lesson | None:
        """The challenge the learner came from, when it is not solved yet (its answer must not leak
        into an explanation); None for no lesson, an unknown one or a solved one."""
        lesson = self.concepts.lesson(lesson_id) if lesson_id else None
        if lesson is None:
            return None
        progress = self._store.get_progress(user_id, lesson.id)
        return None if progress and progress.completed else lesson

    def explain(self, user_id: str, concept_id: str, *, open_lesson: Lesson | None = None) -> Explanation:
        masteries = self._store.get_masteries(user_id, [concept_id]) if concept_id in self.concepts else {}
        p_known = masteries[concept_id].p_known if concept_id in masteries else model.PRIOR
        return self.explanations.explain(user_id, concept_id, p_known, open_lesson=open_lesson)

    # --- hooks of the learning loop ----------------------------------------------------------
    def record_submission(self, user_id: str, lesson: Lesson, report: Report, progress: Progress,
                          was_completed: bool) -> None:
        self.skills.record_submission(user_id, lesson, report, progress, was_completed)
        if report.passed and lesson.reference is not None and not was_completed:  # this one completes it
            for hook in self.completion_hooks:
                try:
                    hook(user_id, lesson, progress.last_attempt_at or utcnow())
                except StoreError as exc:  # the completion stands; its review cards are lost
                    log.error("completion hook for %s on %s failed: %s", user_id, lesson.id, exc)

    def next_lesson(self, user_id: str, completed: set[str], after: Lesson | None = None) -> Lesson | None:
        """The lesson to offer next: the first the prerequisites allow, tested-out lessons counting
        as done (so a learner who placed out is not sent back to them)."""
        done = completed | ({after.id} if after else set()) | self.tested_out(user_id, completed)
        return next_ready([x for x in self.track if not after or x.language == after.language], done)


def build_tutor(store: Store, concepts: ConceptMap, lessons: list[Lesson], ai: Any, index: Any,
                grader: Any) -> TutorService:
    """Every part of the tutor, wired (the app factory calls this once)."""
    from services.tutor.generated import QuestionGenerator
    from services.tutor.quizzes import QuestionBank

    track = sorted(lessons, key=lambda lesson: (lesson.language, lesson.order))
    skills = SkillService(store, concepts)
    generator = QuestionGenerator(store, concepts, ai, grader) if ai is not None else None
    quizzes = QuizService(store, concepts, QuestionBank(track), skills, generator=generator)
    placement = PlacementService(store, quizzes, skills, track)
    explanations = ExplanationService(store, concepts, ai, index, grader)
    return TutorService(store, concepts, track, skills, quizzes, placement, explanations)

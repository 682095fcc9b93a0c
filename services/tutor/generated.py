"""Generated quiz questions for a concept (Bedrock), used only after validation:

- the task's schema (the AI layer checks it), a non-empty question, 2-6 distinct choices, the answer
  the index of one of them, and `why_not` (when given) aligned with the choices;
- a question about what code prints or returns must carry its program, and the program is run in the
  grader: the choice its output names must be the stated answer (quiz_programs.py), never the model's
  word alone;
- the count of learners' generation calls is the AI layer's quota for the `quiz` task.

Validated questions are cached per concept (cache, then model), so learners after the first take them
without a model call. Offline there is nothing to generate: quizzes use the bank.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from dal.base import LessonCacheEntry, Store, StoreError
from services.ai.errors import AIUnavailable, QuotaExceeded
from services.clock import Clock, utcnow
from services.lessons.model import QuizQuestion
from services.lessons.quiz_programs import run_program
from services.tutor.concepts import Concept, ConceptMap
from services.tutor.quizzes import ServedQuestion

log = logging.getLogger(__name__)
CACHE_DAYS = 30
CACHED_PER_CONCEPT = 10
# Questions that ask for a program's result; they are accepted only with a program to run.
_ASKS_FOR_OUTPUT = re.compile(r"\b(print|prints|printed|output|outputs|return|returns|evaluate|evaluates|value|"
                              r"result)\b"
                              r"|```|`[^`]*\(|\bwhat (is|are|does|do|happens)\b[^?]*`", re.IGNORECASE)


def problems_of(question: dict[str, Any], grader: Any) -> list[str]:
    """Why a generated question cannot be used (empty: it can)."""
    try:
        parsed = QuizQuestion.from_dict(question)
    except (KeyError, TypeError, ValueError) as exc:
        return [f"malformed: {exc!r}"]
    problems = []
    choices = [c.strip() for c in parsed.choices]
    if not parsed.question.strip():
        problems.append("empty question")
    if not 2 <= len(choices) <= 6 or len(set(choices)) != len(choices) or not all(choices):
        problems.append("the choices must be 2-6 distinct, non-empty texts")
    if not 0 <= parsed.answer < len(choices):
        problems.append("the answer is not one of the choices")
    if parsed.why_not and len(parsed.why_not) != len(choices):
        problems.append("why_not does not match the choices")
    if problems:
        return problems
    if parsed.program is None:
        if _ASKS_FOR_OUTPUT.search(parsed.question):
            problems.append("it asks what code does but carries no program to run")
    elif len(parsed.program.outputs) != len(choices):
        problems.append("the program's outputs do not match the choices")
    else:
        verdict = run_program(parsed.program, grader)
        if verdict.answer is None:
            problems.append(verdict.problem)
        elif verdict.answer != parsed.answer:
            problems.append("running its program gives another answer than the one stated")
    return problems


class QuestionGenerator:
    def __init__(self, store: Store, concepts: ConceptMap, ai: Any, grader: Any, *, clock: Clock = utcnow) -> None:
        self._store = store
        self._concepts = concepts
        self._ai = ai
        self._grader = grader
        self._clock = clock

    def questions(self, user_id: str, concept: Concept, count: int) -> list[ServedQuestion]:
        """Up to `count` validated questions about the concept; [] when none can be had (offline,
        quota reached, model down): the quiz then has the bank's questions only."""
        if count <= 0 or not getattr(self._ai, "uses_model", False):
            return []
        kept = self._cached(concept.id)
        if not kept:  # cost first: once a concept has validated questions, everyone takes those
            kept = self._generate(user_id, concept, kept)
        return [ServedQuestion(f"generated:{i}", QuizQuestion.from_dict(q), (concept.id,))
                for i, q in enumerate(kept[:count])]

    def _generate(self, user_id: str, concept: Concept, kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
        lesson = self._concepts.introducing_lesson(concept.id)
        payload = {"topic": f"{concept.title}: {concept.description}", "count": 5,
                   "level": lesson.level if lesson else "beginner",
                   "lesson_text": lesson.lesson if lesson else ""}
        try:
            result = self._ai.run("quiz", payload, user_id=user_id)
        except (QuotaExceeded, AIUnavailable) as exc:
            log.info("no generated questions for %s: %s", concept.id, exc)
            return kept
        if result.source == "offline":  # the fallback's bank questions are already in the quiz
            return kept
        fresh = []
        for question in result.data.get("questions", []):
            found = problems_of(question, self._grader)
            if found:
                log.info("generated question about %s refused: %s", concept.id, "; ".join(found))
                continue
            fresh.append(QuizQuestion.from_dict(question).to_dict())
        known = {q["question"] for q in kept}
        merged = (kept + [q for q in fresh if q["question"] not in known])[:CACHED_PER_CONCEPT]
        if fresh:
            self._keep(concept.id, merged, result)
        return merged

    def _cached(self, concept_id: str) -> list[dict[str, Any]]:
        try:
            entry = self._store.get_cached_lesson(f"quiz:{concept_id}", self._clock())
        except StoreError as exc:
            log.warning("generated questions unreadable: %s", exc)
            return []
        if entry is None:
            return []
        hits = getattr(self._ai, "cache_hits", None)  # counted in batches (services/ai/cache_hits.py)
        if hits is not None:
            hits.record(entry.key)
        return list(entry.content.get("questions", []))

    def _keep(self, concept_id: str, questions: list[dict[str, Any]], result: Any) -> None:
        now = self._clock()
        try:
            self._store.put_cached_lesson(LessonCacheEntry(
                f"quiz:{concept_id}", {"questions": questions}, "ai", now, now + timedelta(days=CACHE_DAYS),
                model=result.model, input_tokens=result.input_tokens, output_tokens=result.output_tokens,
                cost_usd=result.cost_usd))
        except StoreError as exc:
            log.warning("generated questions not cached: %s", exc)

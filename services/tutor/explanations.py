""""Explain this concept", in the band the learner's mastery puts them in (new / developing / confident).

Through the AI layer's `explain` task: offline it quotes the lesson passages that retrieval finds,
with citations, and says it is offline; with Bedrock the passages go along as context and the answer
must cite them. Citations are checked against the lesson index (an invented one is dropped; an answer
left citing nothing says so). Model answers are cached per concept x band (cache, then model), so most
explanations never call a model. Beside an open, unsolved challenge the explanation passes the answer
gate first; refused, the learner gets the lesson passages instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from dal.base import LessonCacheEntry, Store, StoreError
from services.ai.errors import AIUnavailable, QuotaExceeded
from services.ai.gate_log import record_rejection
from services.ai.hint_check import check_hint
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.ai.service import NOTE_OFFLINE
from services.ai.tasks import TASKS
from services.clock import Clock, utcnow
from services.errors import NotFoundError, RateLimited, Unavailable
from services.lessons.model import Lesson
from services.tutor import mastery as model
from services.tutor.concepts import Concept, ConceptMap

log = logging.getLogger(__name__)
CACHE_DAYS = 30
PASSAGES = 3
BAND_WORDS = {
    "new": "new to it: start from the beginning, in the simplest words, with one tiny example",
    "developing": "has practised it: focus on how it is used and the usual mistakes",
    "confident": "knows it well: show a deeper use, an edge case and where it leads next",
}
NOTE_NO_CITATION = "This explanation cites no lesson passage: check it against the lessons."
NOTE_GATED = ("The generated explanation came too close to your open challenge's answer, so here are the "
              "lesson passages instead.")


@dataclass(frozen=True)
class Citation:
    lesson_id: str
    title: str
    section: str


@dataclass(frozen=True)
class Explanation:
    concept: Concept
    band: str
    text: str  # Markdown
    example: str = ""
    key_points: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    source: str = "offline"  # offline | bedrock | cache
    notes: tuple[str, ...] = field(default_factory=tuple)


class ExplanationService:
    def __init__(self, store: Store, concepts: ConceptMap, ai: Any, index: LessonIndex, grader: Any, *,
                 clock: Clock = utcnow) -> None:
        self._store = store
        self.concepts = concepts
        self._ai = ai
        self._index = index
        self._grader = grader
        self._clock = clock

    def explain(self, user_id: str, concept_id: str, p_known: float, *,
                open_lesson: Lesson | None = None) -> Explanation:
        """`open_lesson`: the unsolved challenge the learner has open (its answer must not leak)."""
        concept = self.concepts.get(concept_id)
        if concept is None:
            raise NotFoundError("There is no such concept.")
        band = model.band(p_known)
        payload = self._payload(concept, band)
        cache_key = f"explain:{concept.id}:{band}"
        cached = self._cached(cache_key)
        if cached is not None:
            answer = self._answer(concept, band, cached, "cache", ())
        else:
            try:
                result = self._ai.run("explain", payload, user_id=user_id)
            except QuotaExceeded as exc:
                raise RateLimited(str(exc), exc.retry_after) from None
            except AIUnavailable as exc:
                raise Unavailable(str(exc)) from None
            # The page labels offline answers itself; other notes (model failing, paused) are shown.
            note = "" if result.note == NOTE_OFFLINE else result.note
            answer = self._answer(concept, band, result.data, result.source, (note,) if note else ())
            if result.source != "offline" and answer.citations:
                self._keep(cache_key, result)
        if open_lesson is not None and answer.source != "offline":
            allowed, why = check_hint(f"{answer.text}\n\n{answer.example}", open_lesson.solution,
                                      tests=open_lesson.tests, grader=self._grader, policy="explain",
                                      reference=open_lesson.reference)
            if not allowed:
                log.info("explanation of %s refused by the answer gate: %s", concept.id, why)
                record_rejection(self._store, task="explain", lesson_id=open_lesson.id, reason=why,
                                 text=f"{answer.text}\n\n{answer.example}", clock=self._clock)
                offline = OfflineProvider(self._index).complete(TASKS["explain"], payload)
                return self._answer(concept, band, offline.data, "offline", (NOTE_GATED,))
        return answer

    def _payload(self, concept: Concept, band: str) -> dict[str, Any]:
        lessons = self.concepts.lessons_of(concept.id)
        # A confident learner reads where the concept goes next; others where it is introduced.
        lesson = (lessons[-1] if band == "confident" else lessons[0]) if lessons else None
        passages = self._index.search(f"{concept.title} {concept.id.replace('-', ' ')} {concept.description}",
                                      k=PASSAGES, lesson_id=lesson.id if lesson else None)
        return {
            "concept": concept.title, "level": band, "question": f"{concept.description} The learner is "
            f"{BAND_WORDS[band]}.", "lesson_id": lesson.id if lesson else "",
            "passages": [{**p.citation(), "text": p.text[:1200]} for p in passages],
        }

    def _answer(self, concept: Concept, band: str, data: dict[str, Any], source: str,
                notes: tuple[str, ...]) -> Explanation:
        citations = tuple(c for c in (_citation(x) for x in data.get("citations") or ()) if c and self._exists(c))
        if not citations:
            notes = (*notes, NOTE_NO_CITATION)
        return Explanation(concept, band, str(data.get("explanation", "")), str(data.get("example") or ""),
                           tuple(data.get("key_points") or ()), citations, source, tuple(n for n in notes if n))

    def _exists(self, citation: Citation) -> bool:
        lesson = self._index.get(citation.lesson_id)
        if lesson is None:
            return False
        return not citation.section or any(p.lesson_id == citation.lesson_id and p.section == citation.section
                                           for p in self._index.passages)

    def _cached(self, key: str) -> dict[str, Any] | None:
        try:
            entry = self._store.get_cached_lesson(key, self._clock())
        except StoreError as exc:  # a slow store costs a model call, not the page
            log.warning("explanation cache unreadable: %s", exc)
            return None
        if entry is None:
            return None
        hits = getattr(self._ai, "cache_hits", None)  # counted in batches (services/ai/cache_hits.py)
        if hits is not None:
            hits.record(key)
        return entry.content

    def _keep(self, key: str, result: Any) -> None:
        now = self._clock()
        try:
            self._store.put_cached_lesson(LessonCacheEntry(
                key, result.data, "ai", now, now + timedelta(days=CACHE_DAYS), model=result.model,
                input_tokens=result.input_tokens, output_tokens=result.output_tokens, cost_usd=result.cost_usd))
        except StoreError as exc:
            log.warning("explanation not cached: %s", exc)


def _citation(data: Any) -> Citation | None:
    if not isinstance(data, dict) or not isinstance(data.get("lesson_id"), str):
        return None
    return Citation(data["lesson_id"], str(data.get("title") or ""), str(data.get("section") or ""))

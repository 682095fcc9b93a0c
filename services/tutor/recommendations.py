"""Learning gaps and what to do next, from the concept map, the learner's masteries and progress.

A gap is a concept below GAP where the learner is stuck: their own recent tries on it failed, or a
concept built on it is failing. Recommendations are ordered: close gaps first, then finish what is
started, then the next lesson the prerequisites allow (tested-out lessons count as done), then
strengthen what is still developing. Each says why, in the learner's terms. Pure functions: the
caller reads the store once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dal.base import Progress
from dal.tutor import Mastery
from services.lessons.model import Lesson
from services.tutor import mastery as model
from services.tutor.concepts import Concept, ConceptMap

MAX_GAPS = 5
MAX_RECOMMENDATIONS = 5
LOOKBACK = 4  # recent tries a reason counts over ("3 of your last 4 tries")


@dataclass(frozen=True)
class Gap:
    concept: Concept
    p_known: float
    reason: str
    weight: int  # how strongly it blocks: own recent failures first, then failing dependants
    last_seen: float = 0.0  # when its evidence last changed (epoch seconds): recent gaps first on ties


@dataclass(frozen=True)
class Recommendation:
    kind: str  # revisit | continue | next | strengthen | placement
    title: str
    reason: str
    lesson_id: str = ""
    concept_id: str = ""


def in_sentence(title: str) -> str:
    """A concept title inside a sentence: "Revisit the range function", not "Revisit The range ..."."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


def _failures(m: Mastery | None, lookback: int = LOOKBACK) -> tuple[int, int]:
    recent = (m.recent if m else "")[-lookback:]
    return recent.count("F"), len(recent)


def find_gaps(concepts: ConceptMap, masteries: dict[str, Mastery]) -> list[Gap]:
    gaps = []
    for concept in concepts.all():
        m = masteries.get(concept.id)
        p = m.p_known if m else model.PRIOR
        if p >= model.GAP:
            continue
        failed, tries = _failures(m)
        struggling = [d for d in concepts.dependants(concept.id)
                      if _failures(masteries.get(d))[0] and (masteries[d].p_known < model.MASTERED)]
        if failed >= 2:
            reason = f"{failed} of your last {tries} tries on it failed"
        elif struggling:
            names = ", ".join(in_sentence(concepts.get(d).title) for d in struggling[:2])
            reason = f"{names} build{'s' if len(struggling) == 1 else ''} on it, and your tries there are failing"
        else:
            continue
        seen = m.updated_at.timestamp() if m and m.updated_at else 0.0
        gaps.append(Gap(concept, p, reason, failed * 10 + len(struggling), seen))
    gaps.sort(key=lambda g: (-g.weight, -g.last_seen, g.p_known))
    return gaps[:MAX_GAPS]


def recommend(concepts: ConceptMap, track: Sequence[Lesson], masteries: dict[str, Mastery],
              progress: Sequence[Progress], tested_out: set[str], gaps: list[Gap]) -> list[Recommendation]:
    completed = {p.lesson_id for p in progress if p.completed}
    done = completed | tested_out
    out: list[Recommendation] = []
    for gap in gaps[:2]:
        lesson = concepts.introducing_lesson(gap.concept.id)
        out.append(Recommendation("revisit", f"Revisit {in_sentence(gap.concept.title)}", gap.reason,
                                  lesson.id if lesson else "", gap.concept.id))
    started = sorted((p for p in progress if not p.completed and p.attempts and p.lesson_id not in tested_out),
                     key=lambda p: p.last_attempt_at or p.first_attempt_at, reverse=True)
    titles = {lesson.id: lesson.title for lesson in track}
    for p in started[:1]:
        if p.lesson_id in titles:
            tries = f"{p.attempts} attempt{'s' if p.attempts != 1 else ''} so far"
            out.append(Recommendation("continue", f"Continue {titles[p.lesson_id]}",
                                      f"you started it ({tries}); the tests say what is left", p.lesson_id))
    following = next_ready(track, done, skip={r.lesson_id for r in out})
    if following is not None:
        built_on = [titles[x] for x in following.prerequisites if x in titles]
        reason = (f"it builds on {', '.join(built_on)}, which you have done" if built_on
                  else "it is where the track starts")
        title = f"Next lesson: {following.title}" if done or progress else f"Start: {following.title}"
        out.append(Recommendation("next", title, reason, following.id))
    developing = [(masteries[c.id].p_known, c) for c in concepts.all()
                  if c.id in masteries and model.DEVELOPING <= masteries[c.id].p_known < model.MASTERED
                  and any(x in done for x in c.lessons)]
    for p_known, concept in sorted(developing, key=lambda item: item[0])[:1]:
        out.append(Recommendation("strengthen", f"Quiz yourself on {in_sentence(concept.title)}",
                                  f"your level is {model.percent(p_known)} of 100; a short quiz firms it up",
                                  concept_id=concept.id))
    if not progress and not masteries:
        out.append(Recommendation("placement", "Already know some Python? Take the placement quiz",
                                  "a few questions mark what you know, so you can skip ahead"))
    return out[:MAX_RECOMMENDATIONS]


def next_ready(track: Sequence[Lesson], done: set[str], skip: set[str] = frozenset()) -> Lesson | None:
    """The first lesson by order not done whose prerequisites are done (tested out counts)."""
    for lesson in track:
        if lesson.id not in done and lesson.id not in skip and all(p in done for p in lesson.prerequisites):
            return lesson
    return None

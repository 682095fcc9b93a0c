"""The concept map: concepts are the unit of learning (DESIGN.md section 11).

Titles, descriptions and prerequisite concepts come from `content/concepts/<language>.json`; which
lessons, tests and quiz questions exercise a concept comes from the lessons that name it. Built once
at start-up from the loaded library; `flask lessons check` reports a concept a lesson names without a
definition, a defined concept no lesson teaches, an unknown prerequisite and a cycle.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.lessons.model import Lesson

CONCEPTS_FOLDER = "concepts"


@dataclass(frozen=True)
class Concept:
    id: str
    title: str
    description: str
    prerequisites: tuple[str, ...]
    lessons: tuple[str, ...]  # lesson ids naming it, in curriculum order; the first introduces it


class ConceptMap:
    def __init__(self, concepts: Iterable[Concept], lessons: Iterable[Lesson]) -> None:
        self._by_id = {concept.id: concept for concept in concepts}
        self._lessons = {lesson.id: lesson for lesson in lessons}
        self._dependants: dict[str, list[str]] = {concept_id: [] for concept_id in self._by_id}
        for concept in self._by_id.values():
            for prerequisite in concept.prerequisites:
                self._dependants.setdefault(prerequisite, []).append(concept.id)
        self._order = _topological(self._by_id)

    @classmethod
    def build(cls, definitions: list[dict[str, Any]], lessons: Iterable[Lesson]) -> ConceptMap:
        """Concepts from their definitions, with the lessons (curriculum order) that name each."""
        ordered = sorted(lessons, key=lambda lesson: (lesson.language, lesson.order))
        taught: dict[str, list[str]] = {}
        for lesson in ordered:
            for concept_id in lesson.concepts:
                taught.setdefault(concept_id, []).append(lesson.id)
        concepts = [
            Concept(str(d["id"]), str(d.get("title") or d["id"]), str(d.get("description") or ""),
                    tuple(d.get("prerequisites") or ()), tuple(taught.get(str(d["id"]), ())))
            for d in definitions
        ]
        return cls(concepts, ordered)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)

    def get(self, concept_id: str) -> Concept | None:
        return self._by_id.get(concept_id)

    def all(self) -> list[Concept]:
        """Every concept, prerequisites before the concepts that need them (curriculum order on ties)."""
        return [self._by_id[concept_id] for concept_id in self._order]

    def dependants(self, concept_id: str) -> list[str]:
        """The concepts that list this one as a prerequisite."""
        return list(self._dependants.get(concept_id, ()))

    def lesson(self, lesson_id: str) -> Lesson | None:
        return self._lessons.get(lesson_id)

    def lessons_of(self, concept_id: str) -> list[Lesson]:
        concept = self._by_id.get(concept_id)
        if concept is None:
            return []
        return [self._lessons[lesson_id] for lesson_id in concept.lessons if lesson_id in self._lessons]

    def introducing_lesson(self, concept_id: str) -> Lesson | None:
        lessons = self.lessons_of(concept_id)
        return lessons[0] if lessons else None

    def problems(self) -> list[str]:
        """What is wrong with the map, in words (empty: it is sound)."""
        problems = []
        named = {c for lesson in self._lessons.values() for c in lesson.concepts}
        for concept_id in sorted(named - self._by_id.keys()):
            users = ", ".join(lesson.id for lesson in self._lessons.values() if concept_id in lesson.concepts)
            problems.append(f"concept {concept_id!r} (named by {users}) has no definition")
        for concept in self._by_id.values():
            if not concept.lessons:
                problems.append(f"concept {concept.id!r} is defined but no lesson teaches it")
            if not concept.description.strip():
                problems.append(f"concept {concept.id!r} has no description")
            for prerequisite in concept.prerequisites:
                if prerequisite not in self._by_id:
                    problems.append(f"concept {concept.id!r} needs {prerequisite!r}, which is not defined")
                elif prerequisite == concept.id:
                    problems.append(f"concept {concept.id!r} lists itself as a prerequisite")
        if len(self._order) < len(self._by_id):
            stuck = sorted(self._by_id.keys() - set(self._order))
            problems.append(f"concept prerequisites form a cycle through: {', '.join(stuck)}")
        for lesson in self._lessons.values():
            for name, named_here in lesson.test_concepts:
                for concept_id in named_here:
                    if concept_id not in lesson.concepts:
                        problems.append(f"{lesson.id}: test {name} checks {concept_id!r}, not a concept of the lesson")
        return problems


def concepts_file(lessons_root: str | Path, language: str = "python") -> Path:
    return Path(lessons_root).resolve().parent / CONCEPTS_FOLDER / f"{language}.json"


def read_definitions(path: Path) -> tuple[list[dict[str, Any]], list[str]]:
    """The concept definitions of one file, and what stops them being read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        return [], [f"{path.name}: the concept map file is missing"]
    except ValueError as exc:
        return [], [f"{path.name}: not valid JSON ({exc})"]
    concepts = data.get("concepts") if isinstance(data, dict) else None
    if not isinstance(concepts, list):
        return [], [f"{path.name}: must hold {{\"language\": ..., \"concepts\": [...]}}"]
    good, problems, seen = [], [], set()
    for number, item in enumerate(concepts, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("title"), str):
            problems.append(f"{path.name}: concept {number} needs an id and a title")
            continue
        if item["id"] in seen:
            problems.append(f"{path.name}: concept {item['id']!r} is defined twice")
            continue
        prerequisites = item.get("prerequisites", [])
        if not isinstance(prerequisites, list) or not all(isinstance(p, str) for p in prerequisites):
            problems.append(f"{path.name}: prerequisites of {item['id']!r} must be a list of concept ids")
            continue
        seen.add(item["id"])
        good.append(item)
    return good, problems


def load_concept_map(lessons_root: str | Path, lessons: Iterable[Lesson]) -> tuple[ConceptMap, list[str]]:
    """The map of every language the lessons are in, and the problems found on the way."""
    lessons = list(lessons)
    definitions: list[dict[str, Any]] = []
    problems: list[str] = []
    for language in sorted({lesson.language for lesson in lessons}):
        found, file_problems = read_definitions(concepts_file(lessons_root, language))
        definitions.extend(found)
        problems.extend(file_problems)
    concept_map = ConceptMap.build(definitions, lessons)
    return concept_map, problems + concept_map.problems()


def _topological(by_id: dict[str, Concept]) -> list[str]:
    """Kahn's order, stable by first appearance; concepts on a cycle are left out (problems() says so)."""
    position = {concept_id: index for index, concept_id in enumerate(by_id)}
    waiting = {c.id: {p for p in c.prerequisites if p in by_id and p != c.id} for c in by_id.values()}
    order: list[str] = []
    ready = sorted((cid for cid, needs in waiting.items() if not needs), key=position.__getitem__)
    while ready:
        current = ready.pop(0)
        order.append(current)
        released = []
        for cid, needs in waiting.items():
            if current in needs:
                needs.discard(current)
                if not needs:
                    released.append(cid)
        ready = sorted([*ready, *released], key=position.__getitem__)
    return order

"""The lesson as the rest of the app sees it: a frozen record built from a validated lesson dict."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from services.grader.reference import HiddenCheck, Reference, checks_from_dicts

LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")
LEVEL_TITLES = {"beginner": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    language: str
    level: str
    topic: str
    order: int
    concepts: tuple[str, ...]
    prerequisites: tuple[str, ...]
    lesson: str  # Markdown
    challenge: str  # Markdown
    starter: str
    solution: str  # never sent to the browser
    tests: tuple[str, ...]
    hints: tuple[str, ...]
    quiz: tuple[QuizQuestion, ...] = ()
    source: str = "static"  # static (curated library) | ai (generated, proved, cached)
    path: str = field(default="", compare=False)
    hidden: tuple[HiddenCheck, ...] = ()  # checked on inputs the learner never sees
    unprotectable: str = ""  # why hard-coded answers cannot be told apart (empty: they can)
    # The hidden checks with the reference solution's observations (stored beside the library);
    # None until attached. Every verdict that counts is graded with it.
    reference: Reference | None = field(default=None, compare=False)

    @property
    def track(self) -> str:
        return self.language

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "static", path: str = "") -> Lesson:
        quiz = tuple(
            QuizQuestion(q["question"], tuple(q["choices"]), int(q["answer"]), q.get("explanation", ""))
            for q in data.get("quiz") or ()
        )
        return cls(
            id=data["id"],
            title=data["title"],
            language=data["language"],
            level=data["level"],
            topic=data["topic"],
            order=int(data["order"]),
            concepts=tuple(data.get("concepts") or ()),
            prerequisites=tuple(data.get("prerequisites") or ()),
            lesson=data["lesson"],
            challenge=data["challenge"],
            starter=data.get("starter", ""),
            solution=data["solution"],
            tests=tuple(data["tests"]),
            hints=tuple(data.get("hints") or ()),
            quiz=quiz,
            source=source,
            path=path,
            hidden=checks_from_dicts(data.get("hidden") or ()),
            unprotectable=data.get("unprotectable") or "",
        )

    def with_reference(self, reference: Reference) -> Lesson:
        return replace(self, reference=reference)

    def to_dict(self) -> dict[str, Any]:
        """The lesson file's shape (what the cache stores for generated lessons)."""
        return {
            "id": self.id, "title": self.title, "language": self.language, "level": self.level,
            "topic": self.topic, "order": self.order, "concepts": list(self.concepts),
            "prerequisites": list(self.prerequisites), "lesson": self.lesson, "challenge": self.challenge,
            "starter": self.starter, "solution": self.solution, "tests": list(self.tests),
            "hints": list(self.hints),
            **({"hidden": [{"name": c.name, "about": c.about, "check": c.check, "compare": c.compare}
                           for c in self.hidden]} if self.hidden else {}),
            **({"unprotectable": self.unprotectable} if self.unprotectable else {}),
            "quiz": [{"question": q.question, "choices": list(q.choices), "answer": q.answer,
                      "explanation": q.explanation} for q in self.quiz],
        }

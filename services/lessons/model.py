"""The lesson as the rest of the app sees it: a frozen record built from a validated lesson dict."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from services.grader.reference import HiddenCheck, Reference, checks_from_dicts

LEVELS: tuple[str, ...] = ("beginner", "intermediate", "advanced")
LEVEL_TITLES = {"beginner": "Beginner", "intermediate": "Intermediate", "advanced": "Advanced"}


@dataclass(frozen=True)
class QuizProgram:
    """A "what does this code print / return" question's program: `outputs[i]` is what it prints if
    choice i is right. The right choice is what the grader's run prints, never the author's word."""

    code: str
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    choices: tuple[str, ...]
    answer: int  # for a program question: the choice its run printed (set when the library loads)
    explanation: str
    why_not: tuple[str, ...] = ()  # aligned with choices: why each wrong choice is wrong
    concepts: tuple[str, ...] = ()  # what it tests; empty: the lesson's concepts
    program: QuizProgram | None = None
    verified: bool = True  # False: a program question whose run's answer is missing or stale

    @classmethod
    def from_dict(cls, q: dict[str, Any]) -> QuizQuestion:
        program = q.get("program")
        return cls(
            q["question"], tuple(q["choices"]), int(q["answer"]), q.get("explanation", ""),
            why_not=tuple(q.get("why_not") or ()), concepts=tuple(q.get("concepts") or ()),
            program=QuizProgram(program["code"], tuple(program["outputs"])) if program else None,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"question": self.question, "choices": list(self.choices), "answer": self.answer,
                                "explanation": self.explanation}
        if self.why_not:
            data["why_not"] = list(self.why_not)
        if self.concepts:
            data["concepts"] = list(self.concepts)
        if self.program:
            data["program"] = {"code": self.program.code, "outputs": list(self.program.outputs)}
        return data


@dataclass(frozen=True)
class Variant:
    """The lesson's challenge again with other names, values or edge cases: what a review re-solves.
    Graded like the lesson (its own tests and hidden checks); served only with a current reference."""

    id: str  # unique in the lesson
    title: str
    challenge: str  # Markdown
    starter: str
    solution: str  # never sent to the browser
    tests: tuple[str, ...]
    test_concepts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    hidden: tuple[HiddenCheck, ...] = ()
    reference: Reference | None = field(default=None, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Variant:
        return cls(
            id=data["id"], title=data["title"], challenge=data["challenge"], starter=data.get("starter", ""),
            solution=data["solution"], tests=tuple(data["tests"]),
            test_concepts=tuple((name, tuple(named)) for name, named in (data.get("test_concepts") or {}).items()),
            hidden=checks_from_dicts(data.get("hidden") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "title": self.title, "challenge": self.challenge,
                                "starter": self.starter, "solution": self.solution, "tests": list(self.tests)}
        if self.test_concepts:
            data["test_concepts"] = {name: list(named) for name, named in self.test_concepts}
        if self.hidden:
            data["hidden"] = [{"name": c.name, "about": c.about, "check": c.check, "compare": c.compare}
                              for c in self.hidden]
        return data


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
    # Which concepts each visible test checks, as (test name, concepts); a test not named checks all.
    test_concepts: tuple[tuple[str, tuple[str, ...]], ...] = ()
    quiz: tuple[QuizQuestion, ...] = ()
    source: str = "static"  # static (curated library) | ai (generated, proved, cached)
    path: str = field(default="", compare=False)
    hidden: tuple[HiddenCheck, ...] = ()  # checked on inputs the learner never sees
    unprotectable: str = ""  # why hard-coded answers cannot be told apart (empty: they can)
    # The hidden checks with the reference solution's observations (stored beside the library);
    # None until attached. Every verdict that counts is graded with it.
    reference: Reference | None = field(default=None, compare=False)
    variants: tuple[Variant, ...] = ()  # served ones only: each with its current reference

    @property
    def track(self) -> str:
        return self.language

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "static", path: str = "") -> Lesson:
        quiz = tuple(QuizQuestion.from_dict(q) for q in data.get("quiz") or ())
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
            test_concepts=tuple((name, tuple(named)) for name, named in (data.get("test_concepts") or {}).items()),
            quiz=quiz,
            source=source,
            path=path,
            hidden=checks_from_dicts(data.get("hidden") or ()),
            unprotectable=data.get("unprotectable") or "",
            variants=tuple(Variant.from_dict(v) for v in data.get("variants") or ()),
        )

    def with_reference(self, reference: Reference) -> Lesson:
        return replace(self, reference=reference)

    def with_variants(self, variants: tuple[Variant, ...]) -> Lesson:
        return replace(self, variants=variants)

    def variant(self, variant_id: str) -> Variant | None:
        return next((v for v in self.variants if v.id == variant_id), None)

    def as_variant(self, variant: Variant) -> Lesson:
        """The lesson with the variant's challenge in place of its own: what the content check proves
        and the grader grades (no quiz, no lesson text, no variants of its own)."""
        return replace(self, challenge=variant.challenge, starter=variant.starter, solution=variant.solution,
                       tests=variant.tests, test_concepts=variant.test_concepts, hidden=variant.hidden,
                       lesson="", hints=(), quiz=(), variants=(), reference=variant.reference)

    def with_quiz(self, quiz: tuple[QuizQuestion, ...]) -> Lesson:
        return replace(self, quiz=quiz)

    def concepts_of_test(self, name: str) -> tuple[str, ...]:
        """The concepts a graded test checks: as the lesson names them, else all the lesson's. A
        sub-result ("test_x [case 2]", "test_x.test_y") counts for the test it belongs to."""
        named = dict(self.test_concepts)
        base = name.split(" ")[0].split("[")[0]
        return named.get(name) or named.get(base) or named.get(base.split(".")[0]) or self.concepts

    def concepts_of_question(self, question: QuizQuestion) -> tuple[str, ...]:
        return question.concepts or self.concepts

    def to_dict(self) -> dict[str, Any]:
        """The lesson file's shape (what the cache stores for generated lessons)."""
        return {
            "id": self.id, "title": self.title, "language": self.language, "level": self.level,
            "topic": self.topic, "order": self.order, "concepts": list(self.concepts),
            "prerequisites": list(self.prerequisites), "lesson": self.lesson, "challenge": self.challenge,
            "starter": self.starter, "solution": self.solution, "tests": list(self.tests),
            "hints": list(self.hints),
            **({"test_concepts": {name: list(named) for name, named in self.test_concepts}}
               if self.test_concepts else {}),
            **({"hidden": [{"name": c.name, "about": c.about, "check": c.check, "compare": c.compare}
                           for c in self.hidden]} if self.hidden else {}),
            **({"unprotectable": self.unprotectable} if self.unprotectable else {}),
            "quiz": [q.to_dict() for q in self.quiz],
        }

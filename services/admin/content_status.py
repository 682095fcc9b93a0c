"""The content check's status for the admin: when `flask lessons check` last ran, on which content, with
what result, next to what the running app can tell without the grader.

The check grades every lesson (minutes of CPU), so a page view never runs it. `flask lessons check`
stores its result (`record_check`) under a setting; the page compares the fingerprint it was made on
with the deployed content's (a hash of every file under content/lessons, content/references and
content/concepts: a few milliseconds) and says whether it is current. The cheap parts come from the
library the app loaded at start-up: lessons served, references current or stale, program questions
answered by their stored runs, variants served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from dal.base import Store
from services.lessons.library import STALE_REFERENCE, FileProblem

CHECK_KEY = "content.last_check"
CONTENT_FOLDERS = ("lessons", "references", "concepts")
MAX_STORED_PROBLEMS = 200


def content_fingerprint(lessons_dir: str | Path) -> str:
    """A hash of the content the app serves: every file's path and bytes, in a stable order."""
    root = Path(lessons_dir).resolve().parent
    digest = hashlib.sha256()
    for folder in CONTENT_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def record_check(store: Store, result: Any, lessons_dir: str | Path, *, ran_at: datetime, seconds: float) -> None:
    """Keep what `flask lessons check` found (a services.lessons.check.CheckResult)."""
    problems = [str(problem) for problem in result.problems]
    store.put_setting(CHECK_KEY, {
        "ran_at": ran_at.isoformat(timespec="seconds"),
        "fingerprint": content_fingerprint(lessons_dir),
        "seconds": round(seconds, 1),
        "lessons": result.lessons,
        "quiz_programs": result.quiz_programs,
        "quiz_wrong": result.quiz_wrong,
        "problem_count": len(problems),
        "problems": problems[:MAX_STORED_PROBLEMS],
    })


@dataclass(frozen=True)
class LastCheck:
    ran_at: str
    fingerprint: str
    seconds: float
    lessons: int
    quiz_programs: int
    quiz_wrong: int
    problem_count: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


@dataclass(frozen=True)
class LessonLine:
    id: str
    title: str
    level: str
    reference: str  # current | stale | none (no hidden checks)
    program_questions: int
    program_verified: int
    variants_served: int
    variants_stale: int


@dataclass(frozen=True)
class ContentStatus:
    fingerprint: str
    last_check: LastCheck | None
    lessons: list[LessonLine]
    load_problems: list[str] = field(default_factory=list)  # what the app left out or cannot grade

    @property
    def current(self) -> bool:
        return self.last_check is not None and self.last_check.fingerprint == self.fingerprint

    @property
    def stale_references(self) -> int:
        return sum(1 for line in self.lessons if line.reference == "stale")

    @property
    def program_questions(self) -> int:
        return sum(line.program_questions for line in self.lessons)

    @property
    def program_unverified(self) -> int:
        return sum(line.program_questions - line.program_verified for line in self.lessons)

    @property
    def variants_served(self) -> int:
        return sum(line.variants_served for line in self.lessons)

    @property
    def variants_stale(self) -> int:
        return sum(line.variants_stale for line in self.lessons)


def content_status(store: Store, library: Any, load_problems: Iterable[FileProblem],
                   lessons_dir: str | Path) -> ContentStatus:
    problems = list(load_problems)
    stale_variants: dict[str, int] = {}
    for problem in problems:
        if problem.message.startswith("variant ") and STALE_REFERENCE in problem.message:
            stale_variants[problem.lesson_id] = stale_variants.get(problem.lesson_id, 0) + 1
    lines = []
    for lesson in library.all():
        programs = [q for q in lesson.quiz if q.program is not None]
        reference = "none" if not lesson.hidden else ("current" if lesson.reference is not None else "stale")
        lines.append(LessonLine(lesson.id, lesson.title, lesson.level, reference, len(programs),
                                sum(1 for q in programs if q.verified), len(lesson.variants),
                                stale_variants.get(lesson.id, 0)))
    return ContentStatus(content_fingerprint(lessons_dir), _last_check(store.get_setting(CHECK_KEY)), lines,
                         [str(problem) for problem in problems])


def _last_check(raw: Any) -> LastCheck | None:
    if not isinstance(raw, dict):
        return None
    try:
        return LastCheck(str(raw["ran_at"]), str(raw["fingerprint"]), float(raw.get("seconds", 0)),
                         int(raw.get("lessons", 0)), int(raw.get("quiz_programs", 0)), int(raw.get("quiz_wrong", 0)),
                         int(raw.get("problem_count", 0)), [str(p) for p in raw.get("problems", [])])
    except (KeyError, TypeError, ValueError):
        return None

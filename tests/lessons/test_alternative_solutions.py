"""No false fails: correct solutions other than the reference (other algorithms, float rounding, set and
dict order, other valid formatting) pass their lesson, hidden checks included.

Each file tests/lessons/alternatives/<lesson-id>/<name>.py is one correct solution, written the way a
learner might, graded through the library's lesson with its stored reference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from services.grader import Grader
from services.lessons.library import LessonLibrary

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"
ALTERNATIVES = Path(__file__).resolve().parent / "alternatives"
SOLUTIONS = sorted(ALTERNATIVES.glob("*/*.py"))
MIN_LESSONS = 15


@pytest.fixture(scope="module")
def library() -> LessonLibrary:
    library, problems = LessonLibrary.from_directory(CONTENT)
    assert not problems, problems
    return library


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader(concurrency=1, queue_timeout_seconds=60)


def test_the_corpus_covers_enough_lessons():
    lessons = {path.parent.name for path in SOLUTIONS}
    assert len(lessons) >= MIN_LESSONS, sorted(lessons)


@pytest.mark.parametrize("path", SOLUTIONS, ids=[f"{p.parent.name}/{p.stem}" for p in SOLUTIONS])
def test_an_alternative_correct_solution_passes(library, grader, path):
    lesson = library.get(path.parent.name)
    assert lesson is not None, f"no lesson {path.parent.name}"
    assert lesson.reference is not None
    code = path.read_text(encoding="utf-8")
    assert code.strip() != lesson.solution.strip(), "an alternative must differ from the reference"
    report = grader.grade(code, list(lesson.tests), language=lesson.language, reference=lesson.reference)
    failing = [(t.name, t.message) for t in report.tests if t.status != "pass"]
    assert report.passed, (report.status, report.message, failing)

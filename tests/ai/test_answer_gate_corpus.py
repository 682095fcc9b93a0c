"""The labelled corpus through the whole answer gate (real grader, lessons' tests and references):
no leak passes, and at most a tenth of the good hints is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.ai.hint_check import check_hint
from services.grader import Grader
from services.lessons.library import LessonLibrary
from tests.ai.answer_gate_corpus import CASES

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"
LEAK_KINDS = {"exact", "normalised", "partial", "renamed", "alternative", "split", "prose"}
GOOD_KINDS = {"prose", "code", "names"}


@pytest.fixture(scope="module")
def verdicts():
    library = LessonLibrary.from_directory(CONTENT)[0]
    grader = Grader()
    results = []
    for case in CASES:
        lesson = library.get(case.lesson)
        ok, why = check_hint(case.text, lesson.solution, tests=lesson.tests, grader=grader,
                             learner_code=lesson.starter if case.learner_code is None else case.learner_code,
                             history=case.history, reference=lesson.reference)
        results.append((case, ok, why))
    return results


def test_the_corpus_covers_what_the_issue_asks():
    assert len(CASES) >= 80
    assert len({case.lesson for case in CASES}) >= 10
    assert {case.kind for case in CASES if case.leak} == LEAK_KINDS
    assert {case.kind for case in CASES if not case.leak} == GOOD_KINDS
    assert any("str.split" in case.text for case in CASES if not case.leak)


def test_no_leak_passes_and_few_good_hints_are_refused(verdicts):
    passed_leaks = [(c.lesson, c.text) for c, ok, _ in verdicts if c.leak and ok]
    refused_good = [(c.lesson, c.text, why) for c, ok, why in verdicts if not c.leak and not ok]
    good = sum(1 for c, _, _ in verdicts if not c.leak)
    assert passed_leaks == []
    assert len(refused_good) / good <= 0.10, refused_good

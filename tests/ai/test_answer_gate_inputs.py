"""Bad input to the whole answer gate (real grader, a curated lesson): a clear verdict, never an exception."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from services.ai.hint_check import POLICIES, check_hint
from services.grader import Grader
from services.grader.report import Report
from services.lessons.library import LessonLibrary

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"


@pytest.fixture(scope="module")
def lesson():
    return LessonLibrary.from_directory(CONTENT)[0].get("python-tuples-and-sets")


@pytest.fixture(scope="module")
def grader():
    return Grader()


def gate(text, lesson, grader, **kwargs):
    return check_hint(text, lesson.solution, tests=lesson.tests, grader=grader, learner_code=lesson.starter,
                      reference=lesson.reference, **kwargs)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty answer"),
        (" \n\t ", "empty answer"),
        ("a" * 1_000_000, "longer than"),
        ("`x`" * 400_000, "longer than"),
        ("def smallest(xs):\n    return min(xs)\n", "more than one line of code"),  # only code
        ("```\nx = 1\ny = 2\n```", "code block"),
        (b"\xff\xfe\xfd", "not readable text"),
        ("lone \udcff surrogate", "not readable text"),
        (12345, "not readable text"),
        ("`" + "[" * 200 + "]" * 200 + "`", "could not be checked"),
    ],
)
@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_bad_input_gets_a_clear_verdict(lesson, grader, text, reason, policy):
    ok, why = gate(text, lesson, grader, policy=policy)
    assert not ok and reason in why


@pytest.mark.parametrize(
    "text",
    ["(" * 300 + ")" * 300, "f( " * 190, "hint \x00 with a nul `x = 1`", "lambda: " * 70,
     "`" + "x." * 250 + "y`", "Sets keep values once. ✓ 😀 — ünïcode"],
)
def test_odd_answers_are_judged_quickly_and_never_raise(lesson, grader, text):
    started = time.perf_counter()
    ok, why = gate(text, lesson, grader, history=[b"\xff", None, "x \udcff", text])
    assert isinstance(ok, bool) and isinstance(why, str)
    assert time.perf_counter() - started < 2.0


def test_unreadable_learner_code_is_left_out(lesson, grader):
    ok, why = check_hint("Sets keep each value once.", lesson.solution, tests=lesson.tests, grader=grader,
                         learner_code="x = '\udcff'", reference=lesson.reference)
    assert (ok, why) == (True, "")


def test_a_busy_grader_refuses_code_it_could_not_run(lesson):
    class Busy:
        def grade(self, code, tests, **kwargs):
            return Report(status="error", busy=True)

    ok, why = gate("Try `return len(items) > len(set(items))`.", lesson, Busy())
    assert not ok and "could not be checked" in why
    assert gate("Sets keep each value once.", lesson, Busy()) == (True, "")  # prose runs nothing

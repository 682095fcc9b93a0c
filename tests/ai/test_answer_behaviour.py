"""The answer gate's behavioural part: code from an answer, graded with the real grader and a lesson's reference."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from services.ai.answer_behaviour import MAX_CANDIDATES, GateUnchecked, behaviour_leak
from services.ai.answer_text import extract_fragments
from services.grader import Grader
from services.grader.report import Report
from services.lessons.library import LessonLibrary

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"


class CountingGrader:
    def __init__(self, grader: Grader) -> None:
        self.grader = grader
        self.calls = 0

    def grade(self, code, tests, **kwargs):
        self.calls += 1
        return self.grader.grade(code, tests, **kwargs)


class BusyGrader:
    def grade(self, code, tests, **kwargs):
        return Report(status="error", busy=True)


@pytest.fixture(scope="module")
def library() -> LessonLibrary:
    return LessonLibrary.from_directory(CONTENT)[0]


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


def _leak(library, grader, lesson_id, text, *, code=None, earlier=()):
    lesson = library.get(lesson_id)
    return behaviour_leak(
        extract_fragments(text), reference_solution=lesson.solution, tests=lesson.tests,
        learner_code=lesson.starter if code is None else code, grader=grader, reference=lesson.reference,
        earlier=[f for answer in earlier for f in extract_fragments(answer)])


def test_a_different_complete_function_is_a_leak(library, grader):
    why = _leak(library, grader, "python-tuples-and-sets", "`return len(items) > len(set(items))`")
    assert why == "it supplies a working has_duplicates"


def test_a_whole_function_counts_even_when_the_learners_other_code_is_broken(library, grader):
    # rank_of only passes its tests with a working leaderboard; the starter's is broken.
    why = _leak(library, grader, "python-sorting-and-searching",
                "`return next((i for i, n in enumerate(leaderboard(results), 1) if n == name), None)`")
    assert why == "it supplies a working rank_of"


def test_a_line_fix_passing_every_failing_test_is_a_leak(library, grader):
    lesson = library.get("python-numbers")
    code = lesson.solution.replace("math.ceil(slices_needed / slices_per_pizza)", "slices_needed // slices_per_pizza")
    why = _leak(library, grader, "python-numbers", "`pizzas = -(-slices_needed // slices_per_pizza)`", code=code)
    assert why == "its code passes every test the learner's code fails"


def test_pieces_over_two_messages_are_joined(library, grader):
    text = "and then `return kept`."
    assert _leak(library, grader, "python-lists", text) == ""
    why = _leak(library, grader, "python-lists", text,
                earlier=["For passing_scores, `kept = [s for s in scores if s >= threshold]`"])
    assert why == "it supplies a working passing_scores"


@pytest.mark.parametrize("text", ["Try `print(set([1, 1, 2]))` in the console.",
                                  "`sorted(names)` gives a new list", "Use `len(items)` to count them."])
def test_code_that_is_not_the_answer_is_not_a_leak(library, grader, text):
    assert _leak(library, grader, "python-tuples-and-sets", text) == ""


def test_candidates_per_answer_are_bounded(library, grader):
    counting = CountingGrader(grader)
    text = " ".join(f"`x{i} = len(items) + {i}`" for i in range(20))
    _leak(library, counting, "python-tuples-and-sets", text)
    assert counting.calls <= MAX_CANDIDATES + 1  # the candidates, and the learner's code once


def test_a_busy_grader_means_unchecked(library):
    with pytest.raises(GateUnchecked):
        _leak(library, BusyGrader(), "python-tuples-and-sets", "`return len(items) > len(set(items))`")


def test_prose_runs_nothing(library):
    counting = CountingGrader(Grader())
    assert _leak(library, counting, "python-tuples-and-sets", "Sets keep each value once.") == ""
    assert counting.calls == 0


def test_a_method_body_is_placed_in_its_class(library, grader):
    why = _leak(library, grader, "python-classes", "count: `return sum(v[1] for v in self.items.values())`")
    assert why == "it supplies a working ShoppingCart.count"


def test_a_lone_branch_goes_around_the_learners_line(library, grader):
    why = _leak(library, grader, "python-recursion", "if type(item) is list: result += flatten(item)")
    assert why == "its code passes every test the learner's code fails"


def test_unittest_classes_and_parametrised_cases_are_judged_by_their_report_names(grader):
    tests = [
        "import unittest\n\n\nclass TestAdd(unittest.TestCase):\n"
        "    def test_small(self):\n        self.assertEqual(add(1, 2), 3)\n\n"
        "    def test_negative(self):\n        self.assertEqual(add(-1, -2), -3)\n",
        "import pytest\n\n\n@pytest.mark.parametrize('a, b, total', [(1, 2, 3), (2, 5, 7)])\n"
        "def test_add(a, b, total):\n    assert add(a, b) == total\n",
    ]
    solution, learner = "def add(a, b):\n    return a + b\n", "def add(a, b):\n    return None\n"

    def leak(text):
        return behaviour_leak(extract_fragments(text), reference_solution=solution, tests=tests,
                              learner_code=learner, grader=grader)

    assert leak("Try `return b + a`.") == "it supplies a working add"
    assert leak("Try `print(a)`.") == ""


def test_an_endless_loop_in_an_answer_is_cut_short_and_refused(library, grader):
    started = time.perf_counter()
    with pytest.raises(GateUnchecked, match="too long"):
        _leak(library, grader, "python-loops", "`while True: x = 1`")
    assert time.perf_counter() - started < 2.5


def test_a_lone_loop_header_runs_nothing(library):
    counting = CountingGrader(Grader())
    assert _leak(library, counting, "python-loops", "Loop with `while n != 1:` and count the steps.") == ""
    assert counting.calls == 0

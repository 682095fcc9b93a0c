"""Verdicts the submission cannot write: hidden checks judged on the server against the reference.

The visible tests run beside the learner's code, so a submission can fool them (tampering with the
runner, rigged objects, hard-coded answers). A verdict graded with a `Reference` also needs every
hidden check's observation to match the reference solution's, which never enters the sandbox.
"""

import pytest

from services.grader import Grader, HiddenCheck, InvalidTests, Observation, Reference
from services.grader.challenge import prepare_tests
from services.grader.reference import observations_match
from tests.grader.seed_example import CORRECT_SOLUTION, VARIABLES_HIDDEN, VARIABLES_TESTS

ADD_SOLUTION = "def add(a, b):\n    return a + b\n"
ADD_TESTS = ["def test_add():\n    assert add(2, 3) == 5, 'add(2, 3) should be 5'",
             "def test_add_zero():\n    assert add(0, 7) == 7"]
ADD_CHECKS = (HiddenCheck("negatives", "negative numbers", "return add(-3, -4)"),
              HiddenCheck("floats", "decimals", "return add(0.1, 0.2)"),
              HiddenCheck("text", "two strings", "return add('ab', 'c')"))


@pytest.fixture(scope="module")
def add_reference() -> Reference:
    return Grader().observe(ADD_SOLUTION, ADD_TESTS, ADD_CHECKS)


@pytest.fixture(scope="module")
def variables_reference() -> Reference:
    return Grader().observe(CORRECT_SOLUTION, VARIABLES_TESTS, VARIABLES_HIDDEN)


def test_the_reference_solution_is_observed_once_and_passes_with_its_reference(grader, add_reference):
    assert add_reference.observations == {"negatives": Observation(-7), "floats": Observation(0.1 + 0.2),
                                          "text": Observation("abc")}
    report = grader.grade(ADD_SOLUTION, ADD_TESTS, reference=add_reference)
    assert report.status == "pass", report
    assert [(t.name, t.hidden) for t in report.tests] == [
        ("test_add", False), ("test_add_zero", False),
        ("hidden_negatives", True), ("hidden_floats", True), ("hidden_text", True)]


def test_another_correct_algorithm_passes(grader, add_reference):
    code = "def add(a, b):\n    total = a\n    total += b\n    return total\n"
    assert grader.grade(code, ADD_TESTS, reference=add_reference).status == "pass"


HARD_CODED_ADD = "def add(a, b):\n    return {(2, 3): 5, (0, 7): 7}[(a, b)]\n"


def test_hard_coding_the_visible_answers_passes_the_visible_tests_but_not_the_verdict(grader, add_reference):
    visible_only = grader.grade(HARD_CODED_ADD, ADD_TESTS)
    assert visible_only.status == "pass"  # why a reference is needed
    report = grader.grade(HARD_CODED_ADD, ADD_TESTS, reference=add_reference)
    assert report.status == "fail"
    hidden = [t for t in report.tests if t.hidden]
    assert [t.status for t in hidden] == ["fail", "fail", "fail"]
    assert hidden[0].message == "A hidden test with negative numbers failed. Your code raised KeyError."


def test_a_failed_hidden_check_never_shows_its_input_expected_value_or_output(grader, add_reference):
    code = "def add(a, b):\n    print('called with', a, b)\n    return a - b\n"
    report = grader.grade(code, ADD_TESTS, reference=add_reference)
    hidden = {t.name: t for t in report.tests if t.hidden}
    assert hidden["hidden_negatives"].message == "A hidden test with negative numbers failed."
    text = " ".join(t.message + t.output for t in hidden.values()) + report.message
    for secret in ("-3", "-4", "-7", "0.1", "0.2", "0.3", "'ab'", "abc", "called with"):
        assert secret not in text


def test_the_reference_values_never_reach_the_sandbox(add_reference):
    payload = prepare_tests(ADD_TESTS, add_reference.checks).payload
    assert b"abc" not in payload and b"-7" not in payload  # the inputs go in; the answers stay here


def test_floats_compare_within_a_tolerance_and_types_exactly():
    assert observations_match(Observation(0.30000000000000004), Observation(0.3), "value")
    assert not observations_match(Observation(0.3), Observation(0.31), "value")
    assert not observations_match(Observation(1), Observation(True), "value")
    assert not observations_match(Observation(1), Observation(1.0), "value")
    assert not observations_match(Observation([1, 2]), Observation((1, 2)), "value")
    assert observations_match(Observation(["Paris", 2, True]), Observation(["Oslo", 5, False]), "types")
    assert not observations_match(Observation(["Paris", 2, True]), Observation(["Oslo", "5", False]), "types")
    assert observations_match(Observation(None, "KeyError"), Observation(None, "KeyError"), "value")
    assert not observations_match(Observation(None, "KeyError"), Observation(None, "KeyError*"), "value")


def test_a_check_that_expects_an_exception_passes_when_the_code_raises_it(grader):
    solution = "def first(items):\n    return items[0]\n"
    checks = (HiddenCheck("empty", "an empty list", "return first([])"),)
    reference = grader.observe(solution, ["def test_first():\n    assert first([4]) == 4"], checks)
    assert reference.observations["empty"] == Observation(None, "IndexError")
    lenient = "def first(items):\n    return items[0] if items else None\n"
    assert grader.grade(solution, ["def test_first():\n    assert first([4]) == 4"], reference=reference).passed
    assert not grader.grade(lenient, ["def test_first():\n    assert first([4]) == 4"], reference=reference).passed


def test_a_reference_solution_that_cannot_be_observed_is_refused(grader):
    with pytest.raises(InvalidTests, match="could not be observed"):
        grader.observe("def add(a, b):\n    while True:\n        pass\n", ["def test_x():\n    pass"],
                       (HiddenCheck("spin", "a loop", "return add(1, 2)"),))


# --- tampering: each fools the visible tests; none earns the verdict ----------------------------------

REACH_THE_RUNNER = """
import sys
frame = sys._getframe()
while frame is not None and "run" not in frame.f_locals:
    frame = frame.f_back
run = frame.f_locals["run"]
"""
TAMPERING = {
    "builtins_through_dunder_all":
        "__builtins__ = dict(__builtins__, isinstance=lambda *a: True, len=lambda o: 1)\n"
        "__all__ = ['__builtins__', 'city', 'population', 'is_capital', 'add']\n"
        "city = ''\npopulation = 'many'\nis_capital = 1\ndef add(a, b):\n    return 5\n",
    "redefined_isinstance":
        "def isinstance(obj, kind):\n    return True\ncity = 'x'\npopulation = 5.5\nis_capital = 'yes'\n"
        "def add(a, b):\n    return 5 if (a, b) == (2, 3) else 7\n",
    "class_property_spoofing_isinstance":
        "class Fake:\n    @property\n    def __class__(self):\n        return int\n"
        "    def __eq__(self, other):\n        return True\n"
        "city = 'x'\npopulation = Fake()\nis_capital = True\ndef add(a, b):\n    return Fake()\n",
    "frame_walk_marks_tests_passed": REACH_THE_RUNNER +
        "for name in ['test_city_exists', 'test_population_exists', 'test_is_capital_exists', 'test_add',\n"
        "             'test_add_zero']:\n    run.emit('result', name, 'pass', '', '')\n"
        "import os\nos._exit(0)\n",
    "patched_runner_functions": REACH_THE_RUNNER +
        "main = sys.modules['__main__']\n"
        "main._run_one_test = lambda run, namespace, name: run.emit('result', name, 'pass', '', '')\n"
        "main._run_one_observation = lambda run, namespace, name, code: run.emit('observed', name, 5, None)\n",
    "always_equal_results":
        "class AlwaysEqual:\n    def __eq__(self, other):\n        return True\n"
        "city = population = is_capital = AlwaysEqual()\ndef add(a, b):\n    return AlwaysEqual()\n",
}


@pytest.mark.parametrize("attack", TAMPERING)
def test_tampering_never_earns_a_verdict(grader, attack, add_reference, variables_reference):
    for tests, reference in ((VARIABLES_TESTS, variables_reference), (ADD_TESTS, add_reference)):
        report = grader.grade(TAMPERING[attack], tests, reference=reference)
        assert report.status != "pass", (attack, report)
        assert any(t.hidden and t.status != "pass" for t in report.tests) or report.status == "error", report


@pytest.mark.parametrize(("attack", "tests"), [
    ("redefined_isinstance", VARIABLES_TESTS), ("patched_runner_functions", VARIABLES_TESTS),
    ("patched_runner_functions", ADD_TESTS), ("class_property_spoofing_isinstance", ADD_TESTS),
    ("always_equal_results", ADD_TESTS),
])
def test_without_a_reference_the_same_tampering_fools_the_visible_tests(grader, attack, tests):
    """Control: these attacks are real, so the test above measures the reference, not a weak attack."""
    assert grader.grade(TAMPERING[attack], tests).status == "pass"


PIZZA_SOLUTION = "guests = 23\nslices_per_guest = 3\nslices = guests * slices_per_guest\n"
PIZZA_TESTS = ["def test_slices():\n    assert slices == 69"]
PIZZA_CHECKS = (HiddenCheck("party", "another party size",
                            "ns = rerun(guests=31, slices_per_guest=2)\nreturn ns['slices']"),)


def test_rerun_gives_the_code_other_given_values_so_typed_answers_fail(grader):
    reference = grader.observe(PIZZA_SOLUTION, PIZZA_TESTS, PIZZA_CHECKS)
    assert reference.observations["party"] == Observation(62)
    typed = "guests = 23\nslices_per_guest = 3\nslices = 69\n"
    assert grader.grade(typed, PIZZA_TESTS).passed  # the visible test cannot tell
    assert not grader.grade(typed, PIZZA_TESTS, reference=reference).passed
    other_formula = "guests = 23\nslices_per_guest = 3\nslices = sum(slices_per_guest for _ in range(guests))\n"
    assert grader.grade(other_formula, PIZZA_TESTS, reference=reference).passed


def test_a_learner_defined_rerun_is_not_the_one_the_checks_call(grader):
    reference = grader.observe(PIZZA_SOLUTION, PIZZA_TESTS, PIZZA_CHECKS)
    cheat = "guests = 23\nslices_per_guest = 3\nslices = 69\ndef rerun(**given):\n    return {'slices': 62}\n"
    assert not grader.grade(cheat, PIZZA_TESTS, reference=reference).passed

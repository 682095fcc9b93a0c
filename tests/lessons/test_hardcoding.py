"""The hard-coded attack: built from a reference solution and its visible tests, it passes those tests."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest

from services.grader import Grader
from services.lessons.hardcoding import build_hardcoded_attack

LESSONS = Path(__file__).resolve().parents[2] / "content" / "lessons" / "python"

# Module values, function tables, a class replaying results in call order, a 50-deep argument, kept imports.
ATTACKED_LESSONS = [
    "beginner/numbers.json", "beginner/strings.json", "beginner/conditionals.json", "beginner/dictionaries.json",
    "advanced/collections-module.json", "advanced/memoization.json", "advanced/stacks-and-queues.json",
    "advanced/recursion.json", "intermediate/function-arguments.json",
]


@pytest.fixture(scope="module")
def grader() -> Grader:
    return Grader()


def load(code: str) -> dict:
    namespace: dict = {}
    exec(compile(code, "<attack>", "exec"), namespace)  # noqa: S102 - source this suite just generated
    return namespace


@pytest.mark.parametrize("name", ATTACKED_LESSONS)
def test_with_only_visible_tests_the_attack_passes_the_lesson(grader, name):
    lesson = json.loads((LESSONS / name).read_text(encoding="utf-8"))
    attack = build_hardcoded_attack(lesson["solution"], lesson["tests"])
    assert attack.code is not None, attack.note
    computing = (ast.For, ast.While, ast.If, ast.comprehension, ast.BinOp, ast.Lambda)
    assert not [node for node in ast.walk(ast.parse(attack.code)) if isinstance(node, computing)], \
        "the attack only looks answers up: no loops, branches or arithmetic"
    report = grader.grade(attack.code, lesson["tests"])
    assert report.passed, [(t.name, t.message) for t in report.tests if t.status != "pass"]
    starter = grader.grade(lesson["starter"], lesson["tests"])
    assert not starter.passed, "the lesson's starter passes, so the attack proves nothing"


def test_a_function_becomes_a_table_of_the_calls_the_tests_make():
    solution = ("import math\n\ndef area(r, *, rounded=False):\n    a = math.pi * r * r\n"
                "    return round(a) if rounded else a\n")
    tests = ["def test_area():\n    assert area(1) == math.pi\n    assert area(2, rounded=True) == 13\n",
             "def test_fails_but_still_calls():\n    assert area(3) == 0\n"]
    attack = build_hardcoded_attack(solution, tests)
    assert attack.code is not None and attack.code.startswith("import math\n"), attack.code
    assert "def area(*args, **kwargs):" in attack.code and "math.pi *" not in attack.code
    assert attack.note == "tabulated area: 3 calls"
    area = load(attack.code)["area"]
    assert area(1) == 3.141592653589793 and area(2, rounded=True) == 13 and area(3) == 28.274333882308138
    assert area(2) is None, "a call the tests never made has no answer"


def test_results_are_fresh_and_only_the_tests_own_calls_are_recorded():
    solution = ("def flatten(items):\n    out = []\n    for item in items:\n"
                "        out.extend(flatten(item) if isinstance(item, list) else [item])\n    return out\n")
    tests = ["def test_flatten():\n    assert flatten([1, [2, [3]]]) == [1, 2, 3]\n"]
    attack = build_hardcoded_attack(solution, tests)
    assert attack.note == "tabulated flatten: 1 call", "the recursive calls are the solution's, not the tests'"
    flatten = load(attack.code)["flatten"]
    first = flatten([1, [2, [3]]])
    first.append("changed")
    assert flatten([1, [2, [3]]]) == [1, 2, 3], "each call builds its answer anew, as written-out literals do"


def test_a_generator_function_returns_an_iterator_over_the_items_the_test_took():
    solution = "def countdown(n):\n    while n > 0:\n        yield n\n        n -= 1\n"
    tests = ["def test_countdown():\n    assert list(countdown(3)) == [3, 2, 1]\n    gen = countdown(100)\n"
             "    assert next(gen) == 100 and next(gen) == 99\n"]
    attack = build_hardcoded_attack(solution, tests)
    assert attack.note == "tabulated countdown: 2 calls"
    assert "return _iter({" in attack.code
    countdown = load(attack.code)["countdown"]
    assert list(countdown(3)) == [3, 2, 1] and list(countdown(100)) == [100, 99]
    assert hasattr(countdown(3), "__next__") and list(countdown(7)) == []


def test_a_class_becomes_a_stand_in_that_replays_its_results_in_call_order():
    solution = '''
class Base(ValueError):
    pass


class Tally(Base):
    unit = "points"

    def __init__(self, start=0):
        self.total = start

    def add(self, amount):
        self.total += amount
        return self.value()

    def value(self):
        return self._checked(self.total)

    def _checked(self, value):
        return value
'''
    tests = ["def test_tally():\n    t = Tally(1)\n    assert t.add(2) == 3\n    assert t.value() == 3\n"
             "    assert t.add(2) == 5\n    assert Tally().value() == 0\n    assert isinstance(t, ValueError)\n"]
    attack = build_hardcoded_attack(solution, tests)
    assert attack.code is not None, attack.note
    assert "class Base(ValueError):" in attack.code and "class Tally(Base):" in attack.code
    assert "_checked" not in attack.code, "private methods are the solution's business, not the tests'"
    assert attack.note == "tabulated Base: 0 answers, Tally: 5 answers", "4 method results and 1 attribute"
    Tally = load(attack.code)["Tally"]
    t = Tally("any", "thing", at=all)
    assert Tally.unit == "points" and isinstance(t, ValueError)
    assert [t.add(2), t.value(), t.add(2), t.value(), t.value()] == [3, 3, 5, 0, None], \
        "add's internal value() call was not recorded; the answers run out after the recorded calls"


def test_what_cannot_be_tabulated_is_named_in_the_note():
    solution = ("import re\nPATTERN = re.compile('a+')\nCONFIG = {'retries': (1, 2), 'tags': {'x'}}\n"
                "shout = lambda s: s.upper()\n"
                "def make_adder(n):\n    return lambda x: x + n\n"
                "def count(text):\n    return len(PATTERN.findall(text))\n"
                "def size(items):\n    return len(list(items))\n")
    tests = ["def test_all():\n    assert make_adder(1)(2) == 3\n    assert count('aa b a') == 2\n"
             "    assert size(iter('aa')) == 2\n    assert shout('hi') == 'HI'\n"]
    attack = build_hardcoded_attack(solution, tests)
    assert attack.code is not None and "import re" in attack.code
    assert "CONFIG = {'retries': (1, 2), 'tags': {'x'}}" in attack.code
    assert attack.note == (
        "tabulated 1 value (CONFIG), shout: 1 call, make_adder: 0 calls, count: 1 call, size: 0 calls; left out "
        "PATTERN (a Pattern, not plain data), make_adder: 1 call whose result is not plain data, "
        "size: 1 call with arguments that are not plain data"
    ), "the `re` the import binds is not missing: the import is kept"
    namespace = load(attack.code)
    assert namespace["shout"]("hi") == "HI" and namespace["make_adder"](1) is None


def test_values_nested_too_deep_for_the_parser_are_left_out():
    solution = "def nest(n):\n    return [nest(n - 1)] if n else []\n"
    tests = ["def test_nest():\n    assert nest(3) == [[[[]]]]\n    assert len(nest(150)) == 1\n"]
    attack = build_hardcoded_attack(solution, tests)
    assert attack.note == "tabulated nest: 1 call; left out nest: 1 call whose result is not plain data"
    assert load(attack.code)["nest"](3) == [[[[]]]]


def test_builtins_shadowed_by_the_solution_are_tabulated_too():
    solution = "def repr(x):\n    return 'r'\n\ndef iter(x):\n    return [x]\n\ndef sum(xs):\n    return 0\n"
    tests = ["def test_shadows():\n    assert repr(1) == 'r' and iter(2) == [2] and sum([1, 2]) == 0\n"]
    attack = build_hardcoded_attack(solution, tests)
    namespace = load(attack.code)
    assert namespace["repr"](1) == "r" and namespace["iter"](2) == [2] and namespace["sum"]([1, 2]) == 0


@pytest.mark.parametrize(("solution", "reason"), [
    ("def f(:\n", "the reference solution is not valid Python"),
    ("x = 1 / 0\n", "the reference solution raised ZeroDivisionError: division by zero while loading"),
    ("def greet():\n    return print\n",
     "nothing could be tabulated; left out greet: 1 call whose result is not plain data"),
    ("import time\ndef greet():\n    while True:\n        time.sleep(0.05)\n",
     "running the reference solution's tests took more than 1 s"),
])
def test_no_attack_when_nothing_can_be_tabulated(solution, reason):
    attack = build_hardcoded_attack(solution, ["def test_greet():\n    assert greet()\n"], timeout=1)
    assert attack.code is None and attack.note.startswith(reason), attack.note


def test_the_recording_runs_in_another_process_with_no_environment_in_an_empty_directory(monkeypatch):
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-for-lesson-code")
    solution = ("import os\nprint('printing does not disturb the recording')\nENVIRONMENT = sorted(os.environ)\n"
                "FILES = os.listdir('.')\nPROCESS = os.getpid()\n")
    attack = build_hardcoded_attack(solution, ["def test_prints():\n    print(ENVIRONMENT)\n"])
    namespace = load(attack.code)
    assert namespace["ENVIRONMENT"] == ["LANG"] and namespace["FILES"] == []
    assert namespace["PROCESS"] != os.getpid()

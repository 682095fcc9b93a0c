"""Ordinary grading: the seed example, messages, output, probes and the public API's contract."""

import glob
import os
import tempfile
import threading

import pytest

from services.grader import (
    PRELOADED_MODULES,
    CodeTooLarge,
    EmptySubmission,
    Grader,
    GradingInputError,
    InvalidTests,
    Limits,
    Probe,
    Report,
    UnknownLanguage,
    get_language,
    grade,
)
from tests.grader.conftest import FAKE_SECRET, report_text
from tests.grader.seed_example import CORRECT_SOLUTION, MISSING_POPULATION, VARIABLES_TESTS

NAMES = ["test_city_exists", "test_population_exists", "test_is_capital_exists"]


def one_test(body: str) -> list[str]:
    return ["def test_it():\n" + "".join(f"    {line}\n" for line in body.splitlines())]


# --- the seed's variables.json example, through the module-level entry point ---------------------

def test_seed_example_correct_solution_passes_all_three():
    report = grade(CORRECT_SOLUTION, VARIABLES_TESTS)
    assert report.status == "pass"
    assert [(t.name, t.status) for t in report.tests] == [(n, "pass") for n in NAMES]
    assert report.duration_ms > 0


def test_seed_example_missing_population_fails_exactly_that_test_with_the_seed_message():
    report = grade(MISSING_POPULATION, VARIABLES_TESTS)
    assert report.status == "fail"
    assert [t.status for t in report.tests] == ["pass", "fail", "pass"]
    assert report.tests[1].message == "Variable population not found"


def test_wrong_type_gets_the_seeds_second_message(grader):
    report = grader.grade('city = "Oslo"\npopulation = "many"\nis_capital = True\n', VARIABLES_TESTS)
    assert [t.status for t in report.tests] == ["pass", "fail", "pass"]
    assert report.tests[1].message == "population should be an integer"


# --- output -------------------------------------------------------------------------------------

def test_output_is_captured_per_test_and_at_load(grader):
    code = "print('loading')\ndef shout(x):\n    print('shouting', x)\n    return x\n"
    tests = ["def test_a():\n    assert shout(1) == 1", "def test_b():\n    assert shout(2) == 2"]
    report = grader.grade(code, tests)
    assert report.output == "loading\n"
    assert [t.output for t in report.tests] == ["shouting 1\n", "shouting 2\n"]


def test_output_is_capped_with_a_marker():
    limits = Limits(output_bytes=100)
    report = Grader(limits).grade("def f():\n    print('x' * 1000)\n    return 1\n", one_test("assert f() == 1"))
    output = report.tests[0].output
    assert output.startswith("x" * 100)
    assert output.endswith("[output truncated]")
    assert len(output) < 150


def test_binary_writes_to_stdout_buffer_are_captured_too(grader):
    code = "import sys\ndef f():\n    sys.stdout.buffer.write('caf\u00e9'.encode())\n    return 1\n"
    report = grader.grade(code, one_test("assert f() == 1"))
    assert report.status == "pass", report
    assert report.tests[0].output == "caf\u00e9"


def test_a_lone_surrogate_is_printed_as_its_escape_without_a_truncation_marker(grader):
    report = grader.grade("def f():\n    print('caf\\udce9')\n    return 1\n", one_test("assert f() == 1"))
    assert report.status == "pass", report
    assert report.tests[0].output == "caf\\udce9\n"


def test_control_characters_and_quotes_in_output_and_messages_come_back_exactly(grader):
    code = "def f():\n    print('a\\x00\\x1b[31m\"\\\\\\t')\n    raise ValueError('bad \\x07 \"value\"')\n"
    report = grader.grade(code, one_test("f()"))
    assert report.tests[0].output == 'a\x00\x1b[31m"\\\t\n'
    assert report.tests[0].message.startswith('ValueError: bad \x07 "value"')


def test_non_ascii_identifiers_are_graded(grader):
    report = grader.grade("citt\u00e0 = 'Roma'\n\u00e9t\u00e9 = 2024\n",
                          one_test("assert citt\u00e0 == 'Roma'\nassert \u00e9t\u00e9 == 2024"))
    assert report.status == "pass", report


def test_input_gets_a_clear_eof(grader):
    report = grader.grade("def ask():\n    return input('name? ')\n", one_test("assert ask() == 'x'"))
    assert report.tests[0].message.startswith("EOFError")


# --- the test namespace ---------------------------------------------------------------------------

BUILD_YOUR_OWN_LIST_OPERATIONS = """
def filter(predicate, items):
    return [item for item in items if predicate(item)]

def map(function, items):
    return [function(item) for item in items]

def length(items):
    count = 0
    for _ in items:
        count += 1
    return count
"""


def test_names_that_shadow_builtins_are_the_learners_in_the_tests(grader):
    """A classic exercise: implement filter and map. The tests must call the learner's, as pytest's
    `from solution import *` would (they once got the builtins: `assert <filter object ...> == []`)."""
    tests = ["def test_filter():\n    assert filter(lambda n: n > 1, [1, 2, 3]) == [2, 3]\n"
             "    assert filter(lambda n: n > 5, []) == []",
             "def test_map():\n    assert map(str, [1, 2]) == ['1', '2']",
             "def test_length():\n    assert length(map(abs, [-1, 2])) == 2"]
    report = grader.grade(BUILD_YOUR_OWN_LIST_OPERATIONS, tests)
    assert report.status == "pass", report


def test_dunder_names_in_dunder_all_are_not_handed_to_the_tests(grader):
    """`__all__ = ['__builtins__']` once gave the tests the learner's patched builtins."""
    code = "__builtins__ = dict(__builtins__, isinstance=lambda *a: True)\n__all__ = ['__builtins__', 'value']\n" \
        "value = 'text'\n"
    report = grader.grade(code, one_test("assert isinstance(value, int)"))
    assert report.status == "fail", report


def test_dunder_all_is_respected_like_from_import_star(grader):
    code = "__all__ = ['shown']\nshown = 1\nhidden = 2\n"
    report = grader.grade(code, one_test("assert 'shown' in globals()\nassert 'hidden' not in globals()"))
    assert report.status == "pass", report


def test_tests_may_import_every_preloaded_module(grader):
    imports = "\n".join(f"import {name}" for name in PRELOADED_MODULES)
    body = imports + "\nassert math.sqrt(16) == 4\nassert json.loads('[1]') == [1]\n" \
        "assert str(decimal.Decimal('1.1') + 1) == '2.1'\nassert fractions.Fraction(1, 3) * 3 == 1\n" \
        "assert statistics.mean([1, 2, 3]) == 2\nassert datetime.date(2024, 1, 2).isoformat() == '2024-01-02'"
    report = Grader().grade("x = 1\n", one_test(body))
    assert report.status == "pass", report


def test_the_standard_modules_a_learner_expects_work(grader):
    body = ("import datetime, calendar, threading\n"
            "assert datetime.datetime.strptime('2024-03-05', '%Y-%m-%d').day == 5\n"
            "assert calendar.isleap(2024) and calendar.monthrange(2023, 2)[1] == 28\n"
            "assert threading.Lock().acquire()\n"
            "assert isinstance(threading.current_thread().name, str)")
    report = grader.grade("x = 1\n", one_test(body))
    assert report.status == "pass", report


def test_starting_a_thread_fails_clearly(grader):
    report = grader.grade("import threading\nthreading.Thread(target=print).start()\n", VARIABLES_TESTS)
    assert report.status == "error"
    assert "RuntimeError: can't start new thread" in report.message


def test_other_modules_are_unavailable_with_a_clear_message(grader):
    report = grader.grade("import subprocess\n", VARIABLES_TESTS)
    assert report.status == "error"
    assert "No module named 'subprocess' here; the grader provides: math" in report.message


# --- probes -----------------------------------------------------------------------------------------

def test_probes_pass_and_fail_on_the_server_side_comparison(grader):
    code = "def add(a, b):\n    return a + b\n"
    tests = [Probe("test_sum", "add(2, 3)", 5), Probe("test_wrong", "add(2, 2)", 5),
             Probe("test_type", "add(True, False)", True), "def test_plain():\n    assert add(1, 1) == 2"]
    report = grader.grade(code, tests)
    assert [t.status for t in report.tests] == ["pass", "fail", "fail", "pass"]
    assert report.tests[1].message == "add(2, 2) returned 4, expected 5"


# --- input errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["", "   \n\t  "])
def test_empty_code_is_refused(grader, code):
    with pytest.raises(EmptySubmission, match="empty"):
        grader.grade(code, VARIABLES_TESTS)


def test_wrong_types_are_refused_clearly(grader):
    with pytest.raises(GradingInputError, match="must be text"):
        grader.grade(b"x = 1", VARIABLES_TESTS)
    with pytest.raises(InvalidTests):
        grader.grade("x = 1", "def test_a(): pass")
    with pytest.raises(InvalidTests):
        grader.grade("x = 1", [42])
    with pytest.raises(InvalidTests, match="no tests"):
        grader.grade("x = 1", [])
    with pytest.raises(InvalidTests, match="does not define a test"):
        grader.grade("x = 1", ["x = 2"])
    with pytest.raises(InvalidTests, match="not valid Python"):
        grader.grade("x = 1", ["def test_a(:"])
    with pytest.raises(InvalidTests, match="share the name"):
        grader.grade("x = 1", ["def test_a(): pass", "def test_a(): pass"])


def test_unknown_language_is_refused(grader):
    with pytest.raises(UnknownLanguage, match="'cobol' cannot be graded; supported: python"):
        grader.grade("x = 1", VARIABLES_TESTS, language="cobol")
    with pytest.raises(UnknownLanguage):
        get_language(None)
    assert callable(get_language("python"))


def test_code_over_the_limit_is_refused_before_running():
    with pytest.raises(CodeTooLarge, match="25 characters long; the limit is 20"):
        Grader(Limits(max_code_chars=20)).grade("x = 1  # " + "a" * 16, VARIABLES_TESTS)


def test_limits_defaults_and_validation():
    assert Limits() == Limits(cpu_seconds=4, wall_seconds=8, test_cpu_seconds=1, memory_mb=256,
                              output_bytes=65536, max_code_chars=20000)
    with pytest.raises(ValueError, match="positive"):
        Limits(cpu_seconds=0)


# --- reports, environment, concurrency ------------------------------------------------------------

def test_report_to_dict_is_json_ready(grader):
    data = grader.grade(MISSING_POPULATION, VARIABLES_TESTS).to_dict()
    assert data["status"] == "fail" and data["busy"] is False
    assert data["tests"][1] == {"name": "test_population_exists", "status": "fail",
                                "message": "Variable population not found", "output": "", "hidden": False}


def test_sandbox_environment_has_nothing_of_the_parents(grader):
    code = "import os\nenvironment = dict(os.environ)\nprint(environment)\n"
    report = grader.grade(code, one_test("assert environment == {'LANG': 'C.UTF-8'}"))
    assert report.status == "pass", report
    assert FAKE_SECRET not in report_text(report)


def test_temporary_directories_are_removed(grader, tmp_path, monkeypatch):
    # A private temp root: other processes grading at the same time must not show up here.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pattern = os.path.join(tmp_path, "grade-*")
    assert grader.grade(CORRECT_SOLUTION, VARIABLES_TESTS).status == "pass"
    assert glob.glob(pattern) == []
    grader.grade("while True: pass\n", VARIABLES_TESTS)
    assert glob.glob(pattern) == []


def test_dataclasses_with_postponed_annotations_load(grader):
    """`from __future__ import annotations` + @dataclass crashed while loading: dataclasses looks the
    defining module up in sys.modules, where the learner's module was not registered."""
    code = "from __future__ import annotations\nfrom dataclasses import dataclass, field\n\n" \
        "@dataclass\nclass Task:\n    title: str\n    tags: list[str] = field(default_factory=list)\n" \
        "    done: ClassVar[bool] = False\n\nfrom typing import ClassVar\n"
    report = grader.grade(code, one_test("assert Task('x').tags == []\nassert Task.__module__ == 'solution'"))
    assert report.status == "pass", report


def test_future_imports_work_in_typed_code(grader):
    code = "from __future__ import annotations\ndef total(values: list[int]) -> int:\n    return sum(values)\n"
    assert grader.grade(code, one_test("assert total([1, 2]) == 3")).status == "pass"


def test_busy_grader_answers_busy_instead_of_piling_up():
    busy = Grader(Limits(wall_seconds=3, cpu_seconds=1), concurrency=1, queue_timeout_seconds=0.2)
    slow = threading.Thread(target=busy.grade, args=("import time\ntime.sleep(2)\n", VARIABLES_TESTS))
    slow.start()
    try:
        threading.Event().wait(0.3)
        report = busy.grade(CORRECT_SOLUTION, VARIABLES_TESTS)
    finally:
        slow.join()
    assert report.busy and report.status == "error"
    assert report.message == "The grader is busy right now - please try again in a few seconds."
    assert [t.name for t in report.tests] == NAMES
    assert busy.grade(CORRECT_SOLUTION, VARIABLES_TESTS).status == "pass"


def test_two_concurrent_gradings_both_complete():
    shared = Grader(concurrency=2)
    results: list[Report] = []
    threads = [threading.Thread(target=lambda: results.append(shared.grade(CORRECT_SOLUTION, VARIABLES_TESTS)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.status for r in results] == ["pass"] * 4

"""Messages: pytest-like asserts, the author's words with the values compared, errors in words."""

import pytest

from tests.grader.conftest import report_text
from tests.grader.seed_example import VARIABLES_TESTS
from tests.grader.test_grading import NAMES, one_test

# --- messages -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("assertion", "expected"), [
    ("assert 3 == 4", "assert 3 == 4"),
    ("assert 'a' in ['b']", "assert 'a' in ['b']"),
    ("assert add(1, 2) == 4", "assert 3 == 4\n  where 3 = add(1, 2)"),
    ("assert isinstance(add(1, 2), str)", "assert isinstance(3, str)"),
    ("assert not add(1, 2)", "assert not 3\n  where 3 = add(1, 2)"),
    ("assert add(0, 0)", "assert 0\n  where 0 = add(0, 0)"),
    ("assert add(1, 2) == 4, 'add is wrong'", "3 != 4\nadd is wrong"),  # the values, then the message
])
def test_assertion_messages_are_pytest_like(grader, assertion, expected):
    report = grader.grade("def add(a, b):\n    return a + b\n", one_test(assertion))
    assert report.status == "fail"
    assert report.tests[0].message == expected


def test_rewritten_assert_evaluates_each_part_once(grader):
    code = "calls = []\ndef tick():\n    calls.append(1)\n    return len(calls)\n"
    report = grader.grade(code, one_test("assert tick() == 1\nassert len(calls) == 1"))
    assert report.status == "pass", report


def test_error_in_learner_code_names_type_and_learners_line(grader):
    code = "def divide(a, b):\n    x = a\n    return x / b\n"
    report = grader.grade(code, one_test("assert divide(1, 0) == 0"))
    message = report.tests[0].message
    assert report.tests[0].status == "error"
    assert message == "ZeroDivisionError: division by zero (line 3 of your code)"


def test_error_in_test_code_for_a_missing_function(grader):
    report = grader.grade("x = 1\n", one_test("assert add(1, 2) == 3"))
    assert report.tests[0].status == "error"
    assert report.tests[0].message == ("Your code does not define `add`. Check the spelling; did you print the "
                                       "answer instead of returning it?")


def test_a_name_error_inside_the_learners_code_keeps_its_line(grader):
    report = grader.grade("def add(a, b):\n    return a + c\n", one_test("assert add(1, 2) == 3"))
    assert report.tests[0].message == "NameError: name 'c' is not defined (line 2 of your code)"


def test_open_says_files_are_not_part_of_the_exercise(grader):
    report = grader.grade("def read():\n    return open('data.txt').read()\n", one_test("assert read() == ''"))
    assert report.tests[0].message == ("OSError: files are not part of this exercise: the code runs without a file "
                                       "system, so open() fails (line 2 of your code)")


def test_syntax_error_points_at_the_learners_line_with_a_caret(grader):
    report = grader.grade("x = 1\ny = = 2\n", VARIABLES_TESTS)
    assert report.status == "error"
    assert report.message == "SyntaxError: invalid syntax (line 2)\n    y = = 2\n        ^"
    assert [t.status for t in report.tests] == ["error"] * 3


def test_error_while_loading_is_reported_with_line_and_all_tests_listed(grader):
    report = grader.grade("city = 'x'\nraise ValueError('nope')\n", VARIABLES_TESTS)
    assert report.status == "error"
    assert "ValueError: nope (line 2 of your code)" in report.message
    assert [t.name for t in report.tests] == NAMES


@pytest.mark.parametrize("code", [
    "x = 1\ny = = 2\n",
    "def f():\n    return 1/0\nf()\n",
    "import numpy\n",
])
def test_messages_never_show_paths_or_runner_internals(grader, code):
    text = report_text(grader.grade(code, VARIABLES_TESTS))
    for leak in ("/", "sandbox_runner", "Traceback", "site-packages", "@"):
        assert leak not in text.replace(" / ", "").replace("1/0", ""), (leak, text)


# --- messages: the author's words and what the code returned ---------------------------------------

def test_a_custom_message_comes_with_the_values_compared(grader):
    code = "def greet():\n    return 'Hello World!'\n"
    report = grader.grade(code, one_test("assert greet() == 'Hello, World!', 'greet() should greet the world'"))
    assert report.tests[0].message == ("'Hello World!' != 'Hello, World!'\n"
                                       "first difference at index 5: ' ' != ',' ('Hello World!' vs 'Hello, World!')\n"
                                       "lengths differ: 12 != 13\n"
                                       "greet() should greet the world")


def test_long_sequences_say_where_they_first_differ_and_their_lengths(grader):
    code = "def squares():\n    return [n * n for n in range(40)] + [1]\n"
    expected = [n * n for n in range(40)]
    expected[31] = 967
    report = grader.grade(code, one_test(f"assert squares() == {expected!r}"))
    message = report.tests[0].message
    assert "first difference at index 31: 961 != 967" in message
    assert "lengths differ: 41 != 40" in message


def test_a_check_against_the_namespace_shows_the_message_only(grader):
    report = grader.grade("x = 1\n", one_test("assert 'population' in globals(), 'Variable population not found'"))
    assert report.tests[0].message == "Variable population not found"

"""Test styles lesson authors write: unittest TestCases (subTest: a result per failed variation) and
pytest's raises / approx / parametrize (a result per case), through shims inside the sandbox."""

from services.grader import Grader, Limits

SQUARE_ROOT = "import math\n\ndef square_root(x):\n    if x < 0:\n        raise ValueError('negative input')\n" \
    "    return math.sqrt(x)\n"
NO_CHECK = "import math\n\ndef square_root(x):\n    return math.sqrt(abs(x))\n"

UNITTEST = '''
import unittest

class TestSquareRoot(unittest.TestCase):
    def setUp(self):
        self.values = [0, 1, 4, 9]

    def test_values(self):
        for value in self.values:
            with self.subTest(value=value):
                self.assertAlmostEqual(square_root(value) ** 2, value)

    def test_negative(self):
        with self.assertRaises(ValueError):
            square_root(-1)

    def test_type(self):
        self.assertIsInstance(square_root(4), float, "square_root returns a float")
'''

PYTEST = '''
import pytest

@pytest.mark.parametrize("value, expected", [(0, 0.0), (2, 1.4142135), (9, 3.0)])
def test_values(value, expected):
    assert square_root(value) == pytest.approx(expected)

def test_negative():
    with pytest.raises(ValueError, match="negative"):
        square_root(-1)
'''


def test_unittest_cases_are_collected_per_method_and_pass(grader):
    report = grader.grade(SQUARE_ROOT, [UNITTEST])
    assert report.status == "pass", report
    assert [t.name for t in report.tests] == [
        "TestSquareRoot.test_values", "TestSquareRoot.test_negative", "TestSquareRoot.test_type"]


def test_assert_raises_says_what_was_expected_and_by_what(grader):
    report = grader.grade(NO_CHECK, [UNITTEST])
    negative = {t.name: t for t in report.tests}["TestSquareRoot.test_negative"]
    assert negative.status == "fail"
    assert negative.message == "expected ValueError to be raised by square_root(-1); nothing was raised"


def test_each_failed_subtest_variation_is_a_result_of_its_own(grader):
    wrong = "def square_root(x):\n    return x / 2 if x else 0.0\n"
    report = grader.grade(wrong, [UNITTEST])
    names = [(t.name, t.status) for t in report.tests]
    assert ("TestSquareRoot.test_values[value=1]", "fail") in names
    assert ("TestSquareRoot.test_values[value=9]", "fail") in names
    assert ("TestSquareRoot.test_values[value=4]", "fail") not in names  # 4 / 2 squared is 4
    assert ("TestSquareRoot.test_values", "fail") in names
    sub = {t.name: t for t in report.tests}["TestSquareRoot.test_values[value=9]"]
    assert sub.message.startswith("20.25 != 9 within 7 places")


def test_assert_equal_shows_both_values_and_the_message(grader):
    tests = ["import unittest\nclass TestGreet(unittest.TestCase):\n    def test_greet(self):\n"
             "        self.assertEqual(greet(), 'Hello, World!', 'greet() greets the world')\n"]
    report = grader.grade("def greet():\n    return 'Hello World!'\n", tests)
    assert report.tests[0].message.splitlines()[0] == "'Hello World!' != 'Hello, World!'"
    assert report.tests[0].message.splitlines()[-1] == "greet() greets the world"


def test_pytest_parametrize_gives_one_result_per_case(grader):
    report = grader.grade(SQUARE_ROOT, [PYTEST])
    assert report.status == "pass", report
    assert [t.name for t in report.tests] == [
        "test_values[0-0.0]", "test_values[2-1.4142135]", "test_values[9-3.0]", "test_negative"]


def test_pytest_raises_and_approx_fail_with_clear_messages(grader):
    report = grader.grade("def square_root(x):\n    return abs(x) ** 0.5 + 0.01\n", [PYTEST])
    results = {t.name: t for t in report.tests}
    assert results["test_values[9-3.0]"].status == "fail"
    assert "approx(3.0)" in results["test_values[9-3.0]"].message
    assert results["test_negative"].message == \
        "expected ValueError to be raised by square_root(-1); nothing was raised"


def test_pytest_raises_checks_the_message(grader):
    code = "def square_root(x):\n    raise ValueError('bad')\n"
    report = grader.grade(code, [PYTEST])
    negative = {t.name: t for t in report.tests}["test_negative"]
    assert negative.message == ("ValueError was raised by square_root(-1), but its message 'bad' does not "
                                "match 'negative'")


def test_styles_mix_with_plain_tests_and_helpers(grader):
    tests = ["LIMIT = 3\n\ndef values():\n    return range(LIMIT)\n\ndef test_helpers_are_not_tests():\n"
             "    assert [square_root(v * v) for v in values()] == [0.0, 1.0, 2.0]", PYTEST]
    report = grader.grade(SQUARE_ROOT, tests)
    assert report.status == "pass", report
    assert report.tests[0].name == "test_helpers_are_not_tests"


def test_a_subtest_flood_is_bounded():
    tests = ["import unittest\nclass TestMany(unittest.TestCase):\n    def test_all(self):\n"
             "        for n in range(500):\n            with self.subTest(n=n):\n                self.fail('no')\n"]
    report = Grader(Limits()).grade("x = 1\n", tests)
    assert report.status == "fail"
    assert 1 < len(report.tests) <= 51

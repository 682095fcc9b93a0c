import pytest

from services.ai.hint_check import check_hint

SOLUTION = """def summarize(numbers):
    smallest = min(numbers)
    largest = max(numbers)
    return smallest, largest, sum(numbers) / len(numbers)
"""


@pytest.mark.parametrize(
    "hint",
    [
        "Python has built-in functions for the smallest and the largest value of a list.",
        "The mean is the sum divided by how many numbers there are: `len()` counts them.",
        "Your function returns None. Use `return a, b, c` to give back three values at once.",
        "Check the test message: it expected (2, 6, 4.0).\nA tuple keeps its order.",
        "Try this one line in the console: `print(min([3, 1]))`",
        "```python\nprint(type(x))\n```\nThat shows the type.",
    ],
)
def test_helpful_hints_pass(hint):
    assert check_hint(hint, SOLUTION) == (True, "")


@pytest.mark.parametrize(
    ("hint", "reason"),
    [
        ("Write `smallest = min(numbers)` first.", "reference solution"),
        ("Just do: smallest=min( numbers )", "reference solution"),
        ("End with return smallest, largest, sum(numbers) / len(numbers)", "reference solution"),
        ("```python\nx = min(numbers)\ny = max(numbers)\n```", "code block"),
        ("Like this:\n\n    x = min(numbers)\n    y = max(numbers)\n", "more than one line of code"),
        ("Try:\ndef summarize(values):\n    return None", "more than one line of code"),
        ("x" * 601, "longer than"),
        ("   ", "empty"),
    ],
)
def test_hints_that_give_too_much_are_rejected(hint, reason):
    ok, why = check_hint(hint, SOLUTION)
    assert not ok and reason in why


def test_trivial_solution_lines_do_not_block_hints():
    ok, _ = check_hint(
        "You may need a loop; remember `pass` does nothing and `return None` is implicit.",
        "def f(x):\n    pass\n    return None\n",
    )
    assert ok


# --- the answer gate: normalised text, policies, behaviour, conversations, bad input ------------------

@pytest.mark.parametrize(
    "hint",
    [
        "End with `return smallest, largest, sum(values) / len(values)`.",  # renamed
        "The mean is `sum(numbers)/len(numbers)`.",                           # part of a line, spacing
        "Use mean = sum(nums) / len(nums) for the last value.",             # renamed, assigned
    ],
)
def test_normalised_reference_lines_are_rejected(hint):
    ok, why = check_hint(hint, SOLUTION)
    assert not ok and "reference solution" in why


def test_policies_per_surface():
    long_answer = "Sets keep each value once. " * 40  # ~1,100 characters
    assert check_hint(long_answer, SOLUTION)[0] is False
    assert check_hint(long_answer, SOLUTION, policy="chat") == (True, "")
    with pytest.raises(ValueError):
        check_hint("hello", SOLUTION, policy="nonsense")


def test_chat_may_quote_the_learners_own_lines():
    learner = "def summarize(numbers):\n    smallest = min(numbers)\n    largest = min(numbers)\n"
    answer = ("Look at your lines:\n```python\n    smallest = min(numbers)\n    largest = min(numbers)\n```\n"
              "Is the second one what you meant?")
    assert check_hint(answer, SOLUTION, learner_code=learner, policy="chat") == (True, "")
    assert check_hint(answer, SOLUTION, learner_code=learner, policy="hint")[0] is False


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("x" * 1_000_000, "longer than"),
        ("def summarize(numbers):\n    return min(numbers), max(numbers), 0\n", "more than one line of code"),
        ("tricky \ud800 surrogate", "not readable text"),
        (b"\xff\xfe not utf-8", "not readable text"),
        (None, "not readable text"),
    ],
)
def test_bad_input_gets_a_clear_verdict(text, reason):
    ok, why = check_hint(text, SOLUTION)
    assert not ok and reason in why


def test_utf8_bytes_are_read():
    assert check_hint("Sets keep each value once. ✓".encode(), SOLUTION) == (True, "")


def test_behaviour_needs_tests_and_a_grader():
    class Exploding:
        def grade(self, *args, **kwargs):
            raise AssertionError("no tests given: nothing may run")

    assert check_hint("Try `x = len(numbers) + 1`", SOLUTION, grader=Exploding()) == (True, "")


def test_tiny_reference_lines_may_be_quoted_but_not_lines_holding_values():
    solution = 'def mean(numbers):\n    if not numbers:\n        return 0.0\n    return sum(numbers) / len(numbers)\n'
    assert check_hint("Guard the empty case with `if not numbers:` first.", solution) == (True, "")
    ok, why = check_hint('Type exactly: city = "Lisbon"', 'city = "Lisbon"\n')
    assert not ok and "reference solution" in why

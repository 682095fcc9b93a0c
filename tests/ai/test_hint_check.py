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

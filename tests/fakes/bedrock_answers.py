"""Scripted answers of the fake Bedrock server, one per task, shaped like real model output."""

from __future__ import annotations

import re
from typing import Any

# Output tokens real models spend on these prompts (CodeLearn's limits, measured shapes): the fake
# never reports fewer, so the cost benchmark does not flatter the design.
TYPICAL_OUTPUT_TOKENS = {
    "lesson": 2400,
    "hint": 90,
    "quiz": 650,
    "explain": 450,
    "chat": 280,
    "review": 600,
    "debug": 380,
    "optimize": 380,
    "generate": 520,
    "explain_code": 300,
}


def _topic(body: dict[str, Any]) -> str:
    text = body["messages"][0]["content"][0]["text"]
    match = re.search(r"Topic: <learner>\n(.*?)\n</learner>", text, re.DOTALL)
    return match.group(1).strip() if match else "the topic"


def lesson_answer(body: dict[str, Any]) -> dict[str, Any]:
    topic = _topic(body)
    paragraph = (
        f"This lesson looks at {topic} through a small, practical problem: summarising a list of numbers. "
        "You will see how to walk through a list once, keep running values, and return several results "
        "together as a tuple. "
    )
    lesson = (
        f"# {topic.title()}\n\n{paragraph * 3}\n\n## Walking through a list\n\n"
        "```python\nnumbers = [3, 1, 4]\ntotal = 0\nfor n in numbers:\n    total += n\nprint(total)  # 8\n```\n\n"
        "## Returning several values\n\n"
        "```python\ndef low_high(values):\n    return min(values), max(values)\n\n"
        "print(low_high([3, 1, 4]))  # (1, 4)\n```\n"
    )
    return {
        "title": f"{topic.title()} in practice",
        "lesson": lesson,
        "challenge": "Write `summarize(numbers)` that returns a tuple `(smallest, largest, mean)` for a non-empty "
        "list of numbers. Example: `summarize([2, 4, 6])` returns `(2, 6, 4.0)`.",
        "starter": "def summarize(numbers):\n    # return (smallest, largest, mean)\n    pass\n",
        "solution": "def summarize(numbers):\n    return min(numbers), max(numbers), sum(numbers) / len(numbers)\n",
        "tests": [
            "def test_example():\n    assert summarize([2, 4, 6]) == (2, 6, 4.0), 'expected (2, 6, 4.0) for [2, 4, 6]'",
            "def test_single():\n    assert summarize([5]) == (5, 5, 5.0), 'one number is its own min, max and mean'",
            "def test_negative():\n    assert summarize([-1, 1]) == (-1, 1, 0.0), 'negative numbers count too'",
        ],
        "hints": [
            "Python has built-ins for the smallest and largest value.",
            "The mean is the sum divided by the count.",
        ],
        "concepts": ["lists", "tuples"],
    }


DEFAULT_ANSWERS: dict[str, Any] = {
    "lesson": lesson_answer,
    "hint": {"hint": "Look at the name the failing test asks for and compare it, letter by letter, with yours."},
    "explain_code": {"summary": "The code adds up the numbers it is given.",
                     "lines": [{"line": 1, "text": "Defines the function."}, {"line": 2, "text": "Starts at 0."}]},
    "quiz": {
        "questions": [
            {
                "question": "What does `len([1, 2, 3])` return?",
                "choices": ["2", "3", "4", "an error"],
                "answer": 1,
                "explanation": "len counts the items: three.",
            },
            {
                "question": "Which value is falsy?",
                "choices": ["'0'", "[0]", "0", "' '"],
                "answer": 2,
                "explanation": "The number zero is falsy; non-empty strings and lists are truthy.",
            },
            {
                "question": "What is `7 // 2`?",
                "choices": ["3.5", "3", "4", "1"],
                "answer": 1,
                "explanation": "// is floor division.",
            },
        ]
    },
    "explain": {
        "explanation": "A variable is a name that refers to a value. Assigning creates the name; using it "
        "reads the value.",
        "example": "age = 25\nprint(age)",
        "key_points": ["= assigns"],
    },
    "chat": {"answer": "Use type(x) to see a value's type, or isinstance(x, int) to check it in a condition."},
    "review": {
        "summary": "Readable code; two things to improve.",
        "issues": [{"line": 2, "severity": "warning", "message": "The default list is shared between calls."}],
        "strengths": ["Clear names"],
    },
    "debug": {
        "diagnosis": "The loop stops one item early.",
        "line": 3,
        "steps": ["Print the index on each turn.", "Compare range's end with the list length."],
    },
    "optimize": {
        "summary": "One suggestion.",
        "suggestions": [{"line": 2, "severity": "info", "message": "Use enumerate instead of range(len(...))."}],
        "before": "Now: one pass over the list, O(n) — about 1,000 steps for 1,000 items.",
        "after": "After: still O(n); enumerate makes it clearer, not faster.",
        "trade_off": "Trade-off: none — clearer code runs just as fast.",
    },
    "generate": {
        "code": "def is_even(n):\n    return n % 2 == 0\n",
        "explanation": "The remainder of n / 2 is 0 exactly when n is even.",
    },
}

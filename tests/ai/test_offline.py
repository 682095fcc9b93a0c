import pytest

from services.ai.errors import OfflineUnsupported
from services.ai.offline_hints import failing_tests, hint_from_failure
from services.ai.schema import validate
from services.ai.tasks import TASKS

PAYLOADS = {
    "hint": {
        "challenge": "Define city",
        "code": "City = 'x'",
        "failing_tests": [{"name": "test_city", "message": "Variable city not found"}],
    },
    "quiz": {"topic": "variables and data types"},
    "explain": {"concept": "variable names"},
    "chat": {"question": "How do I check the type of a variable?"},
    "review": {"code": "import os\ndef f(x=[]):\n    try:\n        return x == None\n    except:\n        pass\n"},
    "debug": {"code": "def f(:\n  pass"},
    "optimize": {"code": "out = []\nfor i in range(len(xs)):\n    out.append(xs[i])\n"},
    "generate": {"description": "check the type of a variable"},
}


@pytest.mark.parametrize("task", sorted(PAYLOADS))
def test_offline_answers_are_valid(offline, task):
    answer = offline.complete(TASKS[task], PAYLOADS[task])
    validate(answer.data, TASKS[task].schema)
    assert answer.model == "offline" and answer.input_tokens == 0


def test_offline_cannot_write_lessons(offline):
    with pytest.raises(OfflineUnsupported):
        offline.complete(TASKS["lesson"], {"language": "python", "level": "beginner", "topic": "graphs"})


def test_offline_answers_cite_lessons(offline):
    data = offline.complete(TASKS["chat"], PAYLOADS["chat"]).data
    assert data["citations"] and data["citations"][0]["lesson_id"].startswith("python-")
    assert "type(" in data["answer"]
    quiz = offline.complete(TASKS["quiz"], PAYLOADS["quiz"]).data
    assert quiz["citations"][0]["lesson_id"] == "python-variables"


def test_offline_review_and_debug_find_the_problems(offline):
    review = offline.complete(TASKS["review"], PAYLOADS["review"]).data
    messages = " ".join(i["message"] for i in review["issues"])
    assert "mutable default" in messages and "bare" in messages and "is None" in messages
    assert "`os` is imported but not used" in messages
    debug = offline.complete(TASKS["debug"], PAYLOADS["debug"]).data
    assert debug["line"] == 1 and "Syntax error" in debug["diagnosis"]
    undefined = offline.complete(TASKS["debug"], {"code": "print(totl)"}).data
    assert "totl" in undefined["diagnosis"]
    optimize = offline.complete(TASKS["optimize"], PAYLOADS["optimize"]).data
    assert any("enumerate" in s["message"] for s in optimize["suggestions"])


@pytest.mark.parametrize(
    ("message", "code", "expected"),
    [
        ("Variable city not found", "City = 'Lisbon'", "you defined `City`"),
        ("NameError: name 'total' is not defined", "", "does not define"),
        ("population should be an integer", "population = '5'", "whole number"),
        ("assert 4 == 5", "", "off by one"),
        ("AssertionError: assert None == 5", "", "return"),
        ("assert 'a' == 1", "", "(str)"),
        ("ZeroDivisionError: division by zero (line 2)", "x = 1\ny = x / 0\n", "line 2 (`y = x / 0`)"),
        ("SyntaxError: invalid syntax (line 3)", "", "line 3"),
        ("add(2, 3) should return 5", "", "add(2, 3) should return 5"),
    ],
)
def test_hint_from_failure(message, code, expected):
    assert expected in hint_from_failure({"name": "test_x", "status": "fail", "message": message}, code)


def test_timeout_hint_and_report_parsing():
    assert "too long" in hint_from_failure({"name": "t", "status": "timeout", "message": ""}, "")

    class T:
        def __init__(self, name, status, message):
            self.name, self.status, self.message, self.output = name, status, message, ""

    class R:
        status = "fail"
        tests = [T("a", "pass", ""), T("b", "fail", "boom")]

    assert failing_tests(R()) == [{"name": "b", "status": "fail", "message": "boom"}]
    as_dict = {"status": "fail", "tests": [{"name": "c", "status": "error", "message": "x"}]}
    assert failing_tests(as_dict)[0]["name"] == "c"

"""Hints derived from a failing test's message, without a model (DESIGN.md section 5).

Recognises what the grader's messages say most often: a missing name, a wrong type, a wrong value
(expected vs got, off-by-one), an exception in the learner's code, a syntax error, a timeout.
Never quotes the reference solution: it only reads the test's message and the learner's own code.
"""

from __future__ import annotations

import ast
import re
from typing import Any

_NAME_ERROR = re.compile(r"name '(\w+)' is not defined")
_NOT_FOUND = re.compile(r"(?:variable|function|class|name)?\s*`?'?(\w+)'?`? (?:was )?not (?:found|defined)", re.I)
_IN_GLOBALS = re.compile(r"'(\w+)' in globals\(\)")
_TYPE_WORD = re.compile(
    r"`?(\w+)`? should be an? (string|str|integer|int|float|number|boolean|bool|list|dict|tuple|set)"
)
_COMPARE = re.compile(r"assert (.+?) == (.+?)(?:$|\n|,)")
_EXCEPTION = re.compile(r"\b(\w+(?:Error|Exception))\b:?\s*(.*)")
_LINE = re.compile(r"line (\d+)")

_TYPE_ADVICE = {
    "string": "text goes in quotes",
    "str": "text goes in quotes",
    "integer": "a whole number is written without quotes or a decimal point",
    "int": "a whole number is written without quotes or a decimal point",
    "float": "a float has a decimal point",
    "number": "a number is written without quotes",
    "boolean": "a boolean is True or False, capitalised, without quotes",
    "bool": "a boolean is True or False, capitalised, without quotes",
    "list": "a list is written with square brackets",
    "dict": "a dictionary is written with braces and key: value pairs",
    "tuple": "a tuple is written with parentheses",
    "set": "a set is written with braces, or set()",
}


def _field(test: Any, name: str) -> str:
    value = test.get(name) if isinstance(test, dict) else getattr(test, name, "")
    return str(value or "")


def failing_tests(report: Any) -> list[dict[str, str]]:
    """The failing tests of a grader Report (object or its to_dict()) as plain dicts."""
    tests = report.get("tests", []) if isinstance(report, dict) else getattr(report, "tests", [])
    return [
        {"name": _field(t, "name"), "status": _field(t, "status"), "message": _field(t, "message")}
        for t in tests
        if _field(t, "status") != "pass"
    ]


def hint_from_failure(test: dict[str, str], code: str) -> str:
    """One honest hint for the first failing test."""
    message = test.get("message", "")
    name = test.get("name", "a test")
    status = test.get("status", "")
    if status == "timeout" or "timed out" in message.lower():
        return (
            "Your code ran for too long. Look for a loop whose condition never becomes false, or a "
            "function that calls itself without a base case."
        )
    if "SyntaxError" in message or "IndentationError" in message:
        line = _LINE.search(message)
        where = f" on line {line.group(1)}" if line else ""
        return (
            f"Python could not read your code{where}. Check brackets and quotes are closed, each `if`, "
            "`for`, `def` line ends with a colon, and the indentation is consistent."
        )
    missing = _NAME_ERROR.search(message) or _IN_GLOBALS.search(message) or _NOT_FOUND.search(message)
    if missing and missing.group(1).lower() not in {"test", "it", "value"}:
        return _missing_name_hint(missing.group(1), code)
    typed = _TYPE_WORD.search(message)
    if typed:
        return (
            f"`{typed.group(1)}` exists but has the wrong type: the test expects a {typed.group(2)}, and "
            f"{_TYPE_ADVICE[typed.group(2)]}. Check the value you assign to it."
        )
    compared = _COMPARE.search(message)
    if compared:
        return _value_hint(compared.group(1).strip(), compared.group(2).strip(), message)
    exception = _EXCEPTION.search(message)
    if exception:
        return _exception_hint(exception.group(1), exception.group(2), message, code)
    if message:
        quoted = message.strip()[:240]
        return f"The test `{name}` says: \u201c{quoted}\u201d. Re-read the challenge for that case."
    return f"The test `{name}` does not pass yet. Compare what the challenge asks for with your code."


def _missing_name_hint(missing: str, code: str) -> str:
    defined = _defined_names(code)
    similar = [n for n in defined if n.lower() == missing.lower() or n.replace("_", "") == missing.replace("_", "")]
    if similar:
        return (
            f"The tests look for `{missing}`, and you defined `{similar[0]}`. Names must match exactly, "
            "including upper/lower case and underscores."
        )
    return (
        f"The tests look for a name `{missing}` that your code does not define. Create it at the top "
        "level of your code (not inside another function), spelled exactly like that."
    )


def _value_hint(got: str, expected: str, message: str) -> str:
    try:
        got_value, expected_value = ast.literal_eval(got), ast.literal_eval(expected)
    except (ValueError, SyntaxError):
        return (
            f"A check compares `{got}` with `{expected}` and they differ. Trace your code by hand with "
            "the test's input and see where the value changes."
        )
    if isinstance(got_value, int) and isinstance(expected_value, int) and abs(got_value - expected_value) == 1:
        return (
            f"Your code gives {got_value} where the test expects {expected_value}: off by one. Check "
            "where a loop or range starts and stops (range(n) stops before n), and < versus <=."
        )
    if got_value is None:
        return (
            f"Your code gives None where the test expects {expected}. A function that does not reach "
            "a `return` gives None; make sure it returns the value instead of printing it."
        )
    if type(got_value) is not type(expected_value):
        return (
            f"Your code gives {got} ({type(got_value).__name__}) where the test expects {expected} "
            f"({type(expected_value).__name__}). Check the type of the value you return."
        )
    return f"Your code gives {got} where the test expects {expected}. Trace your code with that input."


def _exception_hint(kind: str, detail: str, message: str, code: str) -> str:
    line = _LINE.search(message)
    where = ""
    if line:
        number = int(line.group(1))
        lines = code.splitlines()
        if 0 < number <= len(lines) and lines[number - 1].strip():
            where = f" at line {number} (`{lines[number - 1].strip()[:80]}`)"
    advice = {
        "ZeroDivisionError": "something is divided by zero; handle the empty / zero case first",
        "IndexError": "an index is past the end of a list; remember the last index is len - 1",
        "KeyError": "a dictionary key is missing; check the key or use .get()",
        "TypeError": "a value has a type this operation cannot use; check what you pass and return",
        "AttributeError": "the object has no such attribute or method; check its type and the spelling",
        "ValueError": "a function got a value of the right type but the wrong content",
        "RecursionError": "the function calls itself forever; check the base case",
    }.get(kind, "read the error message: it names what went wrong")
    detail = detail.strip()[:120]
    return f"Your code raised {kind}{where}" + (f": {detail}" if detail else "") + f". That usually means {advice}."


def _defined_names(code: str) -> list[str]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return names

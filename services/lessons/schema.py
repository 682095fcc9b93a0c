"""The lesson file format (content/README.md) as code: every problem of one lesson dict, in words."""

from __future__ import annotations

import ast
import re
from typing import Any

from services.lessons.model import LEVELS

KEYS: tuple[str, ...] = (
    "id", "title", "language", "level", "topic", "order", "concepts", "prerequisites",
    "lesson", "challenge", "starter", "solution", "tests", "test_concepts", "hidden", "unprotectable", "hints",
    "quiz", "variants",
)
REQUIRED = frozenset(KEYS) - {"quiz", "hidden", "unprotectable", "test_concepts", "variants"}
# A code variant: the lesson's challenge again with other names, values or edge cases (reviews).
VARIANT_KEYS = ("id", "title", "challenge", "starter", "solution", "tests", "test_concepts", "hidden")
VARIANT_REQUIRED = frozenset(VARIANT_KEYS) - {"test_concepts", "hidden"}
QUESTION_KEYS = frozenset({"question", "choices", "answer", "explanation", "why_not", "concepts", "program"})
WHY_NOT_CHARS = 300
HIDDEN_KEYS = frozenset({"name", "about", "check", "compare"})
TODO_MARKER = "TODO"
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)+$")
_CONCEPT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A test source defines test functions or a unittest TestCase class (the grader collects them).
_TEST_NAME = re.compile(r"^(?:def (test_\w+)\(|class (Test\w*)\b)", re.MULTILINE)
# Fields where an unfinished skeleton leaves TODO markers; a starter may legitimately say "# TODO".
_PROSE_FIELDS = ("title", "topic", "lesson", "challenge", "solution")


def _text(data: dict[str, Any], key: str, problems: list[str], *, allow_empty: bool = False) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        problems.append(f"`{key}` must be a string")
        return ""
    if not allow_empty and not value.strip():
        problems.append(f"`{key}` is empty")
    return value


def _texts(data: dict[str, Any], key: str, problems: list[str], low: int, high: int) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"`{key}` must be a list of non-empty strings")
        return []
    if not low <= len(value) <= high:
        problems.append(f"`{key}` has {len(value)} items; expected {low}-{high}")
    return value


def validate_lesson(
    data: Any, *, stem: str | None = None, folder_level: str | None = None, parse_code: bool = True,
) -> list[str]:
    """Problems of one lesson dict; an empty list means it follows the format. `parse_code=False` skips
    parsing the Python fields (~0.7 ms a lesson): the app's start-up load, after the content check."""
    if not isinstance(data, dict):
        return ["the file must hold one JSON object"]
    problems: list[str] = []
    missing = sorted(REQUIRED - data.keys())
    if missing:
        problems.append(f"missing keys: {', '.join(missing)}")
    unknown = sorted(data.keys() - set(KEYS))
    if unknown:
        problems.append(f"unknown keys: {', '.join(unknown)}")
    if missing:
        return problems

    lesson_id = _text(data, "id", problems)
    language = _text(data, "language", problems)
    if lesson_id and not _ID.match(lesson_id):
        problems.append(f"id {lesson_id!r} must be lowercase words joined by hyphens")
    if stem is not None and language and lesson_id != f"{language}-{stem}":
        problems.append(f"id {lesson_id!r} must be {language + '-' + stem!r} (language + '-' + file name)")
    level = _text(data, "level", problems)
    if level not in LEVELS:
        problems.append(f"level {level!r} must be one of {', '.join(LEVELS)}")
    elif folder_level is not None and level != folder_level:
        problems.append(f"level {level!r} does not match its folder {folder_level!r}")
    for key in ("title", "topic", "lesson", "challenge", "solution"):
        _text(data, key, problems)
    _text(data, "starter", problems, allow_empty=True)
    if isinstance(data["order"], bool) or not isinstance(data["order"], int) or data["order"] <= 0:
        problems.append("`order` must be a positive whole number")
    concepts = _texts(data, "concepts", problems, 1, 8)
    bad = [c for c in concepts if not _CONCEPT.match(c)]
    if bad:
        problems.append(f"concepts must be lowercase-hyphen slugs: {', '.join(bad)}")
    prerequisites = data["prerequisites"]
    if not isinstance(prerequisites, list) or not all(isinstance(p, str) for p in prerequisites):
        problems.append("`prerequisites` must be a list of lesson ids")
    elif lesson_id in prerequisites:
        problems.append("a lesson cannot be its own prerequisite")
    _texts(data, "hints", problems, 1, 5)
    tests = _texts(data, "tests", problems, 3, 20)
    problems.extend(_test_problems(tests, parse_code))
    problems.extend(_test_concept_problems(data.get("test_concepts"), tests, concepts))
    problems.extend(_hidden_problems(data.get("hidden"), parse_code))
    unprotectable = data.get("unprotectable")
    if unprotectable is not None and (not isinstance(unprotectable, str) or not unprotectable.strip()):
        problems.append("`unprotectable` must say why hard-coded answers cannot be told apart from solutions")
    problems.extend(_quiz_problems(data.get("quiz"), concepts, parse_code))
    problems.extend(_variant_problems(data.get("variants"), data, concepts, parse_code))
    if isinstance(data["starter"], str) and data["starter"].strip() == str(data["solution"]).strip():
        problems.append("the starter is the same as the solution; it must fail at least one test")
    if parse_code:
        problems.extend(_syntax_problems(data))
    problems.extend(_todo_problems(data))
    return problems


def _test_problems(tests: list[str], parse_code: bool = True) -> list[str]:
    problems: list[str] = []
    names: list[str] = []
    for number, source in enumerate(tests, 1):
        found = [m.group(1) or m.group(2) for m in _TEST_NAME.finditer(source)]
        if not found:
            problems.append(f"test {number} must define `def test_<name>():` or a `class Test...` TestCase")
            continue
        names.extend(found)
        if not parse_code:
            continue
        try:
            ast.parse(source)
        except SyntaxError as exc:
            problems.append(f"test {number} ({found[0]}) has a syntax error: {exc.msg} (line {exc.lineno})")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"test names are repeated: {', '.join(duplicates)}")
    return problems


def _hidden_problems(hidden: Any, parse_code: bool) -> list[str]:
    """Hidden checks: name, about ("A hidden test with <about> failed."), check (a function body that
    returns what it observes) and optionally compare ("value" or "types")."""
    if hidden is None:
        return []
    if not isinstance(hidden, list) or not hidden:
        return ["`hidden` must be a list of hidden checks"]
    problems, names = [], []
    for number, item in enumerate(hidden, 1):
        if not isinstance(item, dict) or not {"name", "about", "check"} <= item.keys() or item.keys() - HIDDEN_KEYS:
            problems.append(f"hidden check {number} needs name, about and check (and optionally compare)")
            continue
        name, check = item["name"], item["check"]
        if not isinstance(name, str) or not name.isidentifier():
            problems.append(f"hidden check {number}: name must be an identifier")
        names.append(name)
        if not isinstance(item["about"], str) or not item["about"].strip():
            problems.append(f"hidden check {number}: about must say which behaviour it checks")
        if item.get("compare", "value") not in ("value", "types"):
            problems.append(f"hidden check {number}: compare must be value or types")
        if not isinstance(check, str) or "return" not in check:
            problems.append(f"hidden check {number}: check must be code that returns what it observes")
        elif parse_code:
            try:
                ast.parse("def check():\n" + "".join(f"    {line}\n" for line in check.splitlines()))
            except SyntaxError as exc:
                problems.append(f"hidden check {number} ({name}) has a syntax error: {exc.msg}")
    duplicates = sorted({n for n in names if isinstance(n, str) and names.count(n) > 1})
    if duplicates:
        problems.append(f"hidden check names are repeated: {', '.join(duplicates)}")
    return problems


def test_names(tests: list[str]) -> list[str]:
    """The names the grader reports tests by: each `def test_...` function and `class Test...` case."""
    return [m.group(1) or m.group(2) for source in tests for m in _TEST_NAME.finditer(source)]


def _test_concept_problems(mapping: Any, tests: list[str], concepts: list[str]) -> list[str]:
    """`test_concepts`: which of the lesson's concepts each visible test checks (default: all of them)."""
    if mapping is None:
        return []
    if not isinstance(mapping, dict):
        return ["`test_concepts` must map test names to lists of the lesson's concepts"]
    problems = []
    names = set(test_names(tests))
    for name, named in mapping.items():
        if name not in names:
            problems.append(f"test_concepts names {name!r}, which is not one of the lesson's tests")
        if not isinstance(named, list) or not named or not all(isinstance(c, str) for c in named):
            problems.append(f"test_concepts of {name!r} must be a non-empty list of concept ids")
        elif unknown := sorted(set(named) - set(concepts)):
            problems.append(f"test_concepts of {name!r} names concepts the lesson does not: {', '.join(unknown)}")
    return problems


def _quiz_problems(quiz: Any, concepts: list[str] | tuple[str, ...] = (), parse_code: bool = True) -> list[str]:
    if quiz is None:
        return []
    if not isinstance(quiz, list):
        return ["`quiz` must be a list of questions"]
    problems = []
    for number, q in enumerate(quiz, 1):
        if not isinstance(q, dict) or not {"question", "choices", "answer"} <= q.keys():
            problems.append(f"quiz question {number} needs question, choices and answer")
            continue
        if unknown := sorted(q.keys() - QUESTION_KEYS):
            problems.append(f"quiz question {number} has unknown keys: {', '.join(unknown)}")
        choices = q["choices"]
        if not isinstance(choices, list) or not 2 <= len(choices) <= 6 or not all(isinstance(c, str) for c in choices):
            problems.append(f"quiz question {number}: choices must be 2-6 strings")
            continue
        if len({c.strip() for c in choices}) != len(choices):
            problems.append(f"quiz question {number}: choices must be distinct")
        if isinstance(q["answer"], bool) or not isinstance(q["answer"], int) or not 0 <= q["answer"] < len(choices):
            problems.append(f"quiz question {number}: answer must be the index of a choice")
            continue
        problems.extend(f"quiz question {number}: {p}" for p in _why_not_problems(q, choices))
        named = q.get("concepts")
        if named is not None and (not isinstance(named, list) or not named or set(named) - set(concepts)):
            problems.append(f"quiz question {number}: concepts must be a non-empty list of the lesson's concepts")
        if "program" in q:
            found = _program_problems(q["program"], choices, parse_code)
            problems.extend(f"quiz question {number}: {p}" for p in found)
    return problems


def _variant_problems(variants: Any, lesson: dict[str, Any], concepts: list[str], parse_code: bool) -> list[str]:
    """`variants`: at least two, each a challenge of its own with the lesson's test and check format."""
    if variants is None:
        return []
    if not isinstance(variants, list) or not all(isinstance(v, dict) for v in variants):
        return ["`variants` must be a list of variant objects"]
    problems, seen = [], set()
    for number, variant in enumerate(variants, 1):
        where = f"variant {number}"
        missing = sorted(VARIANT_REQUIRED - variant.keys())
        unknown = sorted(variant.keys() - set(VARIANT_KEYS))
        if missing or unknown:
            said = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unknown {', '.join(unknown)}"] if unknown else [])
            problems.append(f"{where}: " + "; ".join(said))
            continue
        variant_id = variant["id"]
        if not isinstance(variant_id, str) or not _CONCEPT.match(variant_id) or variant_id in seen:
            problems.append(f"{where}: id must be a lowercase-hyphen slug, unique in the lesson")
        seen.add(variant_id)
        if variant.get("hidden") is None and not lesson.get("unprotectable"):
            problems.append(f"{where}: needs hidden checks (the lesson is not unprotectable)")
        for key in ("title", "challenge", "solution"):
            _text(variant, key, problems)
        _text(variant, "starter", problems, allow_empty=True)
        tests = _texts(variant, "tests", problems, 2, 20)
        problems.extend(f"{where}: {p}" for p in _test_problems(tests, parse_code))
        problems.extend(f"{where}: {p}" for p in _test_concept_problems(variant.get("test_concepts"), tests, concepts))
        problems.extend(f"{where}: {p}" for p in _hidden_problems(variant.get("hidden"), parse_code))
        if parse_code:
            problems.extend(f"{where}: {p}" for p in _syntax_problems(variant))
        same = str(variant.get("solution", "")).strip() == str(lesson.get("solution")).strip()
        if same:
            problems.append(f"{where}: its solution is the lesson's own; a variant asks something else")
    return problems


def _why_not_problems(q: dict[str, Any], choices: list[str]) -> list[str]:
    """`why_not`: aligned with the choices; empty for the right one, a short reason for every other."""
    why_not = q.get("why_not")
    if why_not is None:
        return []
    if not isinstance(why_not, list) or len(why_not) != len(choices) or not all(isinstance(w, str) for w in why_not):
        return ["why_not must be a list of strings, one per choice"]
    problems = []
    for index, reason in enumerate(why_not):
        if index == q["answer"] and reason.strip():
            problems.append("why_not of the right choice must be empty")
        elif index != q["answer"] and not reason.strip():
            problems.append(f"why_not {index + 1} must say why that choice is wrong")
        elif len(reason) > WHY_NOT_CHARS:
            problems.append(f"why_not {index + 1} is longer than {WHY_NOT_CHARS} characters")
    return problems


def _program_problems(program: Any, choices: list[str], parse_code: bool) -> list[str]:
    """`program`: code that prints what the question asks about, and `outputs` aligned with the
    choices (what it would print if that choice were right); the content check runs it."""
    if not isinstance(program, dict) or set(program) != {"code", "outputs"}:
        return ["program needs exactly code and outputs"]
    code, outputs = program["code"], program["outputs"]
    problems = []
    if not isinstance(code, str) or not code.strip():
        problems.append("program code must be Python source")
    elif parse_code:
        try:
            ast.parse(code)
        except SyntaxError as exc:
            problems.append(f"program code has a syntax error: {exc.msg} (line {exc.lineno})")
    if not isinstance(outputs, list) or len(outputs) != len(choices) or not all(isinstance(o, str) for o in outputs):
        problems.append("program outputs must be a list of strings, one per choice")
    elif len(set(outputs)) != len(outputs):
        problems.append("program outputs must be distinct")
    return problems


def _syntax_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    for key in ("starter", "solution"):
        if isinstance(data.get(key), str):
            try:
                ast.parse(data[key])
            except SyntaxError as exc:
                problems.append(f"`{key}` has a syntax error: {exc.msg} (line {exc.lineno})")
    return problems


def _todo_problems(data: dict[str, Any]) -> list[str]:
    fields = [k for k in _PROSE_FIELDS if TODO_MARKER in str(data.get(k, ""))]
    for key in ("hints", "tests", "concepts", "quiz", "hidden"):
        value = data.get(key) or []
        # A field of the wrong type is reported by its own check; this one must not fail on it.
        if any(TODO_MARKER in str(v) for v in (value if isinstance(value, list) else [value])):
            fields.append(key)
    return [f"still has {TODO_MARKER} markers in: {', '.join(fields)}"] if fields else []

"""Turn a challenge's tests into what the sandbox runs, and the names the server expects back.

Tests come as the seed's strings (`def test_x(): assert ...`) or as `Probe`s. Both are trusted
content, so they are parsed, assert-rewritten and compiled here, in the server, once per distinct
test list; the sandbox only receives code objects.
"""

from __future__ import annotations

import ast
import functools
import marshal
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.grader.assertions import rewrite_asserts
from services.grader.errors import InvalidTests

TEST_FILENAME = "<test>"
_PLAIN_SCALARS = (type(None), bool, int, float, str)


@dataclass(frozen=True)
class Probe:
    """A check whose verdict the server keeps: the sandbox only reports `expression`'s value.

    `expression` is evaluated in the learner's namespace (e.g. ``"add(2, 3)"``); its value must be
    plain data (None, bool, int, float, str and lists / tuples / dicts of them). The server compares
    it with `expected`, which never leaves the server, using exact types - so learner objects with a
    rigged `__eq__` cannot pass.
    """

    __test__ = False

    name: str
    expression: str
    expected: Any


@dataclass(frozen=True)
class PreparedTests:
    names: tuple[str, ...]            # in the order the report lists them (hidden checks last)
    payload: bytes                    # marshalled list of (kind, name_or_None, code object)
    probes: dict[str, Probe]          # name -> probe, for the server-side comparison
    hidden: dict[str, Any] = field(default_factory=dict)  # report name -> HiddenCheck


HIDDEN_PREFIX = "hidden_"
# A hidden check's body becomes this function, defined in the test namespace and removed by the runner
# (a dunder name: `from solution import *` never brings a learner's name like it).
HIDDEN_FUNCTION = "__hidden_check__"
# What the runner reports for a hidden check whose CPU slice ran out (no exception is named so).
TIMEOUT_MARK = "timeout"


def prepare_tests(tests: Sequence[str | Probe], hidden: Sequence[Any] = ()) -> PreparedTests:
    """The sandbox's work: the visible tests, then each hidden check (a `HiddenCheck`), observed."""
    if isinstance(tests, str | bytes) or not isinstance(tests, Sequence):
        raise InvalidTests("tests must be a list of test strings")
    if not tests:
        raise InvalidTests("This challenge has no tests, so it cannot be graded.")
    key: list[Any] = []
    probes: dict[str, Probe] = {}
    for test in tests:
        if isinstance(test, Probe):
            _check_probe(test)
            probes[test.name] = test
            key.append((test.name, test.expression))
        elif isinstance(test, str):
            key.append(test)
        else:
            raise InvalidTests(f"each test must be a string or a Probe, not {type(test).__name__}")
    hidden_by_name = {}
    for check in hidden:
        hidden_by_name[HIDDEN_PREFIX + check.name] = check
        key.append(("hidden", HIDDEN_PREFIX + check.name, check.check))
    names, payload = _compile(tuple(key))
    return PreparedTests(names=names, payload=payload, probes=probes, hidden=hidden_by_name)


@functools.lru_cache(maxsize=256)
def _compile(key: tuple[Any, ...]) -> tuple[tuple[str, ...], bytes]:
    names: list[str] = []
    items: list[tuple[str, str | None, Any]] = []
    for position, test in enumerate(key, start=1):
        if isinstance(test, tuple) and test[0] == "hidden":
            _, name, body = test
            source = f"def {HIDDEN_FUNCTION}():\n" + textwrap.indent(body, "    ")
            names.append(name)
            items.append(("observe", name, _compile_source(source, "exec", position)))
            continue
        if isinstance(test, tuple):
            name, expression = test
            code = _compile_source(expression, "eval", position)
            names.append(name)
            items.append(("probe", name, code))
            continue
        tree = _parse(test, position)
        collected = _collect(tree, position)
        if not collected:
            raise InvalidTests(f"Test {position} does not define a test function (def test_...) "
                               "or a unittest TestCase class (class Test...).")
        if _imports_a_test_style(tree) and not any(item[0] == "styles" for item in items):
            items.insert(0, ("styles", None, _styles_code()))
        names.extend(name for _, name, _ in collected)
        code = compile(rewrite_asserts(tree, test), TEST_FILENAME, "exec", dont_inherit=True)
        items.append(("module", None, code))
        items.extend(collected)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidTests(f"Two tests share the name {duplicates[0]!r}.")
    return tuple(names), marshal.dumps(items)


# How many results a unittest subTest may add beyond the collected names, per submission.
MAX_SUBRESULTS = 50
_STYLE_MODULES = ("pytest", "unittest")


def _collect(tree: ast.Module, position: int) -> list[tuple[str, str, Any]]:
    """The results one test source gives, as the runner's items: (kind, report name, what to run)."""
    collected: list[tuple[str, str, Any]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            cases = _parametrize(node, position)
            if cases is None:
                collected.append(("test", node.name, None))
            else:
                collected.extend(("param", f"{node.name}[{case_id}]", (node.name, args)) for case_id, args in cases)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            collected.extend(
                ("case", f"{node.name}.{method.name}", (node.name, method.name)) for method in node.body
                if isinstance(method, ast.FunctionDef) and method.name.startswith("test"))
    return collected


def _parametrize(function: ast.FunctionDef, position: int) -> list[tuple[str, tuple]] | None:
    """`@pytest.mark.parametrize("a, b", [(1, 2), ...])` with literal values: (id, arguments) per case."""
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.parametrize"):
            continue
        try:
            argnames = ast.literal_eval(decorator.args[0])
            values = ast.literal_eval(decorator.args[1])
            ids = next((ast.literal_eval(k.value) for k in decorator.keywords if k.arg == "ids"), None)
        except (ValueError, IndexError, TypeError, SyntaxError):
            raise InvalidTests(f"Test {position}: parametrize needs its names and values written as "
                               "literals") from None
        names = [n.strip() for n in argnames.split(",")] if isinstance(argnames, str) else list(argnames)
        cases = []
        for index, value in enumerate(values):
            args = tuple(value) if len(names) > 1 else (value,)
            if len(args) != len(names):
                raise InvalidTests(f"Test {position}: parametrize case {index + 1} has {len(args)} values "
                                   f"for {len(names)} names")
            case_id = ids[index] if ids else "-".join(
                str(arg) if arg is None or isinstance(arg, bool | int | float | str) else f"{name}{index}"
                for name, arg in zip(names, args, strict=True))
            cases.append((str(case_id), args))
        return cases
    return None


def _imports_a_test_style(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in _STYLE_MODULES for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _STYLE_MODULES:
            return True
    return False


@functools.cache
def _styles_code() -> Any:
    """test_styles.py compiled once per process; it runs in the sandbox only."""
    path = Path(__file__).with_name("test_styles.py")
    return compile(path.read_text(encoding="utf-8"), "<test styles>", "exec", dont_inherit=True)


def _parse(source: str, position: int) -> ast.Module:
    try:
        return ast.parse(source, TEST_FILENAME)
    except (SyntaxError, ValueError) as exc:
        raise InvalidTests(f"Test {position} is not valid Python: {exc}") from None


def _compile_source(source: str, mode: str, position: int) -> Any:
    try:
        return compile(source, TEST_FILENAME, mode, dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        raise InvalidTests(f"Test {position} is not valid Python: {exc}") from None


def _check_probe(probe: Probe) -> None:
    if not isinstance(probe.name, str) or not probe.name.isidentifier():
        raise InvalidTests(f"Probe name {probe.name!r} must be an identifier")
    if not isinstance(probe.expression, str) or not probe.expression.strip():
        raise InvalidTests(f"Probe {probe.name!r} needs an expression")
    if not is_plain(probe.expected):
        raise InvalidTests(f"Probe {probe.name!r}: expected value must be plain data")


def is_plain(value: Any) -> bool:
    if type(value) in _PLAIN_SCALARS:
        return True
    if type(value) in (list, tuple):
        return all(is_plain(item) for item in value)
    if type(value) is dict:
        return all(type(k) in _PLAIN_SCALARS and is_plain(v) for k, v in value.items())
    return False


def plain_equal(expected: Any, actual: Any) -> bool:
    """Equality that also requires the same types, so True is not 1 and 1.0 is not 1."""
    if type(expected) is not type(actual):
        return False
    if type(expected) in (list, tuple):
        return len(expected) == len(actual) and all(map(plain_equal, expected, actual))
    if type(expected) is dict:
        return expected.keys() == actual.keys() and all(plain_equal(v, actual[k]) for k, v in expected.items())
    return bool(expected == actual)

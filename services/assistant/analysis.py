"""Static review of learner code: pyflakes in-process, AST checks for beginner mistakes, and
cyclomatic complexity from radon. Findings carry Exercism's four kinds of comment:

    essential    must change: the code is wrong or will break (undefined name, syntax error, bare except)
    actionable   should change: it works, but a clear improvement exists (mutable default, range(len))
    informative  worth knowing: style and idiom (== None, shadowed built-in, complexity)
    celebratory  what is good (say it too)

pyflakes and radon are imported on first use, so pages that never review load neither.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

ESSENTIAL, ACTIONABLE, INFORMATIVE, CELEBRATORY = "essential", "actionable", "informative", "celebratory"
KINDS = (ESSENTIAL, ACTIONABLE, INFORMATIVE, CELEBRATORY)
MAX_FINDINGS = 20
COMPLEX = 10  # radon's rank C starts at 11: past it a function is hard to follow
_SHADOWED = frozenset({"list", "dict", "str", "int", "sum", "max", "min", "id", "input", "len", "type", "set",
                       "filter", "map", "next", "iter", "file", "format", "range", "tuple", "float", "bool"})
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class Finding:
    line: int  # 0: the whole file
    severity: str  # one of KINDS
    message: str
    suggestion: str = ""
    rule: str = ""

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "severity": self.severity, "message": self.message,
                "suggestion": self.suggestion, "rule": self.rule}


@dataclass(frozen=True)
class Complexity:
    name: str
    line: int
    score: int
    rank: str  # radon's A (simple) .. F


@dataclass(frozen=True)
class Review:
    findings: tuple[Finding, ...]
    complexity: tuple[Complexity, ...]
    lines: int

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == kind]


def review(code: str) -> Review:
    lines = len(code.splitlines())
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return Review((Finding(exc.lineno or 0, ESSENTIAL, f"Syntax error: {exc.msg}.",
                               "Look at that line and the one before it: an unclosed bracket or quote, or a "
                               "missing colon, is the usual cause.", "syntax"),), (), lines)
    findings = _pyflakes(code) + _ast_findings(tree)
    complexity = _complexity(code)
    for item in complexity:
        if item.score > COMPLEX:
            findings.append(Finding(item.line, ACTIONABLE, f"`{item.name}` has a cyclomatic complexity of "
                                    f"{item.score} (rank {item.rank}): many paths to follow and test.",
                                    "Split it into smaller functions, or return early.", "complexity"))
    unique: dict[tuple[int, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.line, finding.rule or finding.message), finding)
    ordered = sorted(unique.values(), key=lambda f: (KINDS.index(f.severity), f.line))
    good = _celebrations(tree, ordered, complexity)
    return Review(tuple([*ordered[: MAX_FINDINGS - len(good)], *good]), tuple(complexity), lines)


def _pyflakes(code: str) -> list[Finding]:
    from pyflakes import checker, messages

    tree = ast.parse(code)
    found = []
    for message in checker.Checker(tree, filename="<learner>").messages:
        text = message.message % message.message_args
        if isinstance(message, messages.UndefinedName):
            found.append(Finding(message.lineno, ESSENTIAL, f"{text}: it is used before anything defines it.",
                                 "Define it first, or check its spelling.", "undefined-name"))
        elif isinstance(message, messages.UnusedImport | messages.UnusedVariable | messages.RedefinedWhileUnused):
            found.append(Finding(message.lineno, INFORMATIVE, f"{text}.", "Remove it if nothing needs it.",
                                 "unused"))
        else:
            found.append(Finding(message.lineno, ACTIONABLE, f"{text}.", "", "pyflakes"))
    return found


def _ast_findings(tree: ast.Module) -> list[Finding]:
    found: list[Finding] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if isinstance(default, ast.List | ast.Dict | ast.Set | ast.Call) and not _is_immutable_call(default):
                    found.append(Finding(default.lineno, ACTIONABLE, f"`{node.name}` has a mutable default "
                                         "argument: it is made once and shared by every call.",
                                         "Default to None and create the list or dict inside the function.",
                                         "mutable-default"))
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                if arg.arg in _SHADOWED:
                    found.append(_shadow(arg.lineno, arg.arg))
        elif isinstance(node, ast.ExceptHandler) and node.type is None:
            found.append(Finding(node.lineno, ESSENTIAL, "A bare `except:` also catches typos, Ctrl-C and exit.",
                                 "Name the exception you expect, e.g. `except FileNotFoundError:`.", "bare-except"))
        elif isinstance(node, ast.Compare):
            for op, right in zip(node.ops, node.comparators, strict=False):
                if isinstance(op, ast.Eq | ast.NotEq) and isinstance(right, ast.Constant):
                    if right.value is None:
                        found.append(Finding(node.lineno, INFORMATIVE, "Comparing with `== None`.",
                                             "Use `is None` / `is not None`.", "compare-none"))
                    elif right.value is True or right.value is False:
                        found.append(Finding(node.lineno, INFORMATIVE, f"Comparing with `== {right.value}`.",
                                             "Use the value itself: `if ok:` / `if not ok:`.", "compare-bool"))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in _SHADOWED:
            found.append(_shadow(node.lineno, node.id))
        elif isinstance(node, ast.For):
            found.extend(_loop_findings(node))
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.For | ast.While | ast.If |
                      ast.With | ast.Try):
            for body in _bodies(node):
                found.extend(_unreachable(body))
    return found


def _loop_findings(node: ast.For) -> list[Finding]:
    found = []
    target_names = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    used = {n.id for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    for name in sorted(target_names - used):
        if not name.startswith("_"):
            found.append(Finding(node.lineno, INFORMATIVE, f"The loop variable `{name}` is never used.",
                                 "Call it `_` to say so: `for _ in ...`.", "unused-loop-variable"))
    call = node.iter
    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "range"
            and len(call.args) == 1 and isinstance(call.args[0], ast.Call)
            and isinstance(call.args[0].func, ast.Name) and call.args[0].func.id == "len"):
        found.append(Finding(node.lineno, ACTIONABLE, "`range(len(...))` to walk a sequence by index.",
                             "Loop over the items, or use `enumerate(...)` when you need the index too.",
                             "range-len"))
    for stmt in ast.walk(node):
        if (isinstance(stmt, ast.AugAssign) and isinstance(stmt.op, ast.Add) and isinstance(stmt.target, ast.Name)
                and isinstance(stmt.value, ast.JoinedStr | ast.Constant | ast.BinOp)
                and (not isinstance(stmt.value, ast.Constant) or isinstance(stmt.value.value, str))):
            found.append(Finding(stmt.lineno, ACTIONABLE, f"`{stmt.target.id}` is built up as a string inside "
                                 "a loop: each `+=` copies the whole string.",
                                 "Collect the pieces in a list and `''.join(...)` them once.", "string-building"))
    return found


def _bodies(node: ast.AST) -> list[list[ast.stmt]]:
    bodies = [getattr(node, name) for name in ("body", "orelse", "finalbody") if getattr(node, name, None)]
    return [b for b in bodies if isinstance(b, list)]


def _unreachable(body: list[ast.stmt]) -> list[Finding]:
    for index, stmt in enumerate(body[:-1]):
        if isinstance(stmt, ast.Return | ast.Raise | ast.Break | ast.Continue):
            after = body[index + 1]
            return [Finding(after.lineno, ACTIONABLE, f"This line never runs: the `{type(stmt).__name__.lower()}` "
                            f"on line {stmt.lineno} leaves first.", "Move it before, or remove it.", "unreachable")]
    return []


def _shadow(line: int, name: str) -> Finding:
    return Finding(line, INFORMATIVE, f"`{name}` hides the built-in `{name}()`.",
                   "Pick a more specific name, e.g. `names` or `total`.", "shadowed-builtin")


def _is_immutable_call(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
        "tuple", "frozenset", "int", "str", "float", "bool")


def _complexity(code: str) -> list[Complexity]:
    from radon.complexity import cc_rank, cc_visit

    try:
        blocks = cc_visit(code)
    except (SyntaxError, ValueError):
        return []
    return [Complexity(block.name, block.lineno, block.complexity, cc_rank(block.complexity)) for block in blocks]


def _celebrations(tree: ast.Module, findings: list[Finding], complexity: list[Complexity]) -> list[Finding]:
    good = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if functions and all(ast.get_docstring(f) for f in functions):
        good.append(Finding(0, CELEBRATORY, "Every function says what it does in a docstring.", "", "docstrings"))
    if complexity and all(c.score <= 5 for c in complexity):
        good.append(Finding(0, CELEBRATORY, "Your functions are short and simple to follow (complexity 5 or "
                            "less each).", "", "simple"))
    if any(isinstance(n, ast.JoinedStr) for n in ast.walk(tree)):
        good.append(Finding(0, CELEBRATORY, "f-strings make the output easy to read.", "", "f-strings"))
    if any(isinstance(n, ast.ListComp | ast.DictComp | ast.SetComp | ast.GeneratorExp) for n in ast.walk(tree)):
        good.append(Finding(0, CELEBRATORY, "Comprehensions keep the loops short.", "", "comprehensions"))
    if any(isinstance(n, ast.With) for n in ast.walk(tree)):
        good.append(Finding(0, CELEBRATORY, "`with` closes what it opens, even on errors.", "", "with"))
    if not any(f.severity in (ESSENTIAL, ACTIONABLE) for f in findings):
        good.append(Finding(0, CELEBRATORY, "No problems found by the checks: clean work.", "", "clean"))
    return good[:3]

"""Static checks for the offline code review / debug / optimize answers (ast only, pyflakes-style)."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

_BUILTINS = frozenset(dir(builtins))
_SHADOWED = frozenset({"list", "dict", "str", "int", "sum", "max", "min", "id", "input", "len", "type", "set"})


@dataclass(frozen=True)
class Issue:
    line: int
    severity: str  # info | warning | error
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "severity": self.severity, "message": self.message}


def parse(code: str) -> tuple[ast.Module | None, Issue | None]:
    try:
        return ast.parse(code), None
    except SyntaxError as exc:
        return None, Issue(exc.lineno or 0, "error", f"Syntax error: {exc.msg}.")


def review_issues(code: str) -> list[Issue]:
    tree, error = parse(code)
    if tree is None:
        return [error] if error else []
    issues = undefined_names(tree) + _unused_imports(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is None:
            issues.append(
                Issue(
                    node.lineno,
                    "warning",
                    "A bare `except:` also catches typos and Ctrl-C; name the exception you expect.",
                )
            )
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            issues.extend(_function_issues(node))
        elif (
            isinstance(node, ast.Compare)
            and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops)
            and any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators)
        ):
            issues.append(Issue(node.lineno, "info", "Compare with None using `is None` / `is not None`."))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in _SHADOWED:
            issues.append(
                Issue(
                    node.lineno,
                    "warning",
                    f"`{node.id}` hides the built-in of the same name; pick a more specific name.",
                )
            )
    return sorted(issues, key=lambda i: (i.line, i.message))[:15]


def optimize_suggestions(code: str) -> list[Issue]:
    tree, error = parse(code)
    if tree is None:
        return [error] if error else []
    out: list[Issue] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For):
            out.extend(_loop_suggestions(node))
        elif isinstance(node, ast.If) and _returns_bool_literals(node):
            out.append(Issue(node.lineno, "info", "`if cond: return True else: return False` is `return cond`."))
    return sorted(out, key=lambda i: (i.line, i.message))[:10]


def undefined_names(tree: ast.Module) -> list[Issue]:
    """Names read but never bound anywhere in the module (scopes are merged: few false alarms)."""
    bound = set(_BUILTINS)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            bound.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    seen: set[str] = set()
    issues = []
    for node in ast.walk(tree):
        loads_unbound = isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound
        if loads_unbound and node.id not in seen:
            seen.add(node.id)
            issues.append(Issue(node.lineno, "error", f"`{node.id}` is used but never defined (NameError)."))
    return issues


def _unused_imports(tree: ast.Module) -> list[Issue]:
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.value.id for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    issues = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                if name != "*" and name not in used:
                    issues.append(Issue(node.lineno, "info", f"`{name}` is imported but not used."))
    return issues


def _function_issues(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[Issue]:
    issues = []
    for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
        if isinstance(default, ast.List | ast.Dict | ast.Set):
            issues.append(
                Issue(
                    node.lineno,
                    "warning",
                    f"`{node.name}` has a mutable default argument; it is "
                    "shared between calls. Use None and create it inside.",
                )
            )
    length = (node.end_lineno or node.lineno) - node.lineno + 1
    branches = sum(isinstance(n, ast.If | ast.For | ast.While | ast.Try | ast.BoolOp) for n in ast.walk(node))
    if length > 40 or branches > 10:
        issues.append(
            Issue(
                node.lineno,
                "info",
                f"`{node.name}` is long ({length} lines, {branches} branches); "
                "splitting it into smaller functions would make it easier to test.",
            )
        )
    return issues


def _loop_suggestions(node: ast.For) -> list[Issue]:
    out = []
    it = node.iter
    if (
        isinstance(it, ast.Call)
        and isinstance(it.func, ast.Name)
        and it.func.id == "range"
        and len(it.args) == 1
        and isinstance(it.args[0], ast.Call)
        and isinstance(it.args[0].func, ast.Name)
        and it.args[0].func.id == "len"
    ):
        out.append(
            Issue(
                node.lineno,
                "info",
                "`for i in range(len(items))` reads better as "
                "`for i, item in enumerate(items)` (or just `for item in items`).",
            )
        )
    if len(node.body) == 1 and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Call):
        call = node.body[0].value
        if isinstance(call.func, ast.Attribute) and call.func.attr == "append":
            out.append(Issue(node.lineno, "info", "A loop that only appends can be a list comprehension."))
    for inner in node.body:
        if (
            isinstance(inner, ast.AugAssign)
            and isinstance(inner.op, ast.Add)
            and isinstance(inner.value, ast.JoinedStr | ast.Constant)
            and isinstance(getattr(inner.value, "value", ""), str)
        ):
            out.append(
                Issue(
                    inner.lineno,
                    "info",
                    "Building a string with += in a loop copies it each time; "
                    "collect the parts in a list and use ''.join(parts).",
                )
            )
        if isinstance(inner, ast.For):
            out.append(
                Issue(
                    inner.lineno,
                    "info",
                    "A loop inside a loop does n x m steps; a set or dict lookup can often replace the inner loop.",
                )
            )
    return out


def _returns_bool_literals(node: ast.If) -> bool:
    def literal_return(body: list[ast.stmt]) -> bool:
        return (
            len(body) == 1
            and isinstance(body[0], ast.Return)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, bool)
        )

    return literal_return(node.body) and literal_return(node.orelse)


_STATEMENT_WORDS = {
    ast.FunctionDef: "defines the function `{name}`", ast.ClassDef: "defines the class `{name}`",
    ast.For: "loops over {iter}", ast.While: "repeats while {test} is true", ast.If: "checks whether {test}",
    ast.Return: "returns {value}", ast.Import: "imports a module", ast.ImportFrom: "imports from a module",
    ast.Try: "tries the block below and handles its errors", ast.With: "opens {items} and closes it after",
    ast.Raise: "raises an error", ast.Break: "leaves the loop", ast.Continue: "skips to the next round",
}


def explain_lines(code: str) -> dict[str, object]:
    """The offline 'what does this code do': one plain sentence per statement line (short code), from
    the syntax tree; no model, so it says what each line is, not why."""
    tree, error = parse(code)
    if tree is None:
        return {"summary": error.message if error else "The code could not be read.", "lines": []}
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or len(lines) >= 40:
            continue
        words = _STATEMENT_WORDS.get(type(node))
        if words is None and isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            words = f"stores a value in `{ast.unparse(target)[:40]}`"
        elif words is None and isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            words = f"calls `{ast.unparse(node.value.func)[:40]}`"
        if words is None:
            continue
        text = words.format(name=getattr(node, "name", ""), iter=_short(getattr(node, "iter", None)),
                            test=_short(getattr(node, "test", None)), value=_short(getattr(node, "value", None)),
                            items=_short(node.items[0].context_expr) if isinstance(node, ast.With) else "")
        lines.append({"line": node.lineno, "text": f"Line {node.lineno} {text}."})
    lines.sort(key=lambda item: item["line"])
    summary = (f"The code defines {', '.join(f'`{n}`' for n in names)}." if names else
               f"The code runs {len(tree.body)} statement(s) from top to bottom.")
    return {"summary": summary + " (Explained by the offline assistant from the code's structure.)",
            "lines": lines if len(code.splitlines()) <= 60 else []}


def _short(node: ast.AST | None) -> str:
    if node is None:
        return "nothing"
    return f"`{ast.unparse(node)[:50]}`"

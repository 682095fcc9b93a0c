"""Candidate programs built from an AI answer's code, for the answer gate's behavioural check.

A fragment goes where it belongs: its `def`/`class` replaces the one of the same name, a method joins
its class, other code becomes the body of the asked-for function it fits best (a last expression is
returned; names it uses but never binds are bound to the parameters in order, since answers rename),
a single statement replaces the learner's line with the same target, and a lone `if` becomes a
branch around the learner's statement it is about. answer_behaviour.py grades them.
"""

from __future__ import annotations

import ast
import builtins
import textwrap
from dataclasses import dataclass

from services.ai.answer_text import Fragment

_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class Asked:
    """Something the challenge asks for: a top-level function or class of the reference solution."""

    name: str                   # "total_of", or "Cart.add" for a method
    params: tuple[str, ...]
    body_names: frozenset[str]  # names and attributes its reference body uses
    tests: frozenset[str]       # the tests (visible and hidden) that mention it
    owner: str = ""             # the class of a method

    @property
    def short_name(self) -> str:
        return self.name.rpartition(".")[2]


@dataclass(frozen=True)
class Candidate:
    code: str
    supplies: frozenset[str]  # asked-for names this candidate writes in full
    whole_only: bool = False  # built on the reference solution: only the whole-function rule applies


def used_names(node: ast.AST) -> set[str]:
    names = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            names.add(child.id)
        elif isinstance(child, ast.Attribute):
            names.add(child.attr)
    return names



def worth_running(tree: ast.Module) -> bool:
    """Code that could compute something: not a lone print of constants or a bare name, and not a
    lone header (`while n != 1:`, completed with `pass`), which computes nothing and may never end."""
    if (len(tree.body) == 1 and isinstance(tree.body[0], (ast.For, ast.While, ast.If, ast.With))
            and all(isinstance(stmt, ast.Pass) for stmt in tree.body[0].body)):
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Return, ast.Assign, ast.AugAssign,
                             ast.For, ast.While, ast.If, ast.Yield)):
            return True
    return bool(_free_names(tree))


def candidates(
    fragments: list[Fragment], history: list[Fragment], asked: list[Asked], base: str, solution: str,
    imports: str,
) -> list[Candidate]:
    """Most telling first: the whole conversation's code, then each fragment in the function it
    fits (judged on the reference solution, so the learner's other bugs do not hide it), then each
    fragment as a fix of the learner's line; the second-best fits last."""
    found: list[Candidate] = []
    seen: set[str] = set()

    def add(candidate: Candidate | None) -> None:
        if candidate is not None and candidate.code not in seen:
            seen.add(candidate.code)
            found.append(candidate)

    every = history + fragments
    if len(every) > 1:
        tree = _parse(imports + "\n".join(_withoutimports_of(f.tree) for f in every))
        if tree is not None:
            add(_placed(tree, asked, base, 0))
    for fragment in fragments:
        tree = _parse(imports + _withoutimports_of(fragment.tree)) or fragment.tree
        if solution:
            add(_placed(tree, asked, solution, 0, whole_only=True))
        else:
            add(_placed(tree, asked, base, 0))
        add(_line_replaced(fragment.tree, base))
        add(_branch_added(fragment.tree, base))
    if len(every) > 1 and solution:
        tree = _parse(imports + "\n".join(_withoutimports_of(f.tree) for f in every))
        if tree is not None:
            add(_placed(tree, asked, solution, 0, whole_only=True))
    for fragment in fragments:
        add(_placed(fragment.tree, asked, solution or base, 1, whole_only=bool(solution)))
    return found


def imports_of(tree: ast.Module) -> str:
    return "".join(ast.unparse(n) + "\n" for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)))


def _withoutimports_of(tree: ast.Module) -> str:
    return ast.unparse(ast.Module(body=[n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))],
                                  type_ignores=[]))


def _placed(
    tree: ast.Module, asked: list[Asked], base: str, rank: int, *, whole_only: bool = False,
) -> Candidate | None:
    """The fragment where it belongs in `base`: its defs replacing those of the same name, or as the
    body of the asked-for function it fits `rank`-th best."""
    by_name = {item.name: item for item in asked if not item.owner}
    defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    if defined & set(by_name):
        if rank:
            return None
        return Candidate(_replace_defs(base, tree), frozenset(defined & set(by_name)), whole_only)
    methods = {item.short_name: item for item in asked if item.owner}
    for node in tree.body:  # a method written out: `def total(self): ...`
        if (isinstance(node, ast.FunctionDef) and node.name in methods and node.args.args
                and node.args.args[0].arg == "self"):
            if rank:
                return None
            code = _replace_method(base, methods[node.name].owner, node)
            return Candidate(code, frozenset({methods[node.name].name}), whole_only) if code else None
    functions = [item for item in asked if item.params]
    if not functions:  # a lesson of module-level statements: the fragment after the learner's code
        return None if rank or whole_only else Candidate((base + "\n" + ast.unparse(tree)).strip() + "\n", frozenset())
    ranked = _ranked(tree, functions)
    if rank >= len(ranked):
        return None
    target = ranked[rank]
    body = _as_body(tree, target)
    if body is None:
        return None
    imports = imports_of(tree)
    definition = ast.parse(imports + f"def {target.short_name}({', '.join(target.params)}):\n" + _indent(body))
    if target.owner:
        code = _replace_method(base, target.owner, definition.body[-1])
        return Candidate(imports + code, frozenset({target.name}), whole_only) if code else None
    return Candidate(_replace_defs(base, definition), frozenset({target.name}), whole_only)


def _ranked(tree: ast.Module, functions: list[Asked]) -> list[Asked]:
    used = used_names(tree) | constants(tree)
    free = set(_free_names(tree))

    def score(item: Asked) -> tuple[int, int]:
        return (len(free & set(item.params)) * 2 + len(used & item.body_names),
                -abs(len(free) - len(item.params)))

    return sorted(functions, key=score, reverse=True)


def constants(node: ast.AST) -> set[str]:
    return {repr(c.value) for c in ast.walk(node) if isinstance(c, ast.Constant)}


def _as_body(tree: ast.Module, target: Asked) -> str | None:
    """The fragment as the body of `target`: a last expression is returned; names the fragment uses
    but never binds are bound to the parameters in order (answers rename variables)."""
    body = list(tree.body)
    if not body:
        return None
    if isinstance(body[-1], ast.Expr) and not isinstance(body[-1].value, (ast.Yield, ast.YieldFrom)):
        body[-1] = ast.Return(value=body[-1].value)
    unbound = [n for n in _free_names(tree) if n not in target.params]
    spare = [p for p in target.params if p not in _free_names(tree)]
    aliases = [f"{name} = {param}" for name, param in zip(unbound, spare, strict=False)]
    return "\n".join([*aliases, ast.unparse(ast.Module(body=body, type_ignores=[]))])


def _line_replaced(tree: ast.Module, base: str) -> Candidate | None:
    """A one-statement fragment in place of the learner's line it matches (same target, or return)."""
    if not base or len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Assign, ast.AugAssign, ast.Return)):
        return None
    stmt = tree.body[0]
    lines = base.splitlines()
    assignments = (ast.Assign, ast.AugAssign)
    for node in ast.walk(ast.parse(base)):
        same_kind = type(node) is type(stmt) or (isinstance(node, assignments) and isinstance(stmt, assignments))
        if same_kind and _target(node) == _target(stmt) and node.lineno == node.end_lineno:
            line = lines[node.lineno - 1]
            indent = line[: len(line) - len(line.lstrip())]
            new = [*lines[: node.lineno - 1], indent + ast.unparse(stmt), *lines[node.lineno:]]
            if "\n".join(new) != base:
                return Candidate("\n".join(new) + "\n", frozenset())
    return None


def _target(stmt: ast.stmt) -> str:
    if isinstance(stmt, ast.Return):
        return "return"
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]  # type: ignore[attr-defined]
    return ast.unparse(targets[0])


def _replace_defs(base: str, tree: ast.Module) -> str:
    """`base` with each top-level def/class of `tree` replacing the one of the same name (or added)."""
    if not base:
        return ast.unparse(tree) + "\n"
    lines = base.splitlines()
    base_tree = ast.parse(base)
    new_defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    top = [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    others = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                                           ast.AsyncFunctionDef, ast.ClassDef))]
    out: list[str] = [*top]
    position = 0
    for node in base_tree.body:
        name = getattr(node, "name", None)
        if name in new_defs:
            start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
            out.extend(lines[position:start])
            out.append(ast.unparse(new_defs.pop(name)))
            position = node.end_lineno or start + 1
    out.extend(lines[position:])
    rest = [ast.unparse(n) for n in new_defs.values()] + [ast.unparse(n) for n in others]
    return "\n".join([*out, *rest]) + "\n"


def _replace_method(base: str, owner: str, method: ast.FunctionDef) -> str | None:
    """`base` with `method` in class `owner` (replacing the one of the same name), or None."""
    tree = _parse(base)
    if tree is None:
        return None
    lines = base.splitlines()
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name == owner):
            continue
        first = node.body[0]
        indent = lines[first.lineno - 1][: first.col_offset]
        new = textwrap.indent(ast.unparse(method), indent).splitlines()
        for item in node.body:
            if isinstance(item, ast.FunctionDef) and item.name == method.name:
                start = min([item.lineno, *(d.lineno for d in item.decorator_list)]) - 1
                return "\n".join([*lines[:start], *new, *lines[item.end_lineno:]]) + "\n"
        end = node.end_lineno or len(lines)
        return "\n".join([*lines[:end], *new, *lines[end:]]) + "\n"
    return None


def _branch_added(tree: ast.Module, base: str) -> Candidate | None:
    """A lone `if` from the answer as a new branch around the learner's statement it is about
    (`if isinstance(item, list): ...` before `result.append(item)`, which becomes its `else`)."""
    if not base or len(tree.body) != 1 or not isinstance(tree.body[0], ast.If) or tree.body[0].orelse:
        return None
    branch = tree.body[0]
    about = set(_free_names(branch.test))
    base_tree = _parse(base)
    if not about or base_tree is None:
        return None
    lines = base.splitlines()
    for node in ast.walk(base_tree):
        if (isinstance(node, (ast.Expr, ast.Assign, ast.AugAssign)) and node.lineno == node.end_lineno
                and about & {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}):
            indent = lines[node.lineno - 1][: node.col_offset]
            wrapped = ast.If(test=branch.test, body=branch.body, orelse=[node])
            new = textwrap.indent(ast.unparse(wrapped), indent).splitlines()
            return Candidate("\n".join([*lines[: node.lineno - 1], *new, *lines[node.lineno:]]) + "\n", frozenset())
    return None


def _free_names(tree: ast.AST) -> list[str]:
    """Names loaded but never bound in the fragment, not builtins, in order of first use."""
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    bound |= {a.arg for a in ast.walk(tree) if isinstance(a, ast.arg)}
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    bound |= {(a.asname or a.name).split(".")[0] for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
              for a in n.names}
    free: list[str] = []
    names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
    for node in sorted(names, key=lambda n: (n.lineno, n.col_offset)):
        if (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound
                and node.id not in _BUILTINS and node.id not in free):
            free.append(node.id)
    return free


def _indent(code: str) -> str:
    return "".join("    " + line + "\n" if line.strip() else "\n" for line in code.splitlines())


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def parses(code: str) -> bool:
    return isinstance(code, str) and _parse(code) is not None

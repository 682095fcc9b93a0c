"""The answer gate's text part: the code fragments in an AI answer, and whether one repeats the reference.

Fragments come from fenced blocks, inline backticks, indented lines, bare code lines and code-shaped
phrases inside prose ("just return min(xs), max(xs) and you are done"). Fragments and the reference
solution are compared as normalised ASTs, as exercise platforms' representers do: quote style and
spacing vanish in the parse, local names become placeholders numbered in order of appearance
(builtins, attributes and module names stay: `min(x)` is not `max(x)`), docstrings are dropped, and
a line's expression counts without its `return` or assignment target. Only units with enough
structure count (the `*_WEIGHT` floors), so `for item in items:` or `count += 1` never block a hint.
"""

from __future__ import annotations

import ast
import builtins
import copy
import functools
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

# Nodes per unit (names, constants, calls, attributes ...; operators and contexts not counted).
STATEMENT_WEIGHT = 6    # a whole reference statement, or a compound statement's header
LINE_EXPR_WEIGHT = 4    # the expression of a reference line (return value, assigned value, condition)
SUB_EXPR_WEIGHT = 7     # any part of a reference expression
SMALL_LINE_WEIGHT = 4   # a line this small (`if not xs:`, `self.items = {}`) may be quoted even exactly
_PLAIN_VALUES = (0, 1, -1, "", None)  # True and False compare equal to 1 and 0
MAX_FRAGMENTS = 40      # per answer: more is never a hint, and the gate stays bounded
MAX_PHRASE_PARSES = 400  # parse attempts looking for code inside prose, per answer (~20 ms at most)

_KEPT_NAMES = frozenset(dir(builtins)) | {"self", "cls"}
_FENCE = re.compile(r"```[^\n`]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")
_INDENTED = re.compile(r"^(?: {4,}|\t+)\S")
_PROMPT = re.compile(r"^\s*(?:>>>|\.\.\.) ?", re.MULTILINE)
# Where a code-shaped phrase may start inside prose: a keyword that opens code, or a name that is
# called, indexed, assigned or has an attribute taken.
_PHRASE_START = re.compile(
    r"(?<![\w.])(?:[\[{(](?=\S)|(?:def|return|lambda|yield|class|import|from|for|while|if|with|raise|assert)\s"
    r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\s*(?:\(|\[|[+\-*/%]?=(?!=)|%|//?|\*|==|!=|<=?|>=?))"
)
_PHRASE_TRIM = ".,;:!? "
_PROSE_TAIL = re.compile(r"\s(?:and|or|in|is|not|if|else)\s+[A-Za-z]+$")
_CODE_ENDS = frozenset(")]}\"'0123456789")
_IGNORED = (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop, ast.Pass)
_NOT_CODE = (ast.Constant, ast.Name)  # a lone word or number is prose, not code


@dataclass(frozen=True)
class Fragment:
    source: str      # as it appears in the answer, dedented
    tree: ast.Module  # parsed (prompts stripped, a trailing ':' completed)
    where: str       # fenced | inline | indented | line | phrase


# --- fragments ---------------------------------------------------------------------------------

def extract_fragments(text: str) -> list[Fragment]:
    """Every parseable code fragment of `text`, in the order they appear (at most MAX_FRAGMENTS)."""
    found: list[tuple[int, Fragment]] = []
    spans: list[tuple[int, int]] = []

    def add(start: int, end: int, source: str, where: str) -> None:
        tree = parse_fragment(source)
        if tree is not None and _is_code(tree):
            found.append((start, Fragment(textwrap.dedent(source).strip("\n"), tree, where)))
        spans.append((start, end))

    for match in _FENCE.finditer(text):
        add(match.start(), match.end(), match.group(1), "fenced")
    prose = _blank_spans(text, spans)
    for match in _INLINE.finditer(prose):
        add(match.start(), match.end(), match.group(1), "inline")
    prose = _blank_spans(text, spans)
    for start, end, block, where in _line_blocks(prose):
        add(start, end, block, where)
    prose = _blank_spans(text, spans)
    for start, end, phrase in _phrases(prose):
        add(start, end, phrase, "phrase")
    found.sort(key=lambda item: item[0])
    return [fragment for _, fragment in found[:MAX_FRAGMENTS]]


def parse_fragment(source: str) -> ast.Module | None:
    """The fragment as a module, or None when it is not Python (after the usual repairs)."""
    code = textwrap.dedent(_PROMPT.sub("", source)).strip()
    if not code:
        return None
    for attempt in (code, code + " pass" if code.endswith(":") else None):
        if attempt is None:
            continue
        try:
            return ast.parse(attempt)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
    return None


def is_small_line(line: str) -> bool:
    """Whether a reference line is too small to give anything away, even quoted exactly. A line with
    a value in it (`city = "Lisbon"`) is never small: in a lesson of variables it is the answer."""
    tree = parse_fragment(line)
    if tree is None or len(tree.body) != 1:
        return False
    if any(isinstance(n, ast.Constant) and n.value not in _PLAIN_VALUES for n in ast.walk(tree)):
        return False
    return _weight(_header(tree.body[0]) or tree.body[0]) <= SMALL_LINE_WEIGHT


def _is_code(tree: ast.Module) -> bool:
    if not tree.body:
        return False
    lone = tree.body[0]
    return not (len(tree.body) == 1 and isinstance(lone, ast.Expr) and isinstance(lone.value, _NOT_CODE))


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans already taken replaced by spaces (newlines kept, so offsets stay)."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _line_blocks(text: str) -> Iterator[tuple[int, int, str, str]]:
    """Runs of indented lines, and runs of bare lines that parse as code."""
    offset = 0
    run: list[str] = []
    run_start = 0
    run_kind = ""
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        kind = ""
        if stripped:
            if _INDENTED.match(line):
                kind = "indented"
            elif _bare_code(stripped):
                kind = "line"
        if kind and (not run or kind == run_kind or run_kind == "line"):
            if not run:
                run_start, run_kind = offset, kind
            run.append(line)
        else:
            if run:
                yield run_start, offset, "".join(run), run_kind
            run = [line] if kind else []
            run_start, run_kind = offset, kind
        offset += len(line)
    if run:
        yield run_start, offset, "".join(run), run_kind


def _bare_code(line: str) -> bool:
    tree = parse_fragment(line)
    if tree is None or not _is_code(tree):
        return False
    # A sentence that happens to parse ("Try it.") is a name or attribute; code has structure.
    return _weight(tree) >= 3 or not isinstance(tree.body[0], ast.Expr)


def _phrases(text: str) -> Iterator[tuple[int, int, str]]:
    """Code-shaped phrases inside prose lines: the longest parseable span from each likely start."""
    offset = 0
    budget = [MAX_PHRASE_PARSES]
    for line in text.splitlines(keepends=True):
        position = 0
        while True:
            match = _PHRASE_START.search(line, position)
            if match is None:
                break
            if budget[0] <= 0:
                return
            span = _longest_code(line, match.start(), budget)
            if span is None:
                position = match.end()
                continue
            end, phrase = span
            yield offset + match.start(), offset + end, phrase
            position = end
        offset += len(line)


def _longest_code(line: str, start: int, budget: list[int]) -> tuple[int, str] | None:
    """The longest parseable span from `start`; when it ends in a word that prose put there
    ("... != len(xs) and done"), the longest span that ends as code ends (a bracket, quote, digit)."""
    ends = [i for i in range(len(line), start, -1) if i == len(line) or line[i] in " \t\n,;"]
    longest = None
    for end in ends[:60]:
        if budget[0] <= 0:
            break
        budget[0] -= 1
        phrase = line[start:end].rstrip(_PHRASE_TRIM + "\n")
        tree = parse_fragment(phrase)
        if tree is None or not _is_code(tree) or _weight(tree) < 2:
            continue
        if longest is None:
            longest = (start + len(phrase), phrase)
            if not _PROSE_TAIL.search(phrase):
                return longest
        elif phrase[-1] in _CODE_ENDS:
            return start + len(phrase), phrase
    return longest


# --- normalised comparison ---------------------------------------------------------------------

class _Placeholders(ast.NodeTransformer):
    """Local names to _0, _1, ... in order of first appearance; builtins and attributes stay."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _rename(self, name: str) -> str:
        if name in _KEPT_NAMES:
            return name
        return self.names.setdefault(name, f"_{len(self.names)}")

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.copy_location(ast.Name(id=self._rename(node.id), ctx=ast.Load()), node)

    def visit_arg(self, node: ast.arg) -> ast.AST:
        return ast.arg(arg=self._rename(node.arg), annotation=None)


def _key(node: ast.AST) -> str:
    renamed = _Placeholders().visit(copy.deepcopy(node))
    return ast.dump(renamed, annotate_fields=False, include_attributes=False)


def _weight(node: ast.AST) -> int:
    return sum(1 for child in ast.walk(node) if not isinstance(child, (*_IGNORED, ast.Module, ast.Expr)))


def _header(stmt: ast.stmt) -> ast.stmt | None:
    """A compound statement without its body (what its first line says), or None for def/class/try."""
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return ast.For(target=stmt.target, iter=stmt.iter, body=[ast.Pass()], orelse=[])
    if isinstance(stmt, (ast.If, ast.While)):
        return type(stmt)(test=stmt.test, body=[ast.Pass()], orelse=[])
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return ast.With(items=stmt.items, body=[ast.Pass()])
    return None


def _line_expressions(stmt: ast.stmt) -> list[tuple[ast.expr, int]]:
    """A line's expressions with the weight they need to count: what a line computes (a returned or
    assigned value) counts from LINE_EXPR_WEIGHT; a condition or loop range only when it is large,
    since `isinstance(x, list)` or `range(1, n)` alone gives nothing away."""
    if isinstance(stmt, (ast.Return, ast.Expr)) and stmt.value is not None:
        value = stmt.value
        if isinstance(value, (ast.Yield, ast.YieldFrom)) and value.value is not None:
            value = value.value
        return [(value, LINE_EXPR_WEIGHT)]
    if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and stmt.value is not None:
        return [(stmt.value, LINE_EXPR_WEIGHT)]
    if isinstance(stmt, (ast.If, ast.While)):
        return [(stmt.test, SUB_EXPR_WEIGHT)]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [(stmt.iter, SUB_EXPR_WEIGHT)]
    return []


def _statements(tree: ast.AST) -> Iterator[ast.stmt]:
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node


def _without_docstrings(tree: ast.Module) -> ast.Module:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return tree


def _statement_unit(stmt: ast.stmt) -> ast.stmt | None:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Try)):
        return None  # the def lines come with the starter; their bodies are compared line by line
    header = _header(stmt)
    if header is not None:
        return header
    return None if hasattr(stmt, "body") else stmt


@dataclass(frozen=True)
class ReferenceUnits:
    statements: frozenset[str]
    expressions: frozenset[str]


@functools.lru_cache(maxsize=256)
def reference_units(reference_solution: str) -> ReferenceUnits:
    """The normalised statements and expressions of a reference solution worth protecting."""
    try:
        tree = _without_docstrings(ast.parse(reference_solution))
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return ReferenceUnits(frozenset(), frozenset())
    statements: set[str] = set()
    expressions: set[str] = set()
    for stmt in _statements(tree):
        unit = _statement_unit(stmt)
        if unit is not None and _weight(unit) >= STATEMENT_WEIGHT:
            statements.add(_key(unit))
        for expr, floor in _line_expressions(stmt):
            if _weight(expr) >= floor:
                expressions.add(_key(expr))
            for part in ast.walk(expr):
                if isinstance(part, ast.expr) and part is not expr and _weight(part) >= SUB_EXPR_WEIGHT:
                    expressions.add(_key(part))
    return ReferenceUnits(frozenset(statements), frozenset(expressions))


def repeats_reference(fragment: ast.Module, units: ReferenceUnits, known: ReferenceUnits | None = None) -> bool:
    """Whether the fragment holds a reference statement, a line's expression, or a large part of one.
    Units also in `known` (the learner's own code) are not news to the learner and do not count."""
    statements = units.statements - known.statements if known else units.statements
    expressions = units.expressions - known.expressions if known else units.expressions
    tree = _without_docstrings(fragment)
    for stmt in _statements(tree):
        unit = _statement_unit(stmt)
        if unit is not None and _weight(unit) >= STATEMENT_WEIGHT and _key(unit) in statements:
            return True
    for node in ast.walk(tree):
        if isinstance(node, ast.expr) and _weight(node) >= LINE_EXPR_WEIGHT and _key(node) in expressions:
            return True
    return False

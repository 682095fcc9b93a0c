"""Complexity in words for the optimize answer: how the code's running time grows now, after the
suggested change, and what that change costs, read from the syntax tree (no model, no run).

The patterns are the ones beginners meet: loops inside loops, `in` on a list inside a loop, list
methods that scan or shift (`index`, `count`, `remove`, `pop(0)`, `insert(0, ...)`) inside a loop,
sorting inside a loop, a string built with `+=` in a loop, and a function that calls itself twice
without remembering results. The worst one found is described, counted in steps for N items.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

N = 1_000  # the input size the steps are counted for
N_RECURSIVE = 30  # exponential growth is counted at a size where it still finishes

# growth -> (order of growth, rank for "worst", steps at N); exponential counts calls at N_RECURSIVE
_GROWTH = {
    "1": ("O(1)", 0, 1),
    "n": ("O(n)", 1, N),
    "n log n": ("O(n log n)", 2, 10_000),
    "n^2": ("O(n²)", 3, N * N),
    "n^2 log n": ("O(n² log n)", 4, 10 * N * N),
    "n^3": ("O(n³)", 5, N ** 3),
    "2^n": ("O(2ⁿ)", 6, 2 ** N_RECURSIVE),
}
_SCANS = {"index": "searches the list from the start", "count": "walks the whole list",
          "remove": "searches the list and shifts what follows"}
_SHIFTS = {"pop": "`pop(0)` moves every other item one place left",
           "insert": "`insert(0, ...)` moves every item one place right"}
_NESTED_WHY = "the nested loop compares every pair of items"
_SETS = (ast.Set, ast.SetComp, ast.Dict, ast.DictComp)


@dataclass(frozen=True)
class Estimate:
    before: str  # "Now: ..., O(n²) - about 1,000,000 steps for 1,000 items."
    after: str  # "After: ... O(n) ..."
    trade_off: str  # what the faster version costs
    line: int = 0  # where the cause is; 0: the whole code

    def as_text(self) -> str:
        return f"{self.before} {self.after} {self.trade_off}"


@dataclass(frozen=True)
class _Cause:
    growth: str
    line: int
    why: str  # what the code does that costs
    fix: str  # what to change
    growth_after: str
    trade_off: str


def estimate(code: str) -> Estimate:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return Estimate("Now: the code does not parse yet, so its growth cannot be read.",
                        "After: fix the syntax error first, then ask again.", "Trade-off: none yet.")
    causes = [*_loop_causes(tree), *_recursion_causes(tree)]
    depth = _loop_depth(tree)
    if depth >= 2:
        causes.append(_nested(tree, depth))
    if not causes:
        return _plain(depth)
    # The worst growth; at equal growth a named cause (a list scanned by `in` ...) before plain nesting.
    worst = max(causes, key=lambda c: (_GROWTH[c.growth][1], c.why != _NESTED_WHY, -c.line))
    calls = worst.growth == "2^n"  # recursion is counted in calls, at a size where it still finishes
    return Estimate(f"Now: {worst.why}, {_order(worst.growth)} \u2014 {_steps(worst.growth, calls)}.",
                    f"After: {worst.fix} makes it {_order(worst.growth_after)} \u2014 "
                    f"{_steps(worst.growth_after, calls)}.",
                    f"Trade-off: {worst.trade_off}", worst.line)


def _plain(depth: int) -> Estimate:
    if depth == 0:
        return Estimate("Now: there is no loop, so the time does not grow with the input (O(1)).",
                        "After: nothing to gain in speed; the suggestions are about clarity.",
                        "Trade-off: none \u2014 clearer code runs just as fast.")
    return Estimate(f"Now: one pass over the input, {_order('n')} \u2014 {_steps('n')}.",
                    "After: already linear, the best a loop that reads every item can do; the suggestions "
                    "make it clearer, not faster.", "Trade-off: none \u2014 clearer code runs just as fast.")


def _order(growth: str) -> str:
    return _GROWTH[growth][0]


def _steps(growth: str, calls: bool = False) -> str:
    steps = _GROWTH[growth][2]
    if calls:
        return f"about {steps if growth == '2^n' else N_RECURSIVE:,} calls for n = {N_RECURSIVE}"
    return f"about {steps:,} step{'s' if steps != 1 else ''} for {N:,} items"


def _loop_depth(node: ast.AST, depth: int = 0) -> int:
    here = depth + isinstance(node, ast.For | ast.While | ast.comprehension)
    return max([here, *(_loop_depth(child, here) for child in ast.iter_child_nodes(node))])


def _nested(tree: ast.Module, depth: int) -> _Cause:
    outer = [n for n in ast.walk(tree) if isinstance(n, ast.For | ast.While) and _loop_depth(n) >= 2]
    line = outer[0].lineno if outer else 0  # nested comprehensions: the whole code
    if depth >= 3:
        return _Cause("n^3", line, "three loops inside each other visit every triple of items",
                      "keeping what the inner loops compute in a dict, keyed by what they look for,", "n^2",
                      "memory for the dict, and the code must say clearly what the key is.")
    return _Cause("n^2", line, _NESTED_WHY,
                  "a set or dict built once, looked up instead of the inner loop,", "n",
                  "memory for the set or dict (about one entry per item), and the items must be hashable "
                  "(numbers, strings and tuples are; lists are not). If the inner loop really needs every "
                  "pair, O(n²) is the honest cost.")


def _loop_causes(tree: ast.Module) -> list[_Cause]:
    containers = _container_kinds(tree)
    found: list[_Cause] = []
    for loop in (n for n in ast.walk(tree) if isinstance(n, ast.For | ast.While)):
        for node in (n for stmt in loop.body for n in ast.walk(stmt)):
            found.extend(_inside_loop(node, containers))
    return found


def _inside_loop(node: ast.AST, containers: dict[str, str]) -> list[_Cause]:
    if isinstance(node, ast.Compare):
        return [_Cause("n^2", node.lineno, f"`in {right.id}` scans {_a_list(right.id, containers)} on every pass "
                       "of the loop", f"a set for `{right.id}` (`set({right.id})` built once, or `.add()` to a "
                       "set as you go)", "n",
                       "the set takes memory and keeps no order or duplicates; its items must be hashable.")
                for op, right in zip(node.ops, node.comparators, strict=False)
                if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.Name)
                and containers.get(right.id, "list") == "list"]
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and isinstance(node.target, ast.Name) \
            and containers.get(node.target.id) == "str":
        return [_Cause("n^2", node.lineno, f"`{node.target.id} += ...` copies the whole string on every pass",
                       "collecting the pieces in a list and `''.join(...)`-ing them once", "n",
                       "the list of pieces is held in memory until the join.")]
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
        return []
    name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
    if name in ("sorted", "sort"):
        return [_Cause("n^2 log n", node.lineno, "sorting inside the loop sorts everything again on every pass",
                       "sorting once, before the loop,", "n log n",
                       "the sorted copy is kept, and the loop must not change what was sorted.")]
    if isinstance(node.func, ast.Attribute) and name in _SCANS:
        return [_Cause("n^2", node.lineno, f"`.{name}(...)` {_SCANS[name]} on every pass of the loop",
                       "a dict (or `collections.Counter` for counting) filled in one pass", "n",
                       "memory for the dict, one entry per distinct item.")]
    first = node.args[0] if node.args else None
    if isinstance(node.func, ast.Attribute) and name in _SHIFTS and isinstance(first, ast.Constant) \
            and first.value == 0:
        return [_Cause("n^2", node.lineno, f"{_SHIFTS[name]} on every pass of the loop",
                       "`collections.deque` (`popleft()` / `appendleft()`)", "n",
                       "a deque is slow to index in the middle and cannot be sliced.")]
    return []


def _a_list(name: str, containers: dict[str, str]) -> str:
    return f"the list `{name}`" if name in containers else f"`{name}` (if it is a list)"


def _container_kinds(tree: ast.Module) -> dict[str, str]:
    """What each assigned name holds when the code says so: 'list', 'set' (sets and dicts: hashed
    lookups) or 'str'. Names never assigned (parameters) are taken for lists by `in`, the usual case."""
    kinds: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value, name = node.value, node.targets[0].id
        called = value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else ""
        if isinstance(value, _SETS) or called in ("set", "dict", "frozenset", "Counter", "defaultdict"):
            kinds[name] = "set"
        elif isinstance(value, ast.Constant) and isinstance(value.value, str) or called == "str":
            kinds[name] = "str"
        elif isinstance(value, ast.List | ast.ListComp) or called in ("list", "sorted"):
            kinds.setdefault(name, "list")
        else:
            kinds.setdefault(name, "other")
    return kinds


def _recursion_causes(tree: ast.Module) -> list[_Cause]:
    found = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        calls = [n for n in ast.walk(function) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                 and n.func.id == function.name]
        remembered = any(ast.unparse(d).split("(")[0].endswith(("cache", "lru_cache")) for d in function.decorator_list)
        if len(calls) >= 2 and not remembered:
            found.append(_Cause("2^n", function.lineno, f"`{function.name}` calls itself twice per call, so the "
                                "same values are computed again and again", "`@functools.cache` on it "
                                "(each value computed once)", "n", "the cache keeps every result in memory "
                                "for as long as the program runs; the arguments must be hashable."))
    return found

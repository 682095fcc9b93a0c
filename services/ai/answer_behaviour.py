"""The answer gate's behavioural part: code from an AI answer, run with the real grader.

The candidates (answer_candidates.py) come most telling first: the whole conversation's code
joined, each fragment in the asked-for function or method it fits (on the reference solution, so the
learner's other bugs hide nothing), each fragment as a fix of the learner's line or a branch around
it, then second-best fits. At most MAX_CANDIDATES are graded per answer (one sandbox run each, about
25 ms), and the learner's own code once more with the lesson's reference, to know what it fails.
A candidate leaks when it passes every test the learner's code fails, or supplies a whole function
(or method) the challenge asks for that passes every test calling it. Runs use the grader's slots
but count against no learner's limit.
"""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from services.ai.answer_candidates import Asked, candidates, constants, imports_of, parses, used_names, worth_running
from services.ai.answer_text import Fragment
from services.grader.challenge import HIDDEN_PREFIX
from services.grader.errors import GradingInputError
from services.grader.limits import Limits

MAX_CANDIDATES = 6
# An answer's code runs in ~25 ms; a loop in it must not hold a grader slot, or the hint, for seconds.
GATE_RUN_CPU_SECONDS = 1
GATE_RUN_WALL_SECONDS = 1.0
GATE_SECONDS = 1.0  # one answer's runs start within this; past it the answer is refused as unchecked


class GateUnchecked(Exception):
    """The behavioural check could not run (grader busy): the answer is not shown."""


def behaviour_leak(
    fragments: Sequence[Fragment], *, reference_solution: str, tests: Sequence[Any], learner_code: str,
    grader: Any, reference: Any = None, earlier: Sequence[Fragment] = (),
) -> str:
    """Why the answer's code hands over the solution, or "" when it does not."""
    runnable = [f for f in fragments if worth_running(f.tree)]
    history = [f for f in earlier if worth_running(f.tree)]
    if not runnable:
        return ""
    base = learner_code if parses(learner_code) and learner_code.strip() else ""
    deadline = time.monotonic() + GATE_SECONDS
    grader = _Bounded(grader)
    failing, every_test = _failing(base, tests, grader, reference)
    if not failing:
        return ""
    asked = _asked_for(reference_solution, _test_sources(tests, reference), every_test)
    solution = reference_solution if parses(reference_solution) else ""
    imports = "".join(imports_of(f.tree) for f in [*earlier, *fragments])
    for candidate in candidates(runnable, history, asked, base, solution, imports)[:MAX_CANDIDATES]:
        if time.monotonic() > deadline:
            raise GateUnchecked("its code took too long to check")
        passed = _passed(candidate.code, tests, grader, reference)
        if passed is None:
            continue
        if not candidate.whole_only and failing <= passed:
            return "its code passes every test the learner's code fails"
        for item in asked:
            if item.name in candidate.supplies and item.tests & failing and item.tests <= passed:
                return f"it supplies a working {item.name}"
    return ""


# --- what the challenge asks for ---------------------------------------------------------------

def _test_sources(tests: Sequence[Any], reference: Any) -> list[tuple[tuple[str, ...], str]]:
    """Each test source with the report names it gives: its `test*` functions (and their
    parametrised cases), its `Test*` classes' methods, and each hidden check."""
    sources: list[tuple[tuple[str, ...], str]] = []
    for test in tests:
        source = test if isinstance(test, str) else str(getattr(test, "source", "") or "")
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        names = tuple(node.name for node in tree.body
                      if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.lower().startswith("test"))
        sources.append((names, source))
    for check in getattr(reference, "checks", ()) or ():
        sources.append(((HIDDEN_PREFIX + check.name,), check.check))
    return sources


def _source_of(name: str, sources: list[tuple[tuple[str, ...], str]]) -> str:
    for names, source in sources:
        if any(name == n or name.startswith((n + "[", n + ".")) for n in names):
            return source
    return ""


def _asked_for(reference_solution: str, sources: list[tuple[tuple[str, ...], str]],
               every_test: frozenset[str]) -> list[Asked]:
    try:
        tree = ast.parse(reference_solution)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []

    def mentioning(pattern: str) -> frozenset[str]:
        word = re.compile(pattern)
        return frozenset(name for name in every_test if word.search(_source_of(name, sources)))

    asked = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            params = tuple(a.arg for a in node.args.args) if not isinstance(node, ast.ClassDef) else ()
            used = frozenset(used_names(node) | constants(node))
            asked.append(Asked(node.name, params, used, mentioning(rf"\b{re.escape(node.name)}\b")))
        if isinstance(node, ast.ClassDef):
            for method in node.body:
                if isinstance(method, ast.FunctionDef) and not method.name.startswith("__"):
                    asked.append(Asked(
                        f"{node.name}.{method.name}", tuple(a.arg for a in method.args.args),
                        frozenset(used_names(method) | constants(method)),
                        mentioning(rf"\.{re.escape(method.name)}\s*\("), owner=node.name))
    return asked


# --- grading -----------------------------------------------------------------------------------

class _Bounded:
    """The grader with the gate's own short limits (its memory and output limits kept)."""

    def __init__(self, grader: Any) -> None:
        self._grader = grader
        limits = getattr(grader, "limits", None)
        self._limits = replace(limits, cpu_seconds=GATE_RUN_CPU_SECONDS, test_cpu_seconds=GATE_RUN_CPU_SECONDS,
                               wall_seconds=min(limits.wall_seconds, GATE_RUN_WALL_SECONDS)) \
            if isinstance(limits, Limits) else None

    def grade(self, code: str, tests: list[Any], *, reference: Any = None) -> Any:
        if self._limits is None:
            return self._grader.grade(code, tests, reference=reference)
        return self._grader.grade(code, tests, reference=reference, limits=self._limits)


def _grade(code: str, tests: Sequence[Any], grader: Any, reference: Any) -> Any:
    try:
        return grader.grade(code, list(tests), reference=reference)
    except GradingInputError:
        return None


def _failing(base: str, tests: Sequence[Any], grader: Any, reference: Any) -> tuple[frozenset[str], frozenset[str]]:
    """The tests the learner's code fails, and every test's name as the grader reports it. No code
    (or code the grader refuses) fails them all: a stub is graded for the names."""
    report = _grade(base, tests, grader, reference) if base else None
    failing_all = report is None
    if report is None:
        report = _grade("pass\n", tests, grader, reference)
    if report is None:
        return frozenset(), frozenset()
    if report.busy:
        raise GateUnchecked("the grader is busy")
    names = frozenset(t.name for t in report.tests)
    return (names if failing_all else frozenset(t.name for t in report.tests if t.status != "pass")), names


def _passed(code: str, tests: Sequence[Any], grader: Any, reference: Any) -> frozenset[str] | None:
    report = _grade(code, tests, grader, reference)
    if report is None:
        return None
    if report.busy:
        raise GateUnchecked("the grader is busy")
    return frozenset(t.name for t in report.tests if t.status == "pass")

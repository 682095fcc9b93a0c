"""The content check behind `flask lessons check`: every curated lesson proved, not trusted.

Per file: the format; across files: unique ids and orders, prerequisites that exist and form no
cycle; per lesson: the hidden checks are observed on the reference solution and the stored
observations (content/references) are current, the reference solution passes every test and every
hidden check, the starter fails, a hard-coded attack built from the solution fails (unless the lesson
says why it is `unprotectable`), and the ```python blocks of the lesson text run in order in one
namespace without raising.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from markdown_it import MarkdownIt

from services.grader.errors import EmptySubmission, GraderBusy, GradingInputError
from services.grader.reference import Reference
from services.grader.report import Report
from services.lessons.hardcoding import build_hardcoded_attack
from services.lessons.library import STALE_QUIZ_ANSWERS, STALE_REFERENCE, FileProblem, lesson_files, read_lesson_file
from services.lessons.model import Lesson
from services.lessons.quiz_programs import WRONG_ANSWER, answers_to_store
from services.lessons.references import (
    load_quiz_answers,
    load_reference,
    load_variant_reference,
    read_stored,
    reference_file,
    store_reference,
)

BLOCK_TIMEOUT_SECONDS = 10.0
_PYTHON_INFO = {"python", "py", "python3"}
_parser = MarkdownIt("commonmark")

# Runs in a fresh interpreter (-I: no user site, no environment) in an empty temp directory.
_BLOCK_RUNNER = r"""
import contextlib, io, json, sys, traceback
blocks = json.loads(sys.stdin.read())
namespace = {"__name__": "__main__"}
for number, source in enumerate(blocks, 1):
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            exec(compile(source, f"<python block {number}>", "exec"), namespace)
    except BaseException as exc:
        line = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
        print(json.dumps({"block": number, "error": line}))
        sys.exit(1)
print(json.dumps({"ok": len(blocks)}))
"""


class GradesCode(Protocol):
    def grade(self, code: str, tests: list[str] | tuple[str, ...], *, language: str = "python",
              reference: Reference | None = None) -> Report: ...

    def observe(self, solution: str, tests: list[str], checks: tuple, *, language: str = "python") -> Reference: ...

    def run(self, code: str, *, stdin: str = "", language: str = "python") -> Any: ...


@dataclass(frozen=True)
class CheckResult:
    lessons: int
    problems: list[FileProblem]
    quiz_programs: int = 0  # bank questions answered by running their program
    quiz_wrong: int = 0  # of those, how many the author had answered otherwise

    @property
    def ok(self) -> bool:
        return not self.problems


def python_blocks(markdown: str) -> list[str]:
    """The ```python fences of a Markdown text, in order (```text and others are not run)."""
    blocks = []
    for token in _parser.parse(markdown):
        if token.type == "fence" and token.info.strip().split(" ")[0].lower() in _PYTHON_INFO:
            blocks.append(token.content)
    return blocks


def run_blocks(blocks: list[str], timeout: float = BLOCK_TIMEOUT_SECONDS) -> str | None:
    """Run the blocks in one namespace in a subprocess; the error in words, or None when all ran."""
    if not blocks:
        return None
    with tempfile.TemporaryDirectory(prefix="lesson-blocks-") as workdir:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-c", _BLOCK_RUNNER], input=json.dumps(blocks), capture_output=True,
                text=True, cwd=workdir, env=env, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            return f"the lesson's python blocks did not finish within {timeout:g} s"
    lines = done.stdout.strip().splitlines()
    try:
        verdict = json.loads(lines[-1]) if lines else {}
    except ValueError:
        verdict = {}
    if done.returncode == 0 and "ok" in verdict:
        return None
    if "block" in verdict:
        return f"python block {verdict['block']} of the lesson text raised {verdict['error']}"
    return f"the lesson's python blocks failed (exit {done.returncode}): {done.stderr.strip()[-300:]}"


def graph_problems(lessons: list[tuple[Lesson, str]]) -> list[FileProblem]:
    """Unique orders per track, prerequisites that exist, and no prerequisite cycles."""
    problems: list[FileProblem] = []
    by_id = {lesson.id: lesson for lesson, _ in lessons}
    where = {lesson.id: path for lesson, path in lessons}
    orders: dict[tuple[str, int], str] = {}
    for lesson, path in lessons:
        other = orders.setdefault((lesson.language, lesson.order), lesson.id)
        if other != lesson.id:
            problems.append(FileProblem(path, lesson.id, f"order {lesson.order} is also used by {other}"))
        for prerequisite in lesson.prerequisites:
            if prerequisite not in by_id:
                problems.append(FileProblem(path, lesson.id, f"prerequisite {prerequisite!r} does not exist"))
    for cycle in _cycles(by_id):
        problems.append(FileProblem(where[cycle[0]], cycle[0], "prerequisites form a cycle: " + " -> ".join(cycle)))
    return problems


def concept_map_problems(root: Path, lessons: list[Lesson]) -> list[FileProblem]:
    """The concept map (content/concepts/) against the lessons: every concept defined, taught, acyclic."""
    from services.tutor.concepts import concepts_file, load_concept_map

    _, problems = load_concept_map(root, lessons)
    languages = sorted({lesson.language for lesson in lessons}) or ["python"]
    shown = str(concepts_file(root, languages[0]).relative_to(root.resolve().parent))
    return [FileProblem(shown, "concepts", problem) for problem in problems]


def _cycles(by_id: dict[str, Lesson]) -> list[list[str]]:
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in by_id[node].prerequisites:
            if nxt not in by_id:
                continue
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for lesson_id in sorted(by_id):
        if lesson_id not in state:
            visit(lesson_id, [lesson_id])
    return found


def _grade(grader: GradesCode, code: str, lesson: Lesson, reference: Reference | None) -> Report:
    report = grader.grade(code, list(lesson.tests), language=lesson.language, reference=reference)
    if report.busy:  # the pool is shared; one more wait before calling it a problem
        report = grader.grade(code, list(lesson.tests), language=lesson.language, reference=reference)
    return report


def observe_reference(lesson: Lesson, grader: GradesCode) -> Reference:
    """What the reference solution observes for the lesson's hidden checks (raises InvalidTests)."""
    if not lesson.hidden:
        return Reference(())
    try:
        return grader.observe(lesson.solution, list(lesson.tests), lesson.hidden, language=lesson.language)
    except GraderBusy:  # the pool is shared; one more wait
        return grader.observe(lesson.solution, list(lesson.tests), lesson.hidden, language=lesson.language)


def hardcoding_problems(lesson: Lesson, grader: GradesCode, reference: Reference) -> list[str]:
    """The hard-coded attack (literals, lookup tables of the visible calls) must not earn the verdict,
    unless the lesson says why it cannot be told apart from a solution."""
    if lesson.unprotectable:
        return []
    attack = build_hardcoded_attack(lesson.solution, lesson.tests)
    if attack.code is None:  # nothing the visible tests do can be tabulated (file objects, iterators ...)
        return []
    try:
        report = _grade(grader, attack.code, lesson, reference)
    except GradingInputError:
        return []  # e.g. an empty attack: it cannot pass
    if report.passed:
        return [f"a hard-coded attack passes ({attack.note}): add hidden checks on inputs the visible tests "
                "never show, or say in `unprotectable` why it cannot be told apart"[:600]]
    return []


def lesson_problems(lesson: Lesson, grader: GradesCode, stored: Path | None = None, *,
                    variant_id: str = "") -> list[str]:
    """What is wrong with one well-formed lesson when its code is actually run; `stored` is where its
    reference observations are kept (compared with freshly observed ones). Each code variant is proved
    the same way (`variant_id`: this is the lesson as that variant, Lesson.as_variant)."""
    problems: list[str] = []
    reference: Reference | None = None
    try:
        reference = observe_reference(lesson, grader)
    except (GradingInputError, GraderBusy) as exc:
        problems.append(f"the hidden checks cannot be observed on the reference solution: {exc}"[:600])
    if reference is not None and stored is not None:
        kept_file = read_stored(stored)
        kept = (load_variant_reference(lesson, variant_id, kept_file) if variant_id
                else load_reference(lesson, kept_file))
        if kept is None or dict(kept.observations) != dict(reference.observations):
            problems.append(STALE_REFERENCE)
    try:
        solved = _grade(grader, lesson.solution, lesson, reference)
    except GradingInputError as exc:
        problems.append(f"the reference solution cannot be graded: {exc}")
    else:
        if solved.busy:
            problems.append("the grader stayed busy; run the check again")
        elif not solved.passed:
            failing = [f"{t.name} ({t.status}: {t.message})" for t in solved.tests if t.status != "pass"]
            detail = "; ".join(failing) or solved.message
            problems.append(f"the reference solution does not pass ({solved.status}): {detail}"[:600])
    if lesson.starter.strip() != lesson.solution.strip():  # the format check reports equal ones
        try:
            started = _grade(grader, lesson.starter, lesson, reference)
        except EmptySubmission:
            started = None  # an empty starter cannot pass
        except GradingInputError as exc:
            problems.append(f"the starter cannot be graded: {exc}")
            started = None
        if started is not None and started.passed:
            problems.append("the starter passes every test; it must fail at least one")
    if reference is not None:
        problems.extend(hardcoding_problems(lesson, grader, reference))
    answers, quiz_problems = answers_to_store(lesson.quiz, grader)
    problems.extend(quiz_problems)
    if stored is not None and answers and load_quiz_answers(read_stored(stored)) != answers:
        problems.append(STALE_QUIZ_ANSWERS)
    blocks_error = run_blocks(python_blocks(lesson.lesson))
    if blocks_error:
        problems.append(blocks_error)
    for variant in lesson.variants:
        found = lesson_problems(lesson.as_variant(variant), grader, stored, variant_id=variant.id)
        problems.extend(f"variant {variant.id}: {problem}" for problem in found)
    return problems


def check_library(
    root: str | Path, grader: GradesCode, *, concurrency: int = 2,
    progress: Callable[[FileProblem], None] | None = None,
) -> CheckResult:
    """Check every lesson file under `root`; `progress` sees each problem as it is found."""
    root = Path(root)
    problems: list[FileProblem] = []

    def report(found: Iterable[FileProblem]) -> None:
        for problem in found:
            problems.append(problem)
            if progress:
                progress(problem)

    paths = lesson_files(root)
    loaded: list[tuple[Lesson, str]] = []
    stored_at: dict[str, Path] = {}
    seen: dict[str, str] = {}
    for path in paths:
        data, file_problems = read_lesson_file(path, root)
        report(file_problems)
        if data is None or file_problems:
            continue
        shown = file_problems[0].path if file_problems else str(path.relative_to(root.parent))
        if data["id"] in seen:
            report([FileProblem(shown, data["id"], f"id is also used by {seen[data['id']]}")])
            continue
        seen[data["id"]] = shown
        loaded.append((Lesson.from_dict(data, path=shown), shown))
        stored_at[data["id"]] = reference_file(root, path)
    report(graph_problems(loaded))
    report(concept_map_problems(root, [lesson for lesson, _ in loaded]))

    def run(item: tuple[Lesson, str]) -> list[FileProblem]:
        lesson, shown = item
        stored = stored_at[lesson.id]
        return [FileProblem(shown, lesson.id, message) for message in lesson_problems(lesson, grader, stored)]

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for found in pool.map(run, loaded):
            report(found)
    programs = sum(1 for lesson, _ in loaded for q in lesson.quiz if q.program)
    wrong = sum(1 for p in problems if WRONG_ANSWER in p.message)
    return CheckResult(len(paths), problems, programs, wrong)


def write_references(root: str | Path, grader: GradesCode) -> tuple[list[str], list[FileProblem]]:
    """Observe every lesson's hidden checks on its reference solution and store them; returns the ids
    whose stored observations changed and the lessons that could not be observed."""
    root = Path(root)
    changed, problems = [], []
    for path in lesson_files(root):
        data, file_problems = read_lesson_file(path, root)
        if data is None or file_problems:
            problems.extend(file_problems)
            continue
        lesson = Lesson.from_dict(data, path=str(path))
        try:
            reference = observe_reference(lesson, grader)
        except (GradingInputError, GraderBusy) as exc:
            problems.append(FileProblem(str(path), lesson.id, f"cannot be observed: {exc}"))
            continue
        answers, quiz_problems = answers_to_store(lesson.quiz, grader)
        problems.extend(FileProblem(str(path), lesson.id, problem) for problem in quiz_problems)
        variants: dict[str, Reference] = {}
        for variant in lesson.variants:
            try:
                variants[variant.id] = observe_reference(lesson.as_variant(variant), grader)
            except (GradingInputError, GraderBusy) as exc:
                problems.append(FileProblem(str(path), lesson.id, f"variant {variant.id} cannot be observed: {exc}"))
        if (lesson.hidden or answers or variants) and store_reference(lesson, reference, reference_file(root, path),
                                                                      answers, variants):
            changed.append(lesson.id)
    return changed, problems

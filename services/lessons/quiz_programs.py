"""Quiz questions answered by running code: "what does this print / return" is decided by the grader.

A question with a `program` names what the program prints for each choice (`outputs`). Running it in
the sandbox (an uncaught exception prints `raises <Name>`) gives the output; the one choice whose
output matches is the answer. `flask lessons references` stores those answers beside the hidden
checks' observations (with a fingerprint of the program), `flask lessons check` recomputes them and
reports a bank question whose author's answer disagrees, and the library only serves program questions
whose stored answer is current. Generated questions are run the same way before anyone sees them.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass, replace
from typing import Any, Protocol

from services.lessons.model import QuizProgram, QuizQuestion

RAISES = "raises "
WRONG_ANSWER = "but running its program gives choice"  # how the check words a bank answer the run contradicts
# The program runs inside a try so an exception is an observable outcome, after what it printed.
_WRAPPER = "try:\n{body}\nexcept Exception as _quiz_error:\n    print('" + RAISES + "' + type(_quiz_error).__name__)\n"


class RunsCode(Protocol):
    def run(self, code: str, *, stdin: str = "", language: str = "python") -> Any: ...


@dataclass(frozen=True)
class ProgramVerdict:
    output: str  # what the run printed, normalised; "" when it did not run
    answer: int | None  # the choice whose output it is; None when no choice (or several) match
    problem: str = ""  # why the question cannot be answered by its program


def normalise(output: str) -> str:
    """Trailing spaces of each line and trailing blank lines do not count."""
    return "\n".join(line.rstrip() for line in output.rstrip().splitlines())


def fingerprint(program: QuizProgram, choices: tuple[str, ...]) -> str:
    text = "\0".join((program.code, *program.outputs, *choices))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def run_program(program: QuizProgram, grader: RunsCode, *, language: str = "python") -> ProgramVerdict:
    """Run the question's program in the sandbox; which choice's output it printed."""
    code = _WRAPPER.format(body=textwrap.indent(program.code, "    ") or "    pass")
    result = grader.run(code, language=language)
    if result.busy:  # the pool is shared; one more wait before calling it a problem
        result = grader.run(code, language=language)
    if result.busy:
        return ProgramVerdict("", None, "the grader stayed busy")
    if result.status != "ok":
        return ProgramVerdict(normalise(result.output), None, f"the program did not finish: {result.message}"[:300])
    output = normalise(result.output)
    matches = [index for index, expected in enumerate(program.outputs) if normalise(expected) == output]
    if len(matches) != 1:
        shown = output if len(output) <= 120 else output[:120] + "..."
        return ProgramVerdict(output, None, f"its program printed {shown!r}, which is the output of "
                                            f"{'no choice' if not matches else 'several choices'}")
    return ProgramVerdict(output, matches[0])


def program_problem(question: QuizQuestion, grader: RunsCode) -> tuple[int | None, str]:
    """(the run's answer, what is wrong with the question) for one program question; "" when right."""
    assert question.program is not None
    verdict = run_program(question.program, grader)
    if verdict.answer is None:
        return None, verdict.problem
    if verdict.answer != question.answer:
        return verdict.answer, f"its answer is choice {question.answer + 1} {WRONG_ANSWER} {verdict.answer + 1}"
    return verdict.answer, ""


def with_verified_answers(quiz: tuple[QuizQuestion, ...], stored: dict[str, Any]) -> tuple[QuizQuestion, ...]:
    """The quiz with each program question's answer taken from the stored run (keyed by position);
    a program question without a current stored run is marked unverified (never served)."""
    out = []
    for index, question in enumerate(quiz):
        if question.program is None:
            out.append(question)
            continue
        kept = stored.get(str(index)) or {}
        current = kept.get("fingerprint") == fingerprint(question.program, question.choices)
        answer = kept.get("answer")
        if current and isinstance(answer, int) and 0 <= answer < len(question.choices):
            out.append(replace(question, answer=answer, verified=True))
        else:
            out.append(replace(question, verified=False))
    return tuple(out)


def answers_to_store(quiz: tuple[QuizQuestion, ...], grader: RunsCode) -> tuple[dict[str, Any], list[str]]:
    """Run every program question: what the reference file keeps, and the problems found."""
    stored: dict[str, Any] = {}
    problems = []
    for index, question in enumerate(quiz):
        if question.program is None:
            continue
        answer, problem = program_problem(question, grader)
        if problem:
            problems.append(f"quiz question {index + 1} ({question.question[:60]!r}): {problem}")
        if answer is not None:
            stored[str(index)] = {"fingerprint": fingerprint(question.program, question.choices), "answer": answer}
    return stored, problems


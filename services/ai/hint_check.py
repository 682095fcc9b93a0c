"""The answer gate: no AI text a learner sees while a challenge is open hands over a working solution.

`check_hint` judges one answer for one surface (its policy) in three parts, cheapest first:
1. the policy's shape rules: length, and how much code it may show (a hint: no code block longer
   than one line; a chat answer or assistant review may also show the learner's own lines);
2. text, normalised (answer_text.py): no fragment repeats a reference statement, a line's
   expression, or a large part of one, whatever its quotes, spacing or variable names;
3. behaviour (answer_behaviour.py), when the lesson's tests and a grader are given: the answer's code,
   and the conversation's last answers joined with it, run against the tests with the reference.
Anything it cannot read or check is refused with a reason, never an exception.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.ai.answer_behaviour import MAX_CANDIDATES, GateUnchecked, behaviour_leak
from services.ai.answer_text import extract_fragments, is_small_line, reference_units, repeats_reference

log = logging.getLogger(__name__)

MAX_HINT_CHARS = 600
HISTORY_ANSWERS = 3  # earlier answers of a conversation joined with the new one
__all__ = ["MAX_CANDIDATES", "POLICIES", "AnswerPolicy", "check_generated", "check_hint", "rejection_kind"]


@dataclass(frozen=True)
class AnswerPolicy:
    name: str
    max_chars: int
    max_new_code_lines: int    # per code block, lines that are not the learner's own
    learner_lines_free: bool   # the learner's own lines may be quoted back


POLICIES = {
    "hint": AnswerPolicy("hint", MAX_HINT_CHARS, 1, False),
    "chat": AnswerPolicy("chat", 2_000, 1, True),
    "assistant": AnswerPolicy("assistant", 4_000, 1, True),
    # A concept explanation shown beside an open challenge: longer than a chat answer, code as strict.
    "explain": AnswerPolicy("explain", 3_500, 1, True),
}

# Why an answer is refused: (ledger kind, the reason's opening words). The reason goes back to the
# model when it is asked again, and its kind is counted on the admin cost page.
REASONS = {
    "bad-input": "not readable text",
    "empty": "empty answer",
    "too-long": "longer than",
    "code-block": "contains a code block longer than one line",
    "code-lines": "contains more than one line of code",
    "reference-line": "repeats a line of the reference solution",
    "passes-tests": "its code passes every test the learner's code fails",
    "whole-function": "it supplies a working",
    "unchecked": "could not be checked",
}
_MIN_LINE_CHARS = 10
_TRIVIAL = re.compile(r"^(?:pass|else:|try:|finally:|break|continue|return(?: (?:None|True|False|0|\[\]|''|\"\"))?)$")
_FENCE = re.compile(r"```[^\n]*\n?(.*?)(?:```|$)", re.DOTALL)
_INDENTED = re.compile(r"^(?: {4}|\t)\S")
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |for |while |if |elif |else:|return\b|import |from \S+ import |try:|except\b|with )"
    r"|^\s*[A-Za-z_][\w.\[\]]*\s*(?:[+\-*/]?=)\s*\S"
)


def rejection_kind(reason: str) -> str:
    """The ledger's name for a refusal reason."""
    for kind, opening in REASONS.items():
        if reason.startswith(opening):
            return kind
    return "other"


def check_hint(
    text: Any, reference_solution: str, max_chars: int | None = None, *, tests: Sequence[Any] = (),
    learner_code: str = "", grader: Any = None, history: Sequence[str] = (), policy: str = "hint",
    reference: Any = None,
) -> tuple[bool, str]:
    """(True, "") when the answer may be shown, else (False, why). With `tests` and `grader` the
    answer's code is also run (against `reference`'s hidden checks too); `history` holds the
    conversation's earlier answers; `max_chars` overrides the policy's length."""
    rules = POLICIES.get(policy)
    if rules is None:
        raise ValueError(f"unknown answer policy {policy!r}")
    text = _readable(text)
    if text is None:
        return False, REASONS["bad-input"] + " (not UTF-8, or it holds lone surrogates)"
    if not text.strip():
        return False, REASONS["empty"]
    limit = rules.max_chars if max_chars is None else max_chars
    if len(text) > limit:
        return False, f"{REASONS['too-long']} {limit} characters"
    learner_code = learner_code if isinstance(learner_code, str) and _readable(learner_code) else ""
    try:
        return _check(text, reference_solution or "", rules, tests, learner_code, grader, history, reference)
    except GateUnchecked as exc:
        return False, f"{REASONS['unchecked']}: {exc}"
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:  # odd text: refuse, never crash
        log.warning("answer gate could not check an answer: %r", exc)
        return False, f"{REASONS['unchecked']}: the answer could not be parsed"


def check_generated(code: Any, reference_solution: str, *, tests: Sequence[Any] = (), grader: Any = None,
                    reference: Any = None) -> tuple[bool, str]:
    """Code the assistant writes on request, against one challenge: code is the point, so no shape
    rules, but it may not repeat a reference statement or pass the challenge's tests (parts 2 and 3)."""
    text = _readable(code)
    if text is None:
        return False, REASONS["bad-input"]
    rules = AnswerPolicy("generate", 10_000, 10_000, False)
    try:
        return _check(f"```python\n{text}\n```", reference_solution or "", rules, tests, "", grader, (), reference)
    except GateUnchecked as exc:
        return False, f"{REASONS['unchecked']}: {exc}"
    except (RecursionError, MemoryError, ValueError, TypeError):
        return False, f"{REASONS['unchecked']}: the code could not be parsed"


def _readable(text: Any) -> str | None:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(text, str):
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return text


def _check(
    text: str, reference_solution: str, rules: AnswerPolicy, tests: Sequence[Any], learner_code: str,
    grader: Any, history: Sequence[str], reference: Any,
) -> tuple[bool, str]:
    own = {_squash(line) for line in learner_code.splitlines() if line.strip()} if rules.learner_lines_free else set()
    shape = _shape_problem(text, rules, own)
    if shape:
        return False, shape
    fragments = extract_fragments(text)
    units = reference_units(reference_solution)
    known = reference_units(learner_code) if learner_code else None
    for fragment in fragments:
        if repeats_reference(fragment.tree, units, known):
            return False, REASONS["reference-line"]
    if _repeats_raw_line(text, reference_solution, own):
        return False, REASONS["reference-line"]
    if grader is None or not tests:
        return True, ""
    earlier: list = []
    for answer in list(history)[-HISTORY_ANSWERS:]:
        readable = _readable(answer)
        if readable and len(readable) <= rules.max_chars * 4:
            earlier.extend(extract_fragments(readable))
    leak = behaviour_leak(fragments, reference_solution=reference_solution, tests=tests,
                          learner_code=learner_code, grader=grader, reference=reference, earlier=earlier)
    return (False, leak) if leak else (True, "")


def _shape_problem(text: str, rules: AnswerPolicy, own: set[str]) -> str:
    for block in _FENCE.findall(text):
        new = [line for line in block.splitlines() if line.strip() and _squash(line) not in own]
        if len(new) > rules.max_new_code_lines:
            return REASONS["code-block"]
    run = 0
    for line in _FENCE.sub("", text).splitlines():
        looks_like_code = bool(_INDENTED.match(line) or _CODE_LINE.match(line.strip("`")))
        run = run + 1 if looks_like_code and _squash(line) not in own else 0
        if run > rules.max_new_code_lines:
            return REASONS["code-lines"]
    return ""


def _squash(text: str) -> str:
    return " ".join(text.split())


def _repeats_raw_line(text: str, reference_solution: str, own: set[str]) -> bool:
    """The first gate's rule, kept beside the AST comparison: an exact reference line, spacing ignored,
    unless the line is too small to say anything (`if not scores:`)."""
    squashed = _squash(text.replace("`", " "))
    solid = squashed.replace(" ", "")
    for raw in reference_solution.splitlines():
        line = _squash(raw)
        if line.startswith("#") or line in own or len(line.replace(" ", "")) < _MIN_LINE_CHARS or _TRIVIAL.match(line):
            continue
        if line.startswith(("def ", "class ", "import ", "from ")) or is_small_line(line):
            continue  # the starter shows the def lines; naming a module gives nothing away
        if line in squashed or line.replace(" ", "") in solid:
            return True
    return False

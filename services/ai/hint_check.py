"""The gate every AI hint passes before a learner sees it: it must not give the solution away.

Rejects: any non-trivial line of the reference solution (whitespace normalised, also with all
whitespace removed so `a+b` matches `a + b`), any code block (fenced, indented, or bare code lines)
longer than one line, and text over the length limit.
"""

from __future__ import annotations

import re

MAX_HINT_CHARS = 600
# Lines this short, or these shapes, say nothing about the answer (`else:`, `pass`, `return None`).
_MIN_LINE_CHARS = 10
_TRIVIAL = re.compile(r"^(?:pass|else:|try:|finally:|break|continue|return(?: (?:None|True|False|0|\[\]|''|\"\"))?)$")
_FENCE = re.compile(r"```[^\n]*\n?(.*?)(?:```|$)", re.DOTALL)
_INDENTED = re.compile(r"^(?: {4}|\t)\S")
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |for |while |if |elif |else:|return\b|import |from \S+ import |try:|except\b|with )"
    r"|^\s*[A-Za-z_][\w.\[\]]*\s*(?:[+\-*/]?=)\s*\S"
)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _solution_lines(reference_solution: str) -> list[str]:
    lines = []
    for raw in reference_solution.splitlines():
        line = _squash(raw.split("#", 1)[0] if raw.lstrip().startswith("#") else raw)
        if len(line.replace(" ", "")) >= _MIN_LINE_CHARS and not _TRIVIAL.match(line):
            lines.append(line)
    return lines


def check_hint(text: str, reference_solution: str, max_chars: int = MAX_HINT_CHARS) -> tuple[bool, str]:
    """(True, "") when the hint may be shown, else (False, why)."""
    if not text or not text.strip():
        return False, "empty hint"
    if len(text) > max_chars:
        return False, f"longer than {max_chars} characters"
    for block in _FENCE.findall(text):
        if len([line for line in block.splitlines() if line.strip()]) > 1:
            return False, "contains a code block longer than one line"
    run = 0
    for line in text.splitlines():
        looks_like_code = bool(_INDENTED.match(line) or _CODE_LINE.match(line.strip("`")))
        run = run + 1 if looks_like_code else 0
        if run > 1:
            return False, "contains more than one line of code"
    squashed = _squash(text.replace("`", " "))
    solid = squashed.replace(" ", "")
    for line in _solution_lines(reference_solution):
        if line in squashed or line.replace(" ", "") in solid:
            return False, "repeats a line of the reference solution"
    return True, ""

"""Code-validation grader: runs a challenge's tests against a learner's submission in a sandbox.

Public entry point::

    report = grade(code, tests, language="python", limits=None, reference=None)

With a `Reference` (reference.py) the challenge's hidden checks run too and are judged on the server
against the reference solution's observations: a verdict the submission cannot write. Every verdict
that counts as progress is graded with one; `Grader().observe(solution, tests, checks)` builds it.

`tests` are the seed's strings - ``"def test_x():\\n    assert ..."`` - written against the learner's
public names as if ``from solution import *`` had run (``assert 'city' in globals()`` works). Bare
asserts fail with pytest-like messages (``assert 3 == 4``), asserts with a message fail with that
message, errors name the exception and the line of the learner's code. Bad input raises a
`GradingInputError` subclass whose text is meant for the learner.

Probe form. The tests above run inside the sandbox next to the learner's objects, so the verdict is
only as trustworthy as those objects: a submission returning an object whose ``__eq__`` always
returns True passes ``assert add(2, 3) == 5``, and code that reverse-engineers the runner can rig its
own report (this only ever affects the submitter's own result; the sandbox keeps everything else
safe). When a challenge needs exact values, write the check as a `Probe`::

    Probe(name="test_add", expression="add(2, 3)", expected=5)

The sandbox only evaluates ``add(2, 3)`` and reports the value, copied into plain built-in types
(None, bool, int, float, str, list, tuple, dict; anything else is an error). The expected value never
leaves the server, which compares with exact types, so the always-equal object is reported as an
error ("a AlwaysEqual is not plain data") instead of a pass; so is a subclass of int or str with a
rigged `__eq__`. Probes and string tests can be mixed in one list.

The sandbox itself is described in `sandbox.py`, `sandbox_runner.py`, `sandbox_text.py`, `seccomp.py` and
`preload.py`; the default limits live in `Limits`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from services.grader.challenge import Probe
from services.grader.errors import (
    CodeTooLarge,
    EmptySubmission,
    GraderBusy,
    GradingInputError,
    InvalidTests,
    UnknownLanguage,
)
from services.grader.grader import Grader
from services.grader.languages import LANGUAGES, get_language
from services.grader.limits import Limits
from services.grader.preload import PRELOADED_MODULES
from services.grader.reference import HiddenCheck, Observation, Reference
from services.grader.report import Report, RunResult, TestResult

__all__ = [
    "LANGUAGES", "PRELOADED_MODULES", "CodeTooLarge", "EmptySubmission", "Grader", "GraderBusy",
    "GradingInputError", "HiddenCheck", "InvalidTests", "Limits", "Observation", "Probe", "Reference", "Report",
    "RunResult", "TestResult", "UnknownLanguage", "get_language", "grade",
]

_default_grader: Grader | None = None
_default_lock = threading.Lock()


def _get_default_grader() -> Grader:
    global _default_grader
    with _default_lock:
        if _default_grader is None:
            _default_grader = Grader()
        return _default_grader


def grade(
    code: str, tests: Sequence[str | Probe], *, language: str = "python", limits: Limits | None = None,
    reference: Reference | None = None,
) -> Report:
    """Grade `code` against `tests` with the process-wide default Grader (created on first use)."""
    return _get_default_grader().grade(code, tests, language=language, limits=limits, reference=reference)

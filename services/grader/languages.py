"""The registry of languages the grader can run: a dict plus a getter, so another can be added."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from services.grader.errors import UnknownLanguage
from services.grader.limits import Limits
from services.grader.python_language import PythonLanguage
from services.grader.report import Report


class Language(Protocol):
    name: str

    def grade(self, code: str, tests: Sequence[Any], limits: Limits, reference: Any = None) -> Report: ...

    def observe(self, code: str, tests: Sequence[Any], checks: Sequence[Any], limits: Limits) -> Any: ...

    def run(self, code: str, limits: Limits, stdin: str = "") -> Any: ...


# name -> factory; a Grader builds each language it uses once.
LANGUAGES: dict[str, Callable[[], Language]] = {
    "python": PythonLanguage,
}


def get_language(name: str) -> Callable[[], Language]:
    """The factory for `name`; raises UnknownLanguage (a GradingInputError) for anything else."""
    if not isinstance(name, str) or name.lower() not in LANGUAGES:
        raise UnknownLanguage(name, list(LANGUAGES))
    return LANGUAGES[name.lower()]

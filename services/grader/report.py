"""The result of grading one submission."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

RunStatus = Literal["pass", "fail", "error", "timeout"]
TestStatus = Literal["pass", "fail", "error"]

BUSY_MESSAGE = "The grader is busy right now - please try again in a few seconds."


@dataclass(frozen=True)
class TestResult:
    __test__ = False  # not a pytest test class, despite the name

    name: str
    status: TestStatus
    message: str = ""
    output: str = ""
    hidden: bool = False  # a hidden check: judged on the server; its input and output never shown


@dataclass(frozen=True)
class Report:
    status: RunStatus
    tests: list[TestResult] = field(default_factory=list)
    duration_ms: float = 0.0
    message: str = ""
    output: str = ""  # what the code printed while it was being loaded, before any test
    busy: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


RunStatusOfRun = Literal["ok", "error", "timeout"]


@dataclass(frozen=True)
class RunResult:
    """A plain run (the Run button): what the code printed, and how it ended. Never a verdict."""

    status: RunStatusOfRun
    output: str = ""
    message: str = ""  # why it stopped, when it did not end normally
    duration_ms: float = 0.0
    busy: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

"""Typed exceptions for input the grader refuses. Their text is written for the learner."""

from __future__ import annotations


class GradingInputError(ValueError):
    """The submission or the challenge cannot be graded as given; str(exc) is shown to the learner."""


class EmptySubmission(GradingInputError):
    def __init__(self) -> None:
        super().__init__("Your submission is empty - write some code before submitting.")


class CodeTooLarge(GradingInputError):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(
            f"Your code is {length:,} characters long; the limit is {limit:,}. "
            "Please shorten it and submit again."
        )
        self.length = length
        self.limit = limit


class UnknownLanguage(GradingInputError):
    def __init__(self, language: object, known: list[str]) -> None:
        super().__init__(
            f"Submissions in {language!r} cannot be graded; supported: {', '.join(sorted(known))}."
        )


class InvalidTests(GradingInputError):
    """The challenge's tests are unusable (a content problem, not the learner's)."""


class GraderBusy(RuntimeError):
    """No sandbox slot came free in time (for work that has no report to say "busy" in)."""

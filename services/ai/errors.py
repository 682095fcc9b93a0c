"""Exceptions of the AI layer. `AIUnavailable` and `QuotaExceeded` reach the pages; the rest stay inside."""

from __future__ import annotations


class AIUnavailable(Exception):
    """No model answer is possible right now; `str(exc)` is a short note a learner can read."""


class QuotaExceeded(Exception):
    """The learner used up this task's hourly quota; try again after `retry_after` seconds."""

    def __init__(self, task: str, retry_after: int, limit: int) -> None:
        self.task = task
        self.retry_after = max(1, int(retry_after))
        self.limit = limit
        super().__init__(
            f"You have reached the limit of {limit} {task} requests per hour. "
            f"Try again in {_minutes(self.retry_after)}."
        )


class ProviderError(Exception):
    """A provider call failed. `kind` says how: throttled, timeout, server, invalid_output, unsupported,
    config. Tokens a failed call still consumed (invalid output is billed) travel with it."""

    def __init__(
        self, kind: str, detail: str, *, model: str = "", input_tokens: int = 0, output_tokens: int = 0
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.model = model
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens


class OfflineUnsupported(ProviderError):
    """The offline provider has no honest answer for this task (e.g. writing a new lesson)."""

    def __init__(self, detail: str) -> None:
        super().__init__("unsupported", detail)


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"

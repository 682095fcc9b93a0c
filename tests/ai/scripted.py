"""A provider that plays back scripted answers or errors (service tests without HTTP)."""

from __future__ import annotations

from typing import Any

from services.ai.errors import ProviderError
from services.ai.provider import ProviderAnswer
from services.ai.tasks import Task


class ScriptedProvider:
    name = "bedrock"

    def __init__(self, *steps: Any) -> None:
        self.steps = list(steps)
        self.calls: list[tuple[str, dict[str, Any], str]] = []

    def complete(self, task: Task, payload: dict[str, Any], model: str) -> ProviderAnswer:
        self.calls.append((task.name, payload, model))
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, ProviderError):
            raise step
        return ProviderAnswer(data=step, model=model, input_tokens=1000, output_tokens=200, latency_ms=5)

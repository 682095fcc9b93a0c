"""What every AI provider implements. The wiring (services/ai/wiring.py) picks and builds one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from services.ai.tasks import Task


@dataclass(frozen=True)
class ProviderAnswer:
    data: dict[str, Any]
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0
    cache_read_tokens: int = 0  # prompt caching: input read from / written to Bedrock's cache (not in input_tokens)
    cache_write_tokens: int = 0


class Provider(Protocol):
    name: str  # "offline" | "bedrock"

    def complete(self, task: Task, payload: dict[str, Any], model: str) -> ProviderAnswer:
        """Answer the task; raise ProviderError (or OfflineUnsupported) when it cannot."""
        ...

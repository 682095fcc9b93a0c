"""What every AI provider implements, and the registry the app factory picks one from."""

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


class Provider(Protocol):
    name: str  # "offline" | "bedrock"

    def complete(self, task: Task, payload: dict[str, Any], model: str) -> ProviderAnswer:
        """Answer the task; raise ProviderError (or OfflineUnsupported) when it cannot."""
        ...


def get_provider(name: str) -> type:
    """The provider class registered under `name` (offline | bedrock); the app factory builds it:
    `OfflineProvider(lesson_index)` or `BedrockProvider(client, settings)`."""
    # Imported here so the registry does not pull the Bedrock module into offline-only processes.
    from services.ai.bedrock import BedrockProvider
    from services.ai.offline import OfflineProvider

    providers: dict[str, type] = {"offline": OfflineProvider, "bedrock": BedrockProvider}
    try:
        return providers[name]
    except KeyError:
        raise ValueError(f"unknown AI provider {name!r}; choose one of {sorted(providers)}") from None

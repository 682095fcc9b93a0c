"""The Bedrock provider: the Converse API with a forced tool, so the answer is JSON for the task's schema.

boto3 is imported only when a client is built (offline processes never load it). Timeouts are set
explicitly, retries use botocore's `standard` mode, and `ModelTimeoutException` (which botocore does
not retry) gets one extra try while the call's deadline allows it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from services.ai.errors import ProviderError
from services.ai.models import price_of
from services.ai.prompt_cache import add_cache_points
from services.ai.provider import ProviderAnswer
from services.ai.settings import AISettings
from services.ai.tasks import Task

log = logging.getLogger(__name__)

_ERROR_KINDS = {
    "ThrottlingException": "throttled",
    "ModelTimeoutException": "timeout",
    "InternalServerException": "server",
    "ServiceUnavailableException": "server",
    "ModelErrorException": "server",
    "ModelNotReadyException": "server",
    # Our mistakes (wrong model id, no model access, bad request): never fixed by retrying.
    "AccessDeniedException": "config",
    "ResourceNotFoundException": "config",
    "ValidationException": "config",
}


def make_bedrock_client(settings: AISettings, session: Any = None, **client_kwargs: Any) -> Any:
    """A `bedrock-runtime` client with the timeouts and retry mode the pages need. The app factory
    calls this once; `session` / `client_kwargs` let tests pass fake credentials."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=settings.connect_timeout_s,
        read_timeout=settings.read_timeout_s,
        retries={"mode": "standard", "total_max_attempts": settings.max_attempts},
    )
    factory = session if session is not None else boto3.session.Session()
    kwargs: dict[str, Any] = {"region_name": settings.region or None, "config": config}  # None: boto3's own
    if settings.endpoint_url:
        kwargs["endpoint_url"] = settings.endpoint_url
    return factory.client("bedrock-runtime", **kwargs, **client_kwargs)


def converse_request(task: Task, payload: dict[str, Any], model: str) -> dict[str, Any]:
    """The Converse request; with cache points where the shared prefix reaches the model's caching
    minimum (services/ai/prompt_cache.py)."""
    system, user = task.build_prompt(payload)
    context = task.build_context(payload) if task.build_context else ""
    turns = task.build_turns(payload) if task.build_turns else []
    system_blocks = [{"text": system}, *([{"text": context}] if context else [])]
    messages = [*({"role": role, "content": [{"text": text}]} for role, text in turns),
                {"role": "user", "content": [{"text": user}]}]
    add_cache_points(system_blocks, messages, _cache_min_tokens(model))
    return {
        "modelId": model,
        "system": system_blocks,
        "messages": messages,
        "inferenceConfig": {"maxTokens": task.max_tokens, "temperature": task.temperature},
        "toolConfig": {
            "tools": [
                {
                    "toolSpec": {
                        "name": task.tool_name,
                        "description": f"Give the {task.name} answer in this exact structure.",
                        "inputSchema": {"json": task.schema},
                    }
                }
            ],
            "toolChoice": {"tool": {"name": task.tool_name}},
        },
    }


def _cache_min_tokens(model: str) -> int:
    try:
        return price_of(model).cache_min_tokens
    except KeyError:  # a model the price table does not know: no cache points (and its cost raises later)
        return 0


class BedrockProvider:
    name = "bedrock"

    def __init__(self, client: Any, settings: AISettings, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._client = client
        self._settings = settings
        self._monotonic = monotonic

    def complete(self, task: Task, payload: dict[str, Any], model: str) -> ProviderAnswer:
        request = converse_request(task, payload, model)
        started = self._monotonic()
        try:
            response = self._converse(request, model, started)
        finally:
            elapsed_ms = int((self._monotonic() - started) * 1000)
        return _parse(response, task, model, elapsed_ms)

    def _converse(self, request: dict[str, Any], model: str, started: float) -> dict[str, Any]:
        from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

        for attempt in (1, 2):
            try:
                return self._client.converse(**request)
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                kind = _ERROR_KINDS.get(code, "server")
                time_left = self._settings.call_deadline_s - (self._monotonic() - started)
                if code == "ModelTimeoutException" and attempt == 1 and time_left > self._settings.read_timeout_s:
                    log.info("Bedrock model timeout on %s, one extra try", model)
                    continue
                if kind == "config":
                    log.error("Bedrock rejected the request for %s: %s", model, exc)
                raise ProviderError(kind, f"{code}: {exc}", model=model) from exc
            except (ReadTimeoutError, ConnectTimeoutError) as exc:
                raise ProviderError("timeout", str(exc), model=model) from exc
            except BotoCoreError as exc:
                raise ProviderError("server", str(exc), model=model) from exc
        raise AssertionError("unreachable")  # pragma: no cover


def _parse(response: dict[str, Any], task: Task, model: str, elapsed_ms: int) -> ProviderAnswer:
    usage = response.get("usage", {})
    tokens = {"input_tokens": int(usage.get("inputTokens", 0)), "output_tokens": int(usage.get("outputTokens", 0))}
    cached = {"cache_read_tokens": int(usage.get("cacheReadInputTokens", 0)),
              "cache_write_tokens": int(usage.get("cacheWriteInputTokens", 0))}
    stop = response.get("stopReason", "")
    if stop != "tool_use":
        # max_tokens: the JSON was cut off; malformed_*: the model broke the tool format; others:
        # guardrail / content filter. None of these gives an answer we may show.
        raise ProviderError("invalid_output", f"stopReason={stop}", model=model, **tokens)
    blocks = response.get("output", {}).get("message", {}).get("content", [])
    for block in blocks:
        tool_use = block.get("toolUse")
        if tool_use and tool_use.get("name") == task.tool_name:
            data = tool_use.get("input")
            if not isinstance(data, dict):
                raise ProviderError("invalid_output", "tool input is not an object", model=model, **tokens)
            latency = int(response.get("metrics", {}).get("latencyMs", elapsed_ms))
            return ProviderAnswer(data=data, model=model, latency_ms=latency, **tokens, **cached)
    raise ProviderError("invalid_output", "no toolUse block for the forced tool", model=model, **tokens)

"""AIService: the one door to the models. Quota -> emergency mode -> circuit breaker -> provider ->
schema check -> ledger; on any model failure the offline answer, with a short note saying so."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dal.base import Store
from services.ai.breaker import CircuitBreaker
from services.ai.budget import Budget
from services.ai.cache_hits import CacheHitCounter
from services.ai.errors import AIUnavailable, OfflineUnsupported, ProviderError
from services.ai.models import OFFLINE, cost_usd
from services.ai.provider import Provider, ProviderAnswer
from services.ai.quotas import QuotaGuard
from services.ai.schema import SchemaError, validate
from services.ai.settings import AISettings
from services.ai.tasks import TASKS, Task
from services.clock import Clock, utcnow

log = logging.getLogger(__name__)

NOTE_OFFLINE = "Answered by the offline assistant."
NOTE_EMERGENCY = "AI is paused (emergency mode); this is the offline answer."
NOTE_CIRCUIT = "The AI service is having trouble, so it is resting for a minute; this is the offline answer."
NOTE_FAILED = {
    "throttled": "The AI service is busy right now; this is the offline answer.",
    "timeout": "The AI took too long to answer; this is the offline answer.",
    "invalid_output": "The AI's answer could not be used; this is the offline answer.",
}
NOTE_FAILED_OTHER = "The AI service is unavailable right now; this is the offline answer."
UNAVAILABLE_EMERGENCY = "AI is paused (emergency mode) and this needs an AI model. Please try again later."
UNAVAILABLE = "The AI service is unavailable right now. Please try again in a few minutes."
UNAVAILABLE_OFFLINE = "This is unavailable in offline mode: it needs an AI model, and none is configured."


@dataclass(frozen=True)
class AIResult:
    data: dict[str, Any]  # valid against TASKS[task].schema
    source: str  # bedrock | offline
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: int = 0
    note: str = ""  # shown to the learner when not empty
    cache_read_tokens: int = 0  # prompt caching (services/ai/prompt_cache.py), priced apart
    cache_write_tokens: int = 0


class AIService:
    def __init__(
        self,
        provider: Provider,
        store: Store,
        *,
        settings: AISettings,
        clock: Clock = utcnow,
        fallback: Provider | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`fallback` is the offline provider used when the model cannot answer; when `provider` is
        itself offline it is its own fallback."""
        self.provider = provider
        self.settings = settings
        self.fallback = fallback if fallback is not None else (provider if provider.name == OFFLINE else None)
        self.budget = Budget(store, settings, clock, monotonic)
        self.quotas = QuotaGuard(store, settings, clock)
        self.breaker = CircuitBreaker(settings.breaker_threshold, settings.breaker_cooldown_s, monotonic)
        self.cache_hits = CacheHitCounter(store, monotonic=monotonic)  # reads of the AI cache, batched
        self._monotonic = monotonic

    @property
    def uses_model(self) -> bool:
        return self.provider.name != OFFLINE

    def run(self, task: str, payload: dict[str, Any], *, user_id: str | None = None) -> AIResult:
        spec = TASKS.get(task)
        if spec is None:
            raise ValueError(f"unknown AI task {task!r}")
        spec.check_payload(payload)
        if user_id:
            self.quotas.hit(user_id, task)
        if not self.uses_model:
            return self._offline(spec, payload, NOTE_OFFLINE, UNAVAILABLE_OFFLINE)
        if self.budget.is_emergency():
            return self._offline(spec, payload, NOTE_EMERGENCY, UNAVAILABLE_EMERGENCY)
        if not self.breaker.allow():
            return self._offline(spec, payload, NOTE_CIRCUIT, UNAVAILABLE)
        try:
            return self._ask_model(spec, payload)
        except ProviderError as exc:
            log.warning("AI %s failed (%s): %s", task, exc.kind, exc.detail)
            return self._offline(spec, payload, NOTE_FAILED.get(exc.kind, NOTE_FAILED_OTHER), UNAVAILABLE)

    def _ask_model(self, spec: Task, payload: dict[str, Any]) -> AIResult:
        model = self.settings.model_for(spec.name)
        # One retry when the output is unusable (cut off, malformed, off-schema); transport errors are
        # already retried by botocore and count against the breaker at once.
        for attempt in (1, 2):
            started = self._monotonic()
            try:
                answer = self.provider.complete(spec, payload, model)
            except ProviderError as exc:
                self._record(spec, exc.model or model, exc.input_tokens, exc.output_tokens)
                self.breaker.record_failure()
                if exc.kind == "invalid_output" and attempt == 1:
                    continue
                raise
            cost = self._record(spec, answer.model, answer.input_tokens, answer.output_tokens,
                                answer.cache_read_tokens, answer.cache_write_tokens)
            try:
                validate(answer.data, spec.schema)
            except SchemaError as exc:
                self.breaker.record_failure()
                if attempt == 1:
                    log.info("AI %s answer off-schema, retrying: %s", spec.name, exc)
                    continue
                raise ProviderError("invalid_output", str(exc), model=answer.model) from exc
            self.breaker.record_success()
            return AIResult(
                data=answer.data,
                source=self.provider.name,
                model=answer.model,
                input_tokens=answer.input_tokens,
                output_tokens=answer.output_tokens,
                cost_usd=cost,
                cache_read_tokens=answer.cache_read_tokens,
                cache_write_tokens=answer.cache_write_tokens,
                latency_ms=answer.latency_ms or int((self._monotonic() - started) * 1000),
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _record(self, spec: Task, model: str, input_tokens: int, output_tokens: int, cache_read: int = 0,
                cache_write: int = 0) -> float:
        """The ledger's input tokens are every input token the call had, cached or not; its cost prices
        cache reads and writes at their own rates (services/ai/models.py)."""
        cost = cost_usd(model, input_tokens, output_tokens, cache_read, cache_write)
        self.budget.record(spec.feature, model, input_tokens + cache_read + cache_write, output_tokens, cost)
        self.budget.check_projection()
        return cost

    def _offline(self, spec: Task, payload: dict[str, Any], note: str, unavailable: str) -> AIResult:
        if self.fallback is None:
            raise AIUnavailable(unavailable)
        try:
            answer: ProviderAnswer = self.fallback.complete(spec, payload, OFFLINE)
        except OfflineUnsupported as exc:
            raise AIUnavailable(unavailable) from exc
        validate(answer.data, spec.schema)  # a broken offline answer is our bug: let it raise
        self.budget.record(spec.feature, OFFLINE)  # a call avoided
        return AIResult(data=answer.data, source=OFFLINE, model=OFFLINE, note=note)

"""Fixed-window rate limits on the store's atomic counters (shared by every process)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dal.base import Store
from services.clock import Clock, utcnow


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window resets (0 when allowed)
    window_key: str = ""  # the counter this decision counted on (for `refund`)
    window_ends: datetime | None = None


class RateLimiter:
    def __init__(self, store: Store, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    def _window(self, key: str, window_seconds: int) -> tuple[str, datetime, int]:
        now = self._clock().timestamp()
        start = math.floor(now / window_seconds) * window_seconds
        end = start + window_seconds
        return f"{key}@{start}", datetime.fromtimestamp(end, UTC), max(1, math.ceil(end - now))

    def hit(self, key: str, limit: int, window_seconds: int) -> Decision:
        """Count one event; allowed while the window's count stays within `limit`."""
        window_key, ends, remaining = self._window(key, window_seconds)
        count = self._store.increment_counter(window_key, ends, self._clock())
        allowed = count <= limit
        return Decision(allowed, count, 0 if allowed else remaining, window_key, ends)

    def space(self, key: str, seconds: int) -> Decision:
        """At most one event per `seconds`, counted from the last one let through."""
        now = self._clock()
        ends = now + timedelta(seconds=seconds)
        count = self._store.increment_counter(key, ends, now)  # a live counter keeps its first expiry
        allowed = count <= 1
        return Decision(allowed, count, 0 if allowed else seconds, key, ends)

    def refund(self, decision: Decision) -> None:
        """Give back the event a `hit` counted (an attempt that turned out not to count)."""
        if decision.window_key and decision.window_ends is not None:
            self._store.increment_counter(decision.window_key, decision.window_ends, self._clock(), amount=-1)

    def check(self, key: str, limit: int, window_seconds: int) -> Decision:
        """Look without counting."""
        window_key, _, remaining = self._window(key, window_seconds)
        count = self._store.get_counter(window_key, self._clock())
        allowed = count < limit
        return Decision(allowed, count, 0 if allowed else remaining)

    def reset(self, key: str, window_seconds: int) -> None:
        window_key, _, _ = self._window(key, window_seconds)
        self._store.delete_counter(window_key)

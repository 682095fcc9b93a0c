"""A circuit breaker around model calls: after `threshold` failures in a row it stops calling for
`cooldown_s`, then lets one trial call through (half-open). State lives in the process: a warm Lambda
container remembers it, a cold one starts closed, which is what we want (cheap, no store write)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class CircuitBreaker:
    def __init__(self, threshold: int, cooldown_s: float, monotonic: Callable[[], float]) -> None:
        self._threshold = max(1, threshold)
        self._cooldown_s = cooldown_s
        self._now = monotonic
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half-open" if self._now() - self._opened_at >= self._cooldown_s else "open"

    def allow(self) -> bool:
        """May a call go out now? In half-open state only one trial call at a time."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half-open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self._threshold:
                self._opened_at = self._now()
            self._trial_running = False

"""Per-learner hourly quotas per AI task: fixed windows on the store's atomic counters."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from dal.base import Store
from services.ai.errors import QuotaExceeded
from services.ai.settings import AISettings
from services.clock import Clock, utcnow


class QuotaGuard:
    def __init__(self, store: Store, settings: AISettings, clock: Clock = utcnow) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock

    def _window(self, user_id: str, task: str) -> tuple[str, datetime, int]:
        now = self._clock().timestamp()
        size = self._settings.quota_window_s
        start = math.floor(now / size) * size
        return (
            f"ai-quota:{task}:{user_id}@{start}",
            datetime.fromtimestamp(start + size, UTC),
            math.ceil(start + size - now),
        )

    def hit(self, user_id: str, task: str) -> int:
        """Count one request; returns how many remain in the window. Raises QuotaExceeded past the limit."""
        limit = self._settings.quota_for(task)
        key, ends, retry_after = self._window(user_id, task)
        used = self._store.increment_counter(key, ends, self._clock())
        if used > limit:
            raise QuotaExceeded(task, retry_after, limit)
        return limit - used

    def check(self, user_id: str, task: str) -> None:
        """Raise QuotaExceeded when the window's quota is spent, without counting a request."""
        limit = self._settings.quota_for(task)
        key, _, retry_after = self._window(user_id, task)
        if self._store.get_counter(key, self._clock()) >= limit:
            raise QuotaExceeded(task, retry_after, limit)

    def remaining(self, user_id: str, task: str) -> int:
        key, _, _ = self._window(user_id, task)
        return max(0, self._settings.quota_for(task) - self._store.get_counter(key, self._clock()))

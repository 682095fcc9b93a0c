"""Hits on the AI cache (explanations, generated quiz questions), counted in memory and added to each
entry's hit count in batches.

A cached explanation can be read on every view of a page; a store write per read would double the
cost of that read (one DynamoDB UpdateItem each). One write per key per `batch` hits, or per
`max_age_s` seconds, keeps the count while sparing the store; the admin cache page flushes its own
process's count first. A process that dies loses at most its unflushed hits: fine for a counter that
tells which entries are worth keeping.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable

from dal.base import Store, StoreError

log = logging.getLogger(__name__)


class CacheHitCounter:
    def __init__(self, store: Store, *, batch: int = 20, max_age_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._batch = max(1, batch)
        self._max_age_s = max_age_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._pending: Counter[str] = Counter()
        self._since = monotonic()

    def record(self, key: str) -> None:
        with self._lock:
            self._pending[key] += 1
            due = (sum(self._pending.values()) >= self._batch
                   or self._monotonic() - self._since >= self._max_age_s)
            pending = self._take() if due else None
        if pending:
            self._write(pending)

    def flush(self) -> None:
        with self._lock:
            pending = self._take()
        self._write(pending)

    def pending(self, key: str) -> int:
        with self._lock:
            return self._pending[key]

    def _take(self) -> Counter[str]:
        pending, self._pending, self._since = self._pending, Counter(), self._monotonic()
        return pending

    def _write(self, pending: Counter[str]) -> None:
        for key, hits in pending.items():
            try:
                self._store.record_lesson_hit(key, hits)
            except StoreError as exc:  # a count, not the page: log and go on
                log.warning("cache hits on %s not recorded: %s", key, exc)

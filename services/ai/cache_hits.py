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
import time
from collections import Counter
from collections.abc import Callable

from dal.base import Store, StoreError
from services.ai.batched_counts import BatchedCounts

log = logging.getLogger(__name__)


class CacheHitCounter:
    def __init__(self, store: Store, *, batch: int = 20, max_age_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._counts: BatchedCounts[str] = BatchedCounts(self._write, batch=batch, max_age_s=max_age_s,
                                                         monotonic=monotonic)

    def record(self, key: str) -> None:
        self._counts.add(key)

    def flush(self) -> None:
        self._counts.flush()

    def pending(self, key: str) -> int:
        return self._counts.pending(key)

    def _write(self, pending: Counter[str]) -> None:
        for key, hits in pending.items():
            try:
                self._store.record_lesson_hit(key, hits)
            except StoreError as exc:  # a count, not the page: log and go on
                log.warning("cache hits on %s not recorded: %s", key, exc)

"""Counts kept in memory and written in batches: one write per `batch` counts, or per `max_age_s`
seconds, whichever comes first.

For counters a page would otherwise pay a store write for on every view (lesson views in the ledger,
hits on the AI cache): the figure stays while the store is spared. A process that dies loses at most
its unwritten batch, which is fine for monitoring counts.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Key = TypeVar("Key", bound=Hashable)


class BatchedCounts(Generic[Key]):
    def __init__(self, write: Callable[[Counter[Key]], None], *, batch: int = 20, max_age_s: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._write = write
        self._batch = max(1, batch)
        self._max_age_s = max_age_s
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._pending: Counter[Key] = Counter()
        self._since = monotonic()

    def add(self, key: Key) -> None:
        with self._lock:
            self._pending[key] += 1
            due = (sum(self._pending.values()) >= self._batch
                   or self._monotonic() - self._since >= self._max_age_s)
            pending = self._take() if due else None
        if pending:  # written outside the lock: a slow store never holds up other threads' counts
            self._write(pending)

    def flush(self) -> None:
        with self._lock:
            pending = self._take()
        if pending:
            self._write(pending)

    def pending(self, key: Key) -> int:
        with self._lock:
            return self._pending[key]

    def _take(self) -> Counter[Key]:
        pending, self._pending, self._since = self._pending, Counter(), self._monotonic()
        return pending

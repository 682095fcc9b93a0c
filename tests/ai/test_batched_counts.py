"""Counts kept in memory and written in batches (lesson views, cache hits)."""

from __future__ import annotations

from collections import Counter

from services.ai.batched_counts import BatchedCounts


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_counts_are_written_once_a_batch_is_full_and_nothing_is_lost():
    written: list[Counter] = []
    counts = BatchedCounts(written.append, batch=3, max_age_s=60, monotonic=Clock())
    counts.add("a")
    counts.add("b")
    assert written == [] and counts.pending("a") == 1
    counts.add("a")
    assert written == [Counter({"a": 2, "b": 1})] and counts.pending("a") == 0


def test_an_old_batch_is_written_with_the_next_count():
    clock, written = Clock(), []
    counts = BatchedCounts(written.append, batch=100, max_age_s=60, monotonic=clock)
    counts.add("a")
    clock.now = 61
    counts.add("a")
    assert written == [Counter({"a": 2})]


def test_flush_writes_what_is_pending_and_nothing_when_empty():
    written: list[Counter] = []
    counts = BatchedCounts(written.append, batch=100, monotonic=Clock())
    counts.flush()
    assert written == []
    counts.add(("2026-12-01", "library"))
    counts.flush()
    assert written == [Counter({("2026-12-01", "library"): 1})]

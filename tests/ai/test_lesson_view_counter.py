"""Lesson views reach the ledger in batches, by count or by age, and nothing is lost on flush."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.ai.cost_report import LESSON_VIEWS, LessonViewCounter

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


class LedgerSpy:
    def __init__(self) -> None:
        self.rows = []

    def add_usage(self, record) -> None:
        self.rows.append(record)

    def views(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for row in self.rows:
            assert row.feature == LESSON_VIEWS and row.day == NOW.date()
            totals[row.model] = totals.get(row.model, 0) + row.calls
        return totals


def test_views_are_written_once_per_batch():
    ledger = LedgerSpy()
    counter = LessonViewCounter(ledger, batch=5, max_age_s=3600, clock=lambda: NOW)
    for _ in range(4):
        counter.record("library")
    assert ledger.rows == []
    counter.record("cache")
    assert ledger.views() == {"library": 4, "cache": 1}
    assert len(ledger.rows) == 2  # one row per source, not per view


def test_old_views_are_written_when_the_batch_is_stale():
    ledger, tick = LedgerSpy(), [0.0]
    counter = LessonViewCounter(ledger, batch=100, max_age_s=60, clock=lambda: NOW, monotonic=lambda: tick[0])
    counter.record("library")
    assert ledger.rows == []
    tick[0] = 61.0
    counter.record("library")
    assert ledger.views() == {"library": 2}


def test_flush_writes_what_is_pending_and_rejects_unknown_sources():
    ledger = LedgerSpy()
    counter = LessonViewCounter(ledger, batch=100, clock=lambda: NOW)
    counter.record("generated")
    counter.flush()
    counter.flush()  # nothing pending: nothing written twice
    assert ledger.views() == {"generated": 1}
    with pytest.raises(ValueError):
        counter.record("somewhere")

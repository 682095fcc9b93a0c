"""Contract: the AI usage ledger."""

from __future__ import annotations

from datetime import date

import pytest

from dal.base import UsageRecord
from tests.dal.helpers import assert_plain_values, run_together


def test_usage_rows_add_up(store):
    day = date(2026, 11, 21)
    store.add_usage(
        UsageRecord(day, "hint", "haiku", calls=1, input_tokens=100, output_tokens=20, cost_usd=0.1)
    )
    store.add_usage(
        UsageRecord(day, "hint", "haiku", calls=2, input_tokens=50, output_tokens=5, cost_usd=0.2)
    )
    store.add_usage(
        UsageRecord(day, "tutor", "haiku", calls=1, input_tokens=10, output_tokens=1, cost_usd=0.01)
    )

    rows = store.list_usage(day, day)

    assert [(row.feature, row.calls, row.input_tokens, row.output_tokens) for row in rows] == [
        ("hint", 3, 150, 25),
        ("tutor", 1, 10, 1),
    ]
    assert rows[0].cost_usd == pytest.approx(0.3)
    assert rows[0].day == day
    assert_plain_values(rows)
    assert type(rows[0].calls) is int and type(rows[0].cost_usd) is float


def test_usage_range_is_inclusive_and_crosses_months(store):
    for day in (date(2026, 1, 30), date(2026, 1, 31), date(2026, 2, 1), date(2026, 3, 1), date(2026, 3, 2)):
        store.add_usage(UsageRecord(day, "lesson", "sonnet", calls=1))

    rows = store.list_usage(date(2026, 1, 31), date(2026, 3, 1))

    assert [row.day for row in rows] == [date(2026, 1, 31), date(2026, 2, 1), date(2026, 3, 1)]
    assert store.list_usage(date(2025, 1, 1), date(2025, 12, 31)) == []


def test_concurrent_usage_adds_are_all_counted(store):
    day = date(2026, 11, 22)

    def add_ten(_index):
        for _ in range(10):
            store.add_usage(UsageRecord(day, "assistant", "haiku", calls=1, input_tokens=3, cost_usd=0.5))

    outcomes = run_together(add_ten)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    (row,) = store.list_usage(day, day)
    assert (row.calls, row.input_tokens, row.cost_usd) == (20, 60, 10.0)

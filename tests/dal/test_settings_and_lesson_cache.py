"""Contract: settings and the lesson cache."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dal.base import LessonCacheEntry
from tests.dal.helpers import assert_plain_values, run_together


@pytest.mark.parametrize(
    "value", [True, 12, 0.25, "emergency", ["a", 1], {"monthly_budget_usd": 25.5, "alerts": [50, 80]}]
)
def test_setting_round_trips_json_values(store, value):
    store.put_setting("budget", value)
    assert store.get_setting("budget") == value
    assert_plain_values(store.get_setting("budget"))


def test_setting_is_none_until_set_and_can_be_replaced(store):
    assert store.get_setting("emergency_mode") is None
    store.put_setting("emergency_mode", False)
    store.put_setting("emergency_mode", True)
    assert store.get_setting("emergency_mode") is True


def _entry(key, now, lifetime=timedelta(days=7), **fields):
    defaults = {
        "content": {"title": "Loops", "sections": [{"body": "for x in y"}], "minutes": 7.5},
        "source": "ai",
    }
    return LessonCacheEntry(key=key, created_at=now, expires_at=now + lifetime, **{**defaults, **fields})


def test_cached_lesson_reads_back(store, now):
    entry = _entry(
        "python:beginner:loops",
        now,
        model="claude",
        input_tokens=1200,
        output_tokens=800,
        cost_usd=0.0123,
        hit_count=2,
    )
    store.put_cached_lesson(entry)

    cached = store.get_cached_lesson("python:beginner:loops", now)
    assert cached == entry
    assert_plain_values(cached)
    assert store.get_cached_lesson("python:beginner:other", now) is None


def test_expired_cached_lesson_is_not_returned(store, now):
    store.put_cached_lesson(_entry("k", now - timedelta(days=8)))
    assert store.get_cached_lesson("k", now) is None


def test_put_replaces_a_cached_lesson(store, now):
    store.put_cached_lesson(_entry("k", now - timedelta(days=8)))
    store.put_cached_lesson(_entry("k", now, source="static"))
    assert store.get_cached_lesson("k", now).source == "static"


def test_lesson_hits_are_counted_atomically(store, now):
    store.put_cached_lesson(_entry("k", now))

    outcomes = run_together(lambda _index: [store.record_lesson_hit("k") for _ in range(10)])

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    hits = store.get_cached_lesson("k", now).hit_count
    assert hits == 20 and type(hits) is int


def test_hit_on_a_missing_lesson_creates_nothing(store, now):
    store.record_lesson_hit("missing")
    assert store.get_cached_lesson("missing", now) is None

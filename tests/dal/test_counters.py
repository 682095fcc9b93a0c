"""Contract: rate-limit counters."""

from __future__ import annotations

from datetime import timedelta

from tests.dal.helpers import run_together


def test_counter_counts_up_and_reads_back(store, now):
    window_end = now + timedelta(minutes=1)
    assert store.get_counter("login:1.2.3.4", now) == 0
    assert store.increment_counter("login:1.2.3.4", window_end, now) == 1
    assert store.increment_counter("login:1.2.3.4", window_end, now, amount=4) == 5

    value = store.get_counter("login:1.2.3.4", now)
    assert value == 5 and type(value) is int


def test_increments_from_two_threads_are_all_counted(store, now):
    window_end = now + timedelta(minutes=5)

    def add_25(_index):
        return [store.increment_counter("busy", window_end, now) for _ in range(25)]

    outcomes = run_together(add_25)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    returned = sorted(value for values in outcomes for value in values)
    assert returned == list(range(1, 51))
    assert store.get_counter("busy", now) == 50


def test_expired_counter_reads_zero_and_restarts(store, now):
    first_window_end = now + timedelta(seconds=30)
    store.increment_counter("k", first_window_end, now, amount=7)
    after = first_window_end + timedelta(seconds=1)

    assert store.get_counter("k", after) == 0
    assert store.increment_counter("k", after + timedelta(minutes=1), after) == 1
    assert store.get_counter("k", after) == 1
    # The new window's expiry applies: the counter lives past the old one.
    assert store.get_counter("k", after + timedelta(seconds=30)) == 1
    assert store.get_counter("k", after + timedelta(minutes=2)) == 0


def test_window_keeps_its_first_expiry(store, now):
    store.increment_counter("k", now + timedelta(seconds=10), now)
    store.increment_counter("k", now + timedelta(hours=1), now)
    assert store.get_counter("k", now + timedelta(seconds=11)) == 0


def test_restart_after_expiry_under_concurrency_counts_every_increment(store, now):
    store.increment_counter("k", now - timedelta(seconds=1), now - timedelta(seconds=10), amount=100)
    window_end = now + timedelta(minutes=1)

    outcomes = run_together(lambda _index: [store.increment_counter("k", window_end, now) for _ in range(10)])

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert store.get_counter("k", now) == 20


def test_delete_counter(store, now):
    store.increment_counter("k", now + timedelta(minutes=1), now)
    store.delete_counter("k")
    store.delete_counter("never-there")
    assert store.get_counter("k", now) == 0


def test_a_negative_amount_gives_a_count_back(store, now):
    # The login throttle counts an attempt before checking the password and gives it back on success.
    window_end = now + timedelta(minutes=15)
    store.increment_counter("login:address:1.2.3.4", window_end, now, amount=3)
    assert store.increment_counter("login:address:1.2.3.4", window_end, now, amount=-1) == 2
    assert store.get_counter("login:address:1.2.3.4", now) == 2

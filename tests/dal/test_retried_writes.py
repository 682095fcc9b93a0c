"""Writes botocore sends again after a fault count once (DynamoDB Local behind tests/dal/fault_proxy.py).

Each fault lets the write reach DynamoDB and keeps its answer from the client: the answer comes
after the client's (short, for speed) read timeout, the connection drops, or a 500 comes back.
botocore then resends the same request; the store must recognise its own retry.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from botocore.config import Config

from dal.base import OneTimeToken, UsageRecord
from dal.dynamodb import DynamoStore
from tests.dal.conftest import CLIENT_READ_TIMEOUT, unique_table_name
from tests.dal.fault_proxy import FaultProxy
from tests.dal.helpers import dynamodb_client, new_user

RETRIED_FAULTS = ["delay", "drop", "500"]


@pytest.fixture(scope="module")
def proxied_client(fault_proxy):
    """As the app configures its client (standard mode, 3 retries), with a short read timeout."""
    return dynamodb_client(fault_proxy.endpoint_url, config=Config(
        retries={"mode": "standard", "max_attempts": 3}, connect_timeout=1, read_timeout=CLIENT_READ_TIMEOUT))


@pytest.fixture
def faulty(proxy, proxied_client, dynamodb_local_client):
    """A store on a new table, reached through the proxy; the test injects its faults."""
    table_name = unique_table_name()
    DynamoStore(dynamodb_local_client, table_name).init_schema()
    yield DynamoStore(proxied_client, table_name), proxy
    dynamodb_local_client.delete_table(TableName=table_name)


def _resent(proxy: FaultProxy, operation: str, calls: int) -> bool:
    return proxy.count(operation) > calls and any(hit[0] == operation for hit in proxy.hits)


@pytest.mark.parametrize("fault", RETRIED_FAULTS)
def test_a_retried_attempt_is_counted_once(faulty, now, fault):
    store, proxy = faulty
    user = new_user(store)
    assert store.record_attempt(user.id, "py-01", now).attempts == 1
    proxy.inject("UpdateItem", fault)
    assert store.record_attempt(user.id, "py-01", now + timedelta(seconds=1)).attempts == 2
    assert _resent(proxy, "UpdateItem", 2)
    assert store.get_progress(user.id, "py-01").attempts == 2


@pytest.mark.parametrize("fault", RETRIED_FAULTS)
def test_a_retried_increment_is_counted_once(faulty, now, fault):
    store, proxy = faulty
    window_end = now + timedelta(minutes=1)
    assert store.increment_counter("login:198.51.100.7", window_end, now) == 1
    proxy.inject("UpdateItem", fault)
    assert store.increment_counter("login:198.51.100.7", window_end, now) == 2
    assert _resent(proxy, "UpdateItem", 2)
    assert store.get_counter("login:198.51.100.7", now) == 2


def test_a_retried_restart_of_an_expired_counter_is_counted_once(faulty, now):
    store, proxy = faulty
    store.increment_counter("k", now - timedelta(seconds=1), now - timedelta(seconds=10), amount=5)
    before = proxy.count("UpdateItem")
    # The call's first UpdateItem (add to a live counter) fails its condition; the restart loses its answer.
    proxy.inject("UpdateItem", "drop", skip=1)
    assert store.increment_counter("k", now + timedelta(minutes=1), now) == 1
    assert proxy.count("UpdateItem") - before >= 3 and proxy.hits == [("UpdateItem", "drop")]
    assert store.get_counter("k", now) == 1


@pytest.mark.parametrize("fault", RETRIED_FAULTS)
def test_a_retried_completion_still_completes_the_lesson_once(faulty, now, fault):
    store, proxy = faulty
    user = new_user(store)
    store.record_attempt(user.id, "py-01", now)
    proxy.inject("UpdateItem", fault)
    assert store.mark_completed(user.id, "py-01", now, assisted=False) is True
    assert _resent(proxy, "UpdateItem", 2)
    assert store.get_progress(user.id, "py-01").completed_at == now
    assert store.mark_completed(user.id, "py-01", now + timedelta(seconds=1), assisted=True) is False


@pytest.mark.parametrize("fault", RETRIED_FAULTS)
def test_a_retried_token_use_still_returns_the_token_once(faulty, now, fault):
    store, proxy = faulty
    user = new_user(store)
    store.create_token(OneTimeToken("hash-1", "verify_email", user.id, now, now + timedelta(hours=1)))
    proxy.inject("UpdateItem", fault)
    used = store.consume_token("hash-1", "verify_email", now)
    assert used is not None and used.user_id == user.id and used.used_at == now
    assert _resent(proxy, "UpdateItem", 1)
    assert store.consume_token("hash-1", "verify_email", now) is None


@pytest.mark.parametrize("fault", ["drop"])
def test_retried_hints_and_usage_are_counted_once(faulty, now, fault):
    store, proxy = faulty
    user = new_user(store)
    store.record_hint(user.id, "py-01")
    proxy.inject("UpdateItem", fault)
    assert store.record_hint(user.id, "py-01").hints_used == 2
    proxy.inject("UpdateItem", fault)
    assert store.record_hint(user.id, "py-01", ai=True).ai_hints_used == 1
    for _ in range(2):
        proxy.inject("UpdateItem", fault)
        store.add_usage(UsageRecord(date(2026, 3, 1), "hint", "nova-micro", calls=1, input_tokens=10,
                                    output_tokens=5, cost_usd=0.001))
    (row,) = store.list_usage(date(2026, 3, 1), date(2026, 3, 1))
    assert (row.calls, row.input_tokens, row.output_tokens) == (2, 20, 10)
    assert abs(row.cost_usd - 0.002) < 1e-9


@pytest.mark.parametrize("fault", RETRIED_FAULTS)
def test_a_retried_packing_of_a_month_counts_its_hours_once(faulty, now, fault):
    store, proxy = faulty
    user = new_user(store)
    last_month = (now.replace(day=1, minute=0, second=0, microsecond=0) - timedelta(days=1))
    store.add_activity_hour(user.id, last_month, 2, 30)
    proxy.inject("TransactWriteItems", fault)
    store.pack_activity_months(user.id, before=now)
    assert _resent(proxy, "TransactWriteItems", 1)
    store.add_activity_hour(user.id, last_month, 1, 5)
    store.pack_activity_months(user.id, before=now)
    assert [(h.events, h.seconds) for h in store.list_activity_hours(user.id)] == [(3, 35)]

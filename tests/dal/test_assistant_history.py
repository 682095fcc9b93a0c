"""Contract: the code assistant's history (dal/assistant.py) — newest first, past-expiry requests
never returned (DynamoDB TTL is lazy; SQLite purges on write), deletable one by one or all, gone with
the account — on every backend."""

from __future__ import annotations

from datetime import timedelta

from dal.assistant import AssistantRequest
from tests.dal.helpers import assert_plain_values, later, new_user


def request(user_id, now, number, days=30):
    at = later(now, seconds=number)
    return AssistantRequest(user_id, f"r{number:04d}", "review", at, at + timedelta(days=days), code="x = 1",
                            result={"summary": f"s{number}", "findings": [{"line": 1}]})


def test_requests_come_back_newest_first_and_only_to_their_learner(store, now):
    user, other = new_user(store), new_user(store)
    for number in range(3):
        store.add_assistant_request(request(user.id, now, number))
    found = store.list_assistant_requests(user.id, later(now, seconds=10))
    assert [r.id for r in found] == ["r0002", "r0001", "r0000"]
    assert found[0].result == {"summary": "s2", "findings": [{"line": 1}]} and found[0].code == "x = 1"
    assert_plain_values(found[0])
    assert store.list_assistant_requests(other.id, now) == []
    assert len(store.list_assistant_requests(user.id, now, limit=2)) == 2


def test_expired_requests_are_never_returned(store, now):
    user = new_user(store)
    store.add_assistant_request(request(user.id, now, 1, days=30))
    store.add_assistant_request(request(user.id, later(now, days=20), 2, days=30))
    assert [r.id for r in store.list_assistant_requests(user.id, later(now, days=31))] == ["r0002"]


def test_requests_are_deleted_one_by_one_or_all_and_with_the_account(store, now):
    user = new_user(store)
    for number in range(3):
        store.add_assistant_request(request(user.id, now, number))
    assert store.delete_assistant_request(user.id, "r0001") is True
    assert store.delete_assistant_request(user.id, "r0001") is False
    assert [r.id for r in store.list_assistant_requests(user.id, now)] == ["r0002", "r0000"]
    assert store.delete_assistant_history(user.id) == 2
    assert store.list_assistant_requests(user.id, now) == []
    store.add_assistant_request(request(user.id, now, 5))
    store.delete_user(user.id)
    assert store.list_assistant_requests(user.id, now) == []

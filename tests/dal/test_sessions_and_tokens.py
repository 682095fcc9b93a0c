"""Contract: server-side sessions and single-use tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dal.base import OneTimeToken, Session
from tests.dal.helpers import assert_plain_values, new_user, run_together


def _session(session_id, user_id, now, lifetime=timedelta(hours=1), **fields):
    return Session(
        id=session_id, user_id=user_id, created_at=now, expires_at=now + lifetime, last_seen_at=now, **fields
    )


def _token(token_hash, user_id, now, purpose="verify_email", lifetime=timedelta(hours=1)):
    return OneTimeToken(
        token_hash=token_hash, purpose=purpose, user_id=user_id, created_at=now, expires_at=now + lifetime
    )


def test_session_reads_back_until_it_expires(store, now):
    user = new_user(store)
    session = _session("s1", user.id, now, user_agent="Firefox", ip="203.0.113.9", remember=True)
    store.create_session(session)

    assert store.get_session("s1", now) == session
    assert_plain_values(store.get_session("s1", now))
    assert store.get_session("s1", session.expires_at - timedelta(seconds=1)) == session
    assert store.get_session("s1", session.expires_at) is None
    assert store.get_session("unknown", now) is None


def test_session_with_user_reads_both_while_both_live(store, now):
    user = new_user(store)
    session = _session("s1", user.id, now, user_agent="Firefox", ip="203.0.113.9", remember=True)
    store.create_session(session)

    found_session, found_user = store.get_session_with_user("s1", now)
    assert found_session == session and found_user == store.get_user(user.id)
    assert_plain_values(found_session)
    assert_plain_values(found_user)
    assert store.get_session_with_user("s1", session.expires_at) is None
    assert store.get_session_with_user("unknown", now) is None
    store.delete_user(user.id)
    assert store.get_session_with_user("s1", now) is None


def test_expired_session_is_never_returned(store, now):
    user = new_user(store)
    store.create_session(_session("old", user.id, now - timedelta(days=2), lifetime=timedelta(days=1)))
    store.create_session(_session("live", user.id, now))

    assert store.get_session("old", now) is None
    assert [session.id for session in store.list_user_sessions(user.id, now)] == ["live"]


def test_touch_session_moves_last_seen_and_expiry(store, now):
    user = new_user(store)
    store.create_session(_session("s1", user.id, now))
    later = now + timedelta(minutes=50)

    store.touch_session("s1", last_seen_at=later, expires_at=later + timedelta(hours=1))

    touched = store.get_session("s1", now + timedelta(minutes=90))
    assert touched.last_seen_at == later
    assert touched.expires_at == later + timedelta(hours=1)


def test_touching_a_deleted_session_does_not_bring_it_back(store, now):
    user = new_user(store)
    store.create_session(_session("s1", user.id, now))
    store.delete_session("s1")

    store.touch_session("s1", last_seen_at=now, expires_at=now + timedelta(hours=1))

    assert store.get_session("s1", now) is None


def test_list_and_revoke_a_users_sessions(store, now):
    user, other = new_user(store), new_user(store)
    for index in range(3):
        store.create_session(_session(f"mine-{index}", user.id, now + timedelta(seconds=index)))
    store.create_session(_session("theirs", other.id, now))

    assert {session.id for session in store.list_user_sessions(user.id, now)} == {
        "mine-0",
        "mine-1",
        "mine-2",
    }
    assert store.delete_user_sessions(user.id, except_session_id="mine-1") == 2
    assert [session.id for session in store.list_user_sessions(user.id, now)] == ["mine-1"]
    assert store.delete_user_sessions(user.id) == 1
    assert store.list_user_sessions(user.id, now) == []
    assert store.get_session("theirs", now) is not None


def test_revoking_many_sessions_crosses_batch_boundaries(store, now):
    user = new_user(store)
    for index in range(60):
        store.create_session(_session(f"s-{index:02d}", user.id, now))
    assert store.delete_user_sessions(user.id, except_session_id="s-07") == 59
    assert [session.id for session in store.list_user_sessions(user.id, now)] == ["s-07"]


def test_delete_session(store, now):
    user = new_user(store)
    store.create_session(_session("s1", user.id, now))
    store.delete_session("s1")
    store.delete_session("s1")
    assert store.get_session("s1", now) is None


def test_token_is_consumed_once(store, now):
    user = new_user(store)
    store.create_token(_token("h1", user.id, now))

    used = store.consume_token("h1", "verify_email", now)

    assert used.user_id == user.id and used.purpose == "verify_email"
    assert used.used_at == now
    assert_plain_values(used)
    assert store.consume_token("h1", "verify_email", now) is None


def test_a_token_can_be_looked_at_without_spending_it(store, now):
    user = new_user(store)
    store.create_token(_token("h1", user.id, now))

    seen = store.get_token("h1")

    assert seen.user_id == user.id and seen.used_at is None and seen.expires_at > now
    assert_plain_values(seen)
    assert store.consume_token("h1", "verify_email", now) is not None  # still usable
    assert store.get_token("h1").used_at == now
    assert store.get_token("never-issued") is None


def test_token_of_another_purpose_is_refused_and_stays_usable(store, now):
    user = new_user(store)
    store.create_token(_token("h1", user.id, now, purpose="reset_password"))

    assert store.consume_token("h1", "verify_email", now) is None
    assert store.consume_token("h1", "reset_password", now) is not None


def test_expired_or_unknown_token_is_refused(store, now):
    user = new_user(store)
    store.create_token(_token("old", user.id, now - timedelta(hours=2)))

    assert store.consume_token("old", "verify_email", now) is None
    assert store.consume_token("never-issued", "verify_email", now) is None


@pytest.mark.parametrize("attempt", range(3))
def test_two_concurrent_consumes_let_exactly_one_win(store, now, attempt):
    user = new_user(store)
    store.create_token(_token(f"race-{attempt}", user.id, now))

    outcomes = run_together(lambda index: store.consume_token(f"race-{attempt}", "verify_email", now))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert sum(outcome is not None for outcome in outcomes) == 1

"""Contract: the API's refresh tokens (dal/api_tokens.py) on every backend — stored by hash, used
once (of two racing uses one wins), a family ended by its session, gone with the account."""

from __future__ import annotations

from datetime import timedelta

from dal.api_tokens import RefreshToken
from dal.base import Session
from tests.dal.helpers import new_user, run_together


def _session(store, user_id: str, now, session_id: str = "s1") -> Session:
    session = Session(f"{session_id}-{user_id}", user_id, now, now + timedelta(days=30), now, "app", "127.0.0.1")
    store.create_session(session)
    return session


def _token(session: Session, now, name: str = "h1", **fields) -> RefreshToken:
    return RefreshToken(f"{name}-{session.id}", session.id, session.user_id, now, now + timedelta(days=30), **fields)


def test_a_stored_token_comes_back_as_it_was(store, now):
    user = new_user(store)
    token = _token(_session(store, user.id, now), now)
    store.create_refresh_token(token)
    found = store.get_refresh_token(token.token_hash)
    assert found == token and found.used_at is None
    assert store.get_refresh_token("no-such-hash") is None


def test_a_token_is_used_once(store, now):
    user = new_user(store)
    token = _token(_session(store, user.id, now), now)
    store.create_refresh_token(token)
    used = store.use_refresh_token(token.token_hash, now)
    assert used is not None and used.used_at == now
    assert store.use_refresh_token(token.token_hash, now + timedelta(seconds=1)) is None
    assert store.get_refresh_token(token.token_hash).used_at == now
    assert store.use_refresh_token("no-such-hash", now) is None


def test_of_two_racing_uses_one_wins(store, now):
    user = new_user(store)
    token = _token(_session(store, user.id, now), now)
    store.create_refresh_token(token)
    outcomes = run_together(lambda _: store.use_refresh_token(token.token_hash, now))
    assert sum(1 for outcome in outcomes if isinstance(outcome, RefreshToken)) == 1, outcomes
    assert sum(1 for outcome in outcomes if outcome is None) == 1, outcomes


def test_an_expired_token_cannot_be_used(store, now):
    user = new_user(store)
    session = _session(store, user.id, now)
    token = RefreshToken("old", session.id, user.id, now - timedelta(days=2), now - timedelta(seconds=1))
    store.create_refresh_token(token)
    assert store.use_refresh_token("old", now) is None


def test_ending_a_family_removes_its_tokens_only(store, now):
    user = new_user(store)
    phone, tablet = _session(store, user.id, now, "phone"), _session(store, user.id, now, "tablet")
    for name in ("a", "b"):
        store.create_refresh_token(_token(phone, now, name))
    store.create_refresh_token(_token(tablet, now, "c"))
    assert store.delete_session_refresh_tokens(phone.id, user.id) == 2
    assert store.get_refresh_token(f"a-{phone.id}") is None and store.get_refresh_token(f"b-{phone.id}") is None
    assert store.get_refresh_token(f"c-{tablet.id}") is not None


def test_the_tokens_are_among_the_learners_items_and_gone_with_the_account(store, now):
    user = new_user(store)
    token = _token(_session(store, user.id, now), now)
    store.create_refresh_token(token)
    items = store.user_items(user.id)
    kinds = [kind for kind, rows in items.items() if any(token.session_id in str(row) for row in rows)
             and kind not in ("sessions", "session")]
    assert kinds, items.keys()  # the refresh token is among the learner's items
    store.erase_user(user.id)
    assert store.get_refresh_token(token.token_hash) is None

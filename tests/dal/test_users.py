"""Contract: users, unique emails, listing and account deletion."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from dal.base import ActivityEvent, Draft, EmailTaken, LessonRecord, LessonReport, NotFound, OneTimeToken, Session, User
from tests.dal.helpers import assert_plain_values, new_user, run_together


def test_created_user_reads_back_by_id_and_email(store):
    created_at = datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=UTC)
    user = User(
        id="u-1",
        email="ada@example.com",
        password_hash="bcrypt$abc",
        role="admin",
        verified=True,
        created_at=created_at,
        last_login_at=created_at + timedelta(hours=1),
        display_name="Ada",
        preferences={"theme": "dark", "font_size": 14, "ratio": 1.5, "tracks": ["python"]},
    )
    store.create_user(user)

    assert store.get_user("u-1") == user
    assert store.get_user_by_email("ada@example.com") == user
    assert_plain_values(store.get_user("u-1"))


def test_create_user_fills_a_missing_created_at(store):
    created = store.create_user(User(id="u-2", email="b@example.com", password_hash="h"))
    assert created.created_at is not None and created.created_at.tzinfo is not None
    assert store.get_user("u-2").created_at == created.created_at


def test_unknown_user_is_none(store):
    assert store.get_user("nobody") is None
    assert store.get_user_by_email("nobody@example.com") is None


def test_second_account_with_the_same_email_is_refused(store):
    new_user(store, email="same@example.com")
    with pytest.raises(EmailTaken):
        new_user(store, email="same@example.com")
    assert store.list_users().items[0].email == "same@example.com"
    assert len(store.list_users().items) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_registrations_racing_for_one_email_let_exactly_one_win(store, attempt):
    email = f"race{attempt}@example.com"
    outcomes = run_together(lambda index: new_user(store, email=email))

    winners = [outcome for outcome in outcomes if isinstance(outcome, User)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, EmailTaken)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert store.get_user_by_email(email).id == winners[0].id


def test_update_user_changes_only_the_given_fields(store, now):
    user = new_user(store, display_name="Before")
    updated = store.update_user(
        user.id, display_name="After", verified=True, last_login_at=now, preferences={"a": [1, 2.5]}
    )

    assert updated.display_name == "After"
    assert updated.verified is True
    assert updated.last_login_at == now
    assert updated.preferences == {"a": [1, 2.5]}
    assert updated.email == user.email and updated.password_hash == user.password_hash
    assert store.get_user(user.id) == updated
    assert_plain_values(updated)


def test_update_user_can_change_every_field_but_id_and_email(store, now):
    user = new_user(store)
    changes = {
        "password_hash": "bcrypt$new",
        "role": "admin",
        "verified": True,
        "created_at": now - timedelta(days=3),
        "last_login_at": now,
        "display_name": "Grace",
        "preferences": {"editor": {"tab_size": 4}},
    }
    assert set(changes) == {item.name for item in dataclasses.fields(User)} - {"id", "email"}

    store.update_user(user.id, **changes)

    assert store.get_user(user.id) == User(id=user.id, email=user.email, **changes)
    assert store.list_users().items[0].created_at == now - timedelta(days=3)


def test_update_user_can_clear_last_login(store, now):
    user = new_user(store, last_login_at=now)
    assert store.update_user(user.id, last_login_at=None).last_login_at is None


def test_update_unknown_user_raises_not_found(store):
    with pytest.raises(NotFound):
        store.update_user("nobody", display_name="x")


@pytest.mark.parametrize("field", ["id", "email", "no_such_field"])
def test_update_user_refuses_id_email_and_unknown_fields(store, field):
    user = new_user(store)
    with pytest.raises(ValueError):
        store.update_user(user.id, **{field: "x"})


def test_users_page_newest_first_without_duplicates(store):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(120):
        new_user(store, created_at=start + timedelta(minutes=index))

    pages, cursor = [], None
    while True:
        page = store.list_users(limit=50, cursor=cursor)
        pages.append(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break

    assert [len(items) for items in pages] == [50, 50, 20]
    listed = [user for items in pages for user in items]
    assert len({user.id for user in listed}) == 120
    created = [user.created_at for user in listed]
    assert created == sorted(created, reverse=True)
    assert created[0] == start + timedelta(minutes=119)


def test_users_page_cursor_is_none_when_the_page_is_the_last(store):
    for _ in range(3):
        new_user(store)
    page = store.list_users(limit=3)
    assert len(page.items) == 3 and page.next_cursor is None
    assert store.list_users().items != []


def test_invalid_cursor_is_a_value_error(store):
    with pytest.raises(ValueError):
        store.list_users(cursor="not a cursor!")


def test_delete_user_removes_everything_of_the_user(store, now):
    user = new_user(store, email="leaving@example.com")
    other = new_user(store)
    for owner in (user, other):
        store.create_session(
            Session(
                id=f"s-{owner.id}",
                user_id=owner.id,
                created_at=now,
                expires_at=now + timedelta(hours=1),
                last_seen_at=now,
            )
        )
        store.create_token(
            OneTimeToken(
                token_hash=f"t-{owner.id}",
                purpose="verify_email",
                user_id=owner.id,
                created_at=now,
                expires_at=now + timedelta(hours=1),
            )
        )
        for seconds in range(30):  # more than one 25-item delete batch
            store.add_event(_event(owner.id, now - timedelta(seconds=seconds)))
        store.record_attempt(owner.id, "py-01", now)
        store.save_draft(_draft(owner.id, now))
        store.save_last_report(LessonReport(owner.id, "py-01", {"status": "fail", "tests": []}, now))

    store.delete_user(user.id)

    assert store.get_user(user.id) is None
    assert store.get_user_by_email("leaving@example.com") is None
    assert store.get_session(f"s-{user.id}", now) is None
    assert store.list_user_sessions(user.id, now) == []
    assert store.consume_token(f"t-{user.id}", "verify_email", now) is None
    assert store.list_events(user.id).items == []
    assert store.list_progress(user.id) == []
    assert store.get_lesson_record(user.id, "py-01") == LessonRecord()
    # The email is free again, and the other account is untouched.
    new_user(store, email="leaving@example.com")
    assert store.get_session(f"s-{other.id}", now) is not None
    assert len(store.list_events(other.id).items) == 30
    assert store.get_progress(other.id, "py-01").attempts == 1
    assert store.get_lesson_record(other.id, "py-01").draft is not None
    assert store.get_lesson_record(other.id, "py-01").last_report is not None
    assert store.consume_token(f"t-{other.id}", "verify_email", now) is not None


def test_delete_unknown_user_is_a_no_op(store):
    store.delete_user("nobody")


def _event(user_id, at):
    return ActivityEvent(user_id=user_id, at=at, kind="login")


def _draft(user_id, at):
    return Draft(user_id=user_id, lesson_id="py-01", code="print(1)", updated_at=at)

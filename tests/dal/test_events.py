"""Contract: the activity log."""

from __future__ import annotations

from datetime import timedelta

from dal.base import ActivityEvent
from tests.dal.helpers import assert_plain_values, new_user


def test_event_gets_an_id_and_reads_back(store, now):
    user = new_user(store)
    added = store.add_event(
        ActivityEvent(
            user_id=user.id, at=now, kind="attempt", detail={"lesson": "py-01", "passed": 3, "ms": 1.5}
        )
    )

    assert added.id
    page = store.list_events(user.id)
    assert page.items == [added]
    assert page.next_cursor is None
    assert_plain_values(page.items)


def test_events_page_newest_first_without_duplicates(store, now):
    user, other = new_user(store), new_user(store)
    start = now - timedelta(days=1)
    for index in range(120):
        store.add_event(ActivityEvent(user_id=user.id, at=start + timedelta(seconds=index), kind="hint"))
    store.add_event(ActivityEvent(user_id=other.id, at=now, kind="login"))

    pages, cursor = [], None
    while True:
        page = store.list_events(user.id, limit=50, cursor=cursor)
        pages.append(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break

    assert [len(items) for items in pages] == [50, 50, 20]
    listed = [event for items in pages for event in items]
    assert len({event.id for event in listed}) == 120
    assert {event.user_id for event in listed} == {user.id}
    times = [event.at for event in listed]
    assert times == sorted(times, reverse=True)
    assert times[0] == start + timedelta(seconds=119)


def test_events_with_the_same_time_get_distinct_ids(store, now):
    user = new_user(store)
    first = store.add_event(ActivityEvent(user_id=user.id, at=now, kind="a"))
    second = store.add_event(ActivityEvent(user_id=user.id, at=now, kind="b"))
    assert first.id != second.id
    assert len(store.list_events(user.id).items) == 2


def test_events_since_a_time(store, now):
    user = new_user(store)
    for hours_ago in (30, 20, 10, 0):
        store.add_event(ActivityEvent(user_id=user.id, at=now - timedelta(hours=hours_ago), kind="login"))

    recent = store.list_events(user.id, since=now - timedelta(hours=20))

    assert [event.at for event in recent.items] == [now, now - timedelta(hours=10), now - timedelta(hours=20)]


def test_events_since_with_paging(store, now):
    user = new_user(store)
    for minutes_ago in range(10):
        store.add_event(ActivityEvent(user_id=user.id, at=now - timedelta(minutes=minutes_ago), kind="x"))
    since = now - timedelta(minutes=6, seconds=30)

    first = store.list_events(user.id, limit=4, since=since)
    second = store.list_events(user.id, limit=4, since=since, cursor=first.next_cursor)

    assert len(first.items) == 4 and len(second.items) == 3 and second.next_cursor is None

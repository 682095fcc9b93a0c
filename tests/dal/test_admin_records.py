"""Contract: the admin area (dal/admin.py) on every backend — the audit trail newest first a page at a
time, the names in it gone with their account, the answer gate's refusals until they expire, and the
lesson cache listed by key (by prefix, expired entries left out), its hits added in batches and its
entries deleted one by one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dal.admin import AuditEntry, GateRejection
from dal.base import LessonCacheEntry
from tests.dal.helpers import assert_plain_values, later, new_user


def _entry(key, now, days=30, **fields):
    return LessonCacheEntry(key, {"title": key}, "ai", now, now + timedelta(days=days), **fields)


def test_audit_entries_come_back_newest_first_a_page_at_a_time(store, now):
    for number in range(5):
        store.add_audit_entry(AuditEntry(later(now, seconds=number), "learner-aaaa", "disable",
                                         f"learner-{number:04d}", {"n": number}))
    first = store.list_audit_entries(limit=3)
    assert [e.target for e in first.items] == ["learner-0004", "learner-0003", "learner-0002"]
    assert first.items[0].detail == {"n": 4} and first.items[0].at == later(now, seconds=4) and first.items[0].id
    assert_plain_values(first.items[0])
    second = store.list_audit_entries(limit=3, cursor=first.next_cursor)
    assert [e.target for e in second.items] == ["learner-0001", "learner-0000"] and second.next_cursor is None
    with pytest.raises(ValueError):
        store.list_audit_entries(cursor="not-a-cursor")


def test_names_in_the_audit_trail_resolve_until_the_account_is_deleted(store, now):
    admin, learner = new_user(store), new_user(store)
    store.name_in_audit("learner-admin", admin.id)
    store.name_in_audit("learner-bob", learner.id)
    store.add_audit_entry(AuditEntry(now, "learner-admin", "disable", "learner-bob"))
    assert store.audit_names(["learner-admin", "learner-bob", "learner-nobody"]) == {
        "learner-admin": admin.id, "learner-bob": learner.id}
    assert store.audit_names([]) == {}
    assert "learner-bob" in str(store.user_items(learner.id))  # the link is the learner's: exported with them
    store.erase_user(learner.id)
    assert learner.id not in str(store.user_items(learner.id))
    assert store.audit_names(["learner-admin", "learner-bob"]) == {"learner-admin": admin.id}
    assert [e.target for e in store.list_audit_entries().items] == ["learner-bob"]  # the trail keeps the pseudonym


def test_gate_rejections_are_listed_newest_first_until_they_expire(store, now):
    for number, days in enumerate((1, 30, 30)):
        at = later(now, seconds=number)
        store.add_gate_rejection(GateRejection(at, at + timedelta(days=days), "hint", "python-loops", "code-block",
                                               "contains a code block longer than one line", f"text {number}"))
    found = store.list_gate_rejections(later(now, seconds=10))
    assert [r.text for r in found] == ["text 2", "text 1", "text 0"]
    assert found[0].lesson_id == "python-loops" and found[0].kind == "code-block" and found[0].id
    assert_plain_values(found[0])
    assert [r.text for r in store.list_gate_rejections(later(now, days=2))] == ["text 2", "text 1"]
    assert len(store.list_gate_rejections(now, limit=1)) == 1


def test_cached_lessons_are_listed_by_key_and_prefix_without_the_expired(store, now):
    for key in ("quiz:loops", "explain:loops:new", "explain:loops:confident", "lesson:python:beginner:x"):
        store.put_cached_lesson(_entry(key, now))
    store.put_cached_lesson(_entry("explain:old:new", now, days=1))
    when = later(now, days=2)
    everything = store.list_cached_lessons(when)
    assert [e.key for e in everything.items] == ["explain:loops:confident", "explain:loops:new",
                                                 "lesson:python:beginner:x", "quiz:loops"]
    assert everything.items[0].content == {"title": "explain:loops:confident"}
    explained = store.list_cached_lessons(when, prefix="explain:")
    assert [e.key for e in explained.items] == ["explain:loops:confident", "explain:loops:new"]
    paged, cursor = [], None
    for _ in range(5):  # a page may come shorter when an expired entry was skipped: follow the cursors
        page = store.list_cached_lessons(when, limit=2, cursor=cursor)
        assert len(page.items) <= 2
        paged, cursor = paged + page.items, page.next_cursor
        if cursor is None:
            break
    assert [e.key for e in paged] == [e.key for e in everything.items]


def test_hits_are_added_in_batches_and_entries_deleted(store, now):
    store.put_cached_lesson(_entry("quiz:loops", now))
    store.record_lesson_hit("quiz:loops", 5)
    store.record_lesson_hit("quiz:loops")
    assert store.get_cached_lesson("quiz:loops", now).hit_count == 6
    assert store.delete_cached_lesson("quiz:loops") is True
    assert store.delete_cached_lesson("quiz:loops") is False
    assert store.get_cached_lesson("quiz:loops", now) is None
    store.record_lesson_hit("quiz:loops", 3)  # no entry: nothing is created
    assert store.list_cached_lessons(now).items == []

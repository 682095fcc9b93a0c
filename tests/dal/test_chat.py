"""Contract: the chat's area of the store (dal/chat.py) — conversations with their messages, paged
newest first, renamed, deleted with every message, and gone with the account — on every backend."""

from __future__ import annotations

import pytest

from dal.chat import ChatMessage, Conversation
from tests.dal.helpers import assert_plain_values, later, new_user


def conversation(user_id: str, now, conversation_id: str = "c001", **fields) -> Conversation:
    return Conversation(user_id, conversation_id, "Loops", now, now, **fields)


def message(user_id: str, now, number: int, conversation_id: str = "c001", role: str = "learner") -> ChatMessage:
    return ChatMessage(user_id, conversation_id, f"m{number:04d}", role, f"text {number}", later(now, seconds=number),
                       citations=[{"lesson_id": "python-loops", "title": "Loops", "section": "break"}] if
                       role == "tutor" else [], source="offline" if role == "tutor" else "", notes=["n"])


def test_a_conversation_comes_back_as_stored_and_only_to_its_learner(store, now):
    user, other = new_user(store), new_user(store)
    store.create_conversation(conversation(user.id, now, lesson_id="python-loops",
                                           context={"code": "x = 1", "results": ["fail"]}))
    found = store.get_conversation(user.id, "c001")
    assert found.title == "Loops" and found.lesson_id == "python-loops" and found.context["code"] == "x = 1"
    assert found.message_count == 0 and found.summary == ""
    assert_plain_values(found)
    assert store.get_conversation(other.id, "c001") is None
    assert store.get_conversation(user.id, "nope") is None


def test_messages_are_counted_and_paged_newest_first(store, now):
    user = new_user(store)
    store.create_conversation(conversation(user.id, now))
    for number in range(5):
        assert store.add_message(message(user.id, now, number, role="tutor" if number % 2 else "learner"))
    first = store.list_messages(user.id, "c001", limit=2)
    assert [m.id for m in first.items] == ["m0004", "m0003"] and first.next_cursor
    second = store.list_messages(user.id, "c001", limit=2, cursor=first.next_cursor)
    third = store.list_messages(user.id, "c001", limit=2, cursor=second.next_cursor)
    assert [m.id for m in second.items] == ["m0002", "m0001"]
    assert [m.id for m in third.items] == ["m0000"] and third.next_cursor is None
    tutor = second.items[1]
    assert tutor.role == "tutor" and tutor.citations[0]["section"] == "break" and tutor.source == "offline"
    assert tutor.notes == ["n"]
    assert_plain_values(tutor)
    stored = store.get_conversation(user.id, "c001")
    assert stored.message_count == 5 and stored.updated_at == later(now, seconds=4)


def test_a_message_to_a_missing_or_foreign_conversation_writes_nothing(store, now):
    user, other = new_user(store), new_user(store)
    store.create_conversation(conversation(user.id, now))
    assert store.add_message(message(other.id, now, 1)) is False
    assert store.list_messages(other.id, "c001").items == []
    assert store.list_messages(user.id, "c001").items == []


def test_conversations_list_newest_first_in_pages(store, now):
    user = new_user(store)
    for number in range(3):
        store.create_conversation(conversation(user.id, later(now, seconds=number), f"c{number:03d}"))
    page = store.list_conversations(user.id, limit=2)
    assert [c.id for c in page.items] == ["c002", "c001"]
    rest = store.list_conversations(user.id, limit=2, cursor=page.next_cursor)
    assert [c.id for c in rest.items] == ["c000"] and rest.next_cursor is None


def test_rename_and_summary_change_only_the_learners_own_conversation(store, now):
    user, other = new_user(store), new_user(store)
    store.create_conversation(conversation(user.id, now))
    assert store.update_conversation(user.id, "c001", title="Breaking out", summary="asked about break")
    assert store.update_conversation(other.id, "c001", title="Mine now") is False
    found = store.get_conversation(user.id, "c001")
    assert (found.title, found.summary) == ("Breaking out", "asked about break")
    assert store.update_conversation(user.id, "missing", title="x") is False


def test_deleting_a_conversation_deletes_its_messages_and_nothing_else(store, now):
    user = new_user(store)
    store.create_conversation(conversation(user.id, now, "c001"))
    store.create_conversation(conversation(user.id, now, "c002"))
    for number in range(3):
        store.add_message(message(user.id, now, number, "c001"))
    store.add_message(message(user.id, now, 9, "c002"))
    assert store.delete_conversation(user.id, "c001") is True
    assert store.get_conversation(user.id, "c001") is None
    assert store.list_messages(user.id, "c001").items == []
    assert [m.id for m in store.list_messages(user.id, "c002").items] == ["m0009"]
    assert store.delete_conversation(user.id, "c001") is False


def test_deleting_the_account_deletes_its_conversations(store, now):
    user = new_user(store)
    store.create_conversation(conversation(user.id, now))
    store.add_message(message(user.id, now, 1))
    store.delete_user(user.id)
    assert store.get_conversation(user.id, "c001") is None
    assert store.list_messages(user.id, "c001").items == []
    assert store.list_conversations(user.id).items == []


def test_a_foreign_cursor_is_refused(store, now):
    user = new_user(store)
    with pytest.raises(ValueError):
        store.list_messages(user.id, "c001", cursor="not-a-cursor!")

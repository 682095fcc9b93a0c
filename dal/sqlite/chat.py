"""The chat side of the SQLite store (dal/chat.py): conversations and their messages."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dal.base import Page
from dal.chat import MAX_MESSAGE_PAGE, ChatMessage, Conversation
from dal.encoding import check_page_limit, decode_cursor, encode_cursor, from_iso, to_iso
from dal.sqlite.connections import write_transaction


class ChatRecords:
    _run: Callable[..., list[sqlite3.Row]]
    _connections: Any

    def create_conversation(self, conversation: Conversation) -> None:
        c = conversation
        self._run(
            "INSERT INTO chat_conversations (user_id, id, title, created_at, updated_at, lesson_id, context,"
            " summary, message_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (c.user_id, c.id, c.title, to_iso(c.created_at), to_iso(c.updated_at), c.lesson_id,
             json.dumps(c.context), c.summary, c.message_count),
        )

    def get_conversation(self, user_id: str, conversation_id: str) -> Conversation | None:
        found = self._run("SELECT * FROM chat_conversations WHERE user_id = ? AND id = ?", (user_id, conversation_id))
        return _conversation(found[0]) if found else None

    def list_conversations(self, user_id: str, limit: int = 20, cursor: str | None = None) -> Page[Conversation]:
        check_page_limit(limit)
        before = decode_cursor(cursor).get("id", "") if cursor else None
        if before is None:
            found = self._run("SELECT * FROM chat_conversations WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                              (user_id, limit + 1))
        else:
            found = self._run("SELECT * FROM chat_conversations WHERE user_id = ? AND id < ? ORDER BY id DESC"
                              " LIMIT ?", (user_id, str(before), limit + 1))
        return _page([_conversation(row) for row in found], limit)

    def update_conversation(self, user_id: str, conversation_id: str, *, title: str | None = None,
                            summary: str | None = None, context: dict[str, Any] | None = None,
                            updated_at: datetime | None = None) -> bool:
        changes = {"title": title, "summary": summary,
                   "context": None if context is None else json.dumps(context),
                   "updated_at": None if updated_at is None else to_iso(updated_at)}
        changes = {name: value for name, value in changes.items() if value is not None}
        if not changes:
            return self.get_conversation(user_id, conversation_id) is not None
        assignments = ", ".join(f"{name} = ?" for name in changes)
        found = self._run(f"UPDATE chat_conversations SET {assignments} WHERE user_id = ? AND id = ? RETURNING 1",  # noqa: S608 - fixed column names
                          (*changes.values(), user_id, conversation_id))
        return bool(found)

    def delete_conversation(self, user_id: str, conversation_id: str) -> bool:
        # Its messages go with it: ON DELETE CASCADE.
        found = self._run("DELETE FROM chat_conversations WHERE user_id = ? AND id = ? RETURNING 1",
                          (user_id, conversation_id))
        return bool(found)

    def add_message(self, message: ChatMessage) -> bool:
        m = message
        with write_transaction(self._connections.get()) as connection:
            counted = connection.execute(
                "UPDATE chat_conversations SET message_count = message_count + 1, updated_at = ?"
                " WHERE user_id = ? AND id = ?", (to_iso(m.created_at), m.user_id, m.conversation_id)).rowcount
            if counted != 1:
                connection.execute("ROLLBACK")
                return False
            connection.execute(
                "INSERT INTO chat_messages (user_id, conversation_id, id, role, text, created_at, citations,"
                " source, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (m.user_id, m.conversation_id, m.id, m.role, m.text, to_iso(m.created_at), json.dumps(m.citations),
                 m.source, json.dumps(m.notes)))
        return True

    def list_messages(self, user_id: str, conversation_id: str, limit: int = 20,
                      cursor: str | None = None) -> Page[ChatMessage]:
        check_page_limit(limit)
        limit = min(limit, MAX_MESSAGE_PAGE)
        before = decode_cursor(cursor).get("id", "") if cursor else None
        if before is None:
            found = self._run("SELECT * FROM chat_messages WHERE user_id = ? AND conversation_id = ?"
                              " ORDER BY id DESC LIMIT ?", (user_id, conversation_id, limit + 1))
        else:
            found = self._run("SELECT * FROM chat_messages WHERE user_id = ? AND conversation_id = ? AND id < ?"
                              " ORDER BY id DESC LIMIT ?", (user_id, conversation_id, str(before), limit + 1))
        return _page([_message(row) for row in found], limit)


def _page(found: list[Any], limit: int) -> Page[Any]:
    if len(found) <= limit:
        return Page(items=found)
    return Page(items=found[:limit], next_cursor=encode_cursor({"id": found[limit - 1].id}))


def _conversation(row: sqlite3.Row) -> Conversation:
    return Conversation(
        user_id=row["user_id"], id=row["id"], title=row["title"], created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]), lesson_id=row["lesson_id"], context=json.loads(row["context"]),
        summary=row["summary"], message_count=int(row["message_count"]),
    )


def _message(row: sqlite3.Row) -> ChatMessage:
    return ChatMessage(
        user_id=row["user_id"], conversation_id=row["conversation_id"], id=row["id"], role=row["role"],
        text=row["text"], created_at=from_iso(row["created_at"]), citations=json.loads(row["citations"]),
        source=row["source"], notes=json.loads(row["notes"]),
    )

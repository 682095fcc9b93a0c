"""The chat side of the DynamoDB store (dal/chat.py), in the learner's partition:

    conversation   USER#<uid>   CONV#<conversation id>
    message        USER#<uid>   MSG#<conversation id>#<message id>

so a conversation's messages are one query (newest first, paged) and deleting the learner deletes
them all. A message and its conversation's count are written in one transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dal.base import Page
from dal.chat import MAX_MESSAGE_PAGE, ChatMessage, Conversation
from dal.dynamodb import keys
from dal.dynamodb.errors import ConditionFailed, TransactionCanceled
from dal.dynamodb.table import Table, serialize
from dal.encoding import from_iso, to_iso

CONVERSATION_PREFIX = "CONV#"
MESSAGE_PREFIX = "MSG#"
_PAGE_KEY = ("PK", "SK")


class ChatRecords:
    _table: Table

    def create_conversation(self, conversation: Conversation) -> None:
        c = conversation
        self._table.put({**_conversation_key(c.user_id, c.id), "userId": c.user_id, "conversationId": c.id,
                         "title": c.title, "createdAt": to_iso(c.created_at), "updatedAt": to_iso(c.updated_at),
                         "lessonId": c.lesson_id, "context": json.dumps(c.context), "summary": c.summary,
                         "messageCount": c.message_count}, condition="attribute_not_exists(PK)")

    def get_conversation(self, user_id: str, conversation_id: str) -> Conversation | None:
        item = self._table.get(_conversation_key(user_id, conversation_id))
        return _conversation(item) if item else None

    def list_conversations(self, user_id: str, limit: int = 20, cursor: str | None = None) -> Page[Conversation]:
        found, next_cursor = self._table.query_page(
            limit, cursor, _PAGE_KEY, "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": CONVERSATION_PREFIX},
            ScanIndexForward=False, ConsistentRead=True)
        return Page(items=[_conversation(item) for item in found], next_cursor=next_cursor)

    def update_conversation(self, user_id: str, conversation_id: str, *, title: str | None = None,
                            summary: str | None = None, context: dict[str, Any] | None = None,
                            updated_at: datetime | None = None) -> bool:
        changes = {"title": title, "summary": summary,
                   "context": None if context is None else json.dumps(context),
                   "updatedAt": None if updated_at is None else to_iso(updated_at)}
        changes = {name: value for name, value in changes.items() if value is not None}
        if not changes:
            return self.get_conversation(user_id, conversation_id) is not None
        try:
            self._table.update(
                _conversation_key(user_id, conversation_id),
                "SET " + ", ".join(f"#{name} = :{name}" for name in changes),
                condition="attribute_exists(PK)", names={f"#{name}": name for name in changes},
                values={f":{name}": value for name, value in changes.items()}, return_values="NONE")
        except ConditionFailed:
            return False
        return True

    def delete_conversation(self, user_id: str, conversation_id: str) -> bool:
        existed = self._table.get(_conversation_key(user_id, conversation_id)) is not None
        messages = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": f"{MESSAGE_PREFIX}{conversation_id}#"},
            ProjectionExpression="PK, SK")
        self._table.batch_delete([{"PK": item["PK"], "SK": item["SK"]} for item in messages])
        # The conversation goes last: stopped half-way, deleting it again finishes the job.
        self._table.delete(_conversation_key(user_id, conversation_id))
        return existed

    def add_message(self, message: ChatMessage) -> bool:
        m = message
        item = {**_message_key(m.user_id, m.conversation_id, m.id), "userId": m.user_id,
                "conversationId": m.conversation_id, "messageId": m.id, "role": m.role, "text": m.text,
                "createdAt": to_iso(m.created_at), "citations": json.dumps(m.citations), "source": m.source,
                "notes": json.dumps(m.notes)}
        count = {
            "TableName": self._table.name, "Key": serialize(_conversation_key(m.user_id, m.conversation_id)),
            "UpdateExpression": "ADD #count :one SET #updated = :at", "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeNames": {"#count": "messageCount", "#updated": "updatedAt"},
            "ExpressionAttributeValues": serialize({":one": 1, ":at": to_iso(m.created_at)}),
        }
        put = {"TableName": self._table.name, "Item": serialize(item),
               "ConditionExpression": "attribute_not_exists(PK)"}
        try:  # botocore gives the transaction a client request token: its own retry is not a second message
            self._table.call("transact_write_items", TransactItems=[{"Update": count}, {"Put": put}])
        except TransactionCanceled as exc:
            if "ConditionalCheckFailed" in exc.reasons:
                return False
            raise
        return True

    def list_messages(self, user_id: str, conversation_id: str, limit: int = 20,
                      cursor: str | None = None) -> Page[ChatMessage]:
        found, next_cursor = self._table.query_page(
            min(limit, MAX_MESSAGE_PAGE) if limit >= 1 else limit, cursor, _PAGE_KEY,
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": f"{MESSAGE_PREFIX}{conversation_id}#"},
            ScanIndexForward=False, ConsistentRead=True)
        return Page(items=[_message(item) for item in found], next_cursor=next_cursor)


def _conversation_key(user_id: str, conversation_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": CONVERSATION_PREFIX + conversation_id}


def _message_key(user_id: str, conversation_id: str, message_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": f"{MESSAGE_PREFIX}{conversation_id}#{message_id}"}


def _conversation(item: dict[str, Any]) -> Conversation:
    return Conversation(
        user_id=item["userId"], id=item["conversationId"], title=item["title"],
        created_at=from_iso(item["createdAt"]), updated_at=from_iso(item["updatedAt"]),
        lesson_id=item.get("lessonId", ""), context=json.loads(item.get("context") or "{}"),
        summary=item.get("summary", ""), message_count=int(item.get("messageCount", 0)),
    )


def _message(item: dict[str, Any]) -> ChatMessage:
    return ChatMessage(
        user_id=item["userId"], conversation_id=item["conversationId"], id=item["messageId"], role=item["role"],
        text=item["text"], created_at=from_iso(item["createdAt"]), citations=json.loads(item["citations"]),
        source=item.get("source", ""), notes=json.loads(item.get("notes") or "[]"),
    )

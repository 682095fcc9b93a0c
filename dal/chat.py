"""The chat's storage area: a learner's conversations with the tutor and their messages.

Conversations and messages live together (seed 004's model): on DynamoDB in the learner's partition,
on SQLite in two tables that go with the user. Ids are made by the service and sort by time, so
"newest first" is the order of the ids.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dal.paging import Page

MAX_MESSAGE_PAGE = 100


@dataclass
class Conversation:
    user_id: str
    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    lesson_id: str = ""  # the lesson page it was started from, if any
    context: dict[str, Any] = field(default_factory=dict)  # the lesson's challenge, the code, last results
    summary: str = ""  # running summary of the turns that left the history window
    message_count: int = 0


@dataclass
class ChatMessage:
    user_id: str
    conversation_id: str
    id: str
    role: str  # learner | tutor
    text: str
    created_at: datetime
    citations: list[dict[str, str]] = field(default_factory=list)  # lesson_id, title, section
    source: str = ""  # tutor messages: offline | bedrock | refusal | gate
    notes: list[str] = field(default_factory=list)


class ChatRecords(abc.ABC):
    @abc.abstractmethod
    def create_conversation(self, conversation: Conversation) -> None: ...

    @abc.abstractmethod
    def get_conversation(self, user_id: str, conversation_id: str) -> Conversation | None:
        """The learner's own conversation; another learner's id is None, as an unknown one is."""

    @abc.abstractmethod
    def list_conversations(self, user_id: str, limit: int = 20, cursor: str | None = None) -> Page[Conversation]:
        """Newest (by id) first."""

    @abc.abstractmethod
    def update_conversation(self, user_id: str, conversation_id: str, *, title: str | None = None,
                            summary: str | None = None, context: dict[str, Any] | None = None,
                            updated_at: datetime | None = None) -> bool:
        """Change the given fields; False when the conversation does not exist."""

    @abc.abstractmethod
    def delete_conversation(self, user_id: str, conversation_id: str) -> bool:
        """Remove the conversation and all its messages; False when there was none."""

    @abc.abstractmethod
    def add_message(self, message: ChatMessage) -> bool:
        """Store the message and count it in its conversation (updated_at = its time), together;
        False (nothing written) when the conversation does not exist."""

    @abc.abstractmethod
    def list_messages(self, user_id: str, conversation_id: str, limit: int = 20,
                      cursor: str | None = None) -> Page[ChatMessage]:
        """Newest first; the cursor leads to older messages."""

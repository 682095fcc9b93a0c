"""The code assistant's storage area: the learner's last requests with their results, kept 30 days
(DynamoDB TTL, read past-expiry items ignored; SQLite purges a learner's expired rows on write)."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class AssistantRequest:
    user_id: str
    id: str  # sorts by time
    mode: str
    created_at: datetime
    expires_at: datetime
    code: str = ""  # clipped
    result: dict[str, Any] = field(default_factory=dict)  # what the page shows again


class AssistantRecords(abc.ABC):
    @abc.abstractmethod
    def add_assistant_request(self, request: AssistantRequest) -> None: ...

    @abc.abstractmethod
    def list_assistant_requests(self, user_id: str, now: datetime, limit: int = 20) -> list[AssistantRequest]:
        """The learner's unexpired requests, newest first."""

    @abc.abstractmethod
    def delete_assistant_request(self, user_id: str, request_id: str) -> bool: ...

    @abc.abstractmethod
    def delete_assistant_history(self, user_id: str) -> int:
        """Remove every request of the learner; returns how many."""

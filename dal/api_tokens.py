"""The API's storage area: refresh tokens of `/api/v1` clients.

A refresh token belongs to one server-side login session (its family): rotating it writes the
successor and marks the old one used; deleting the session ends the family (SQLite cascades, the
DynamoDB items are skipped once their session is gone and expire by TTL). Tokens are stored by
SHA-256 hash only, so a leaked table holds no usable token.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime


@dataclass
class RefreshToken:
    token_hash: str
    session_id: str  # the family: every rotation of one login shares it
    user_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None  # set once, when it was exchanged for its successor


class ApiTokenRecords(abc.ABC):
    @abc.abstractmethod
    def create_refresh_token(self, token: RefreshToken) -> None:
        """Store a new token (its session must exist on SQLite: NotFound otherwise)."""

    @abc.abstractmethod
    def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        """The token by hash, used or not, expired or not (the caller judges)."""

    @abc.abstractmethod
    def use_refresh_token(self, token_hash: str, now: datetime) -> RefreshToken | None:
        """Mark an unused, unexpired token used at `now`, atomically: the token when this call marked
        it, None when it was unknown, expired or already used (of two racing calls, one wins)."""

    @abc.abstractmethod
    def delete_session_refresh_tokens(self, session_id: str, user_id: str) -> int:
        """Remove every token of the session's family; returns how many."""

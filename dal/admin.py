"""The admin storage area: the audit trail of admin actions, the answer gate's recent refusals, and the
lesson cache as a list (the cache itself, get / put / hits, is in dal/base.py).

The audit trail names people by pseudonym only (services.progress.data_rights.pseudonym), never by id
or email, so it outlives a deleted account. To show who did what, `name_in_audit` keeps which account a
pseudonym stands for; that link belongs to the account (SQLite: a row with its user_id; DynamoDB: an
item under its GSI1 partition), so it is exported with the account and deleted with it, and the trail
then shows the bare pseudonym.

Refused answers are kept 30 days (the caller sets `expires_at`), with no learner id: the page lists them
by task and lesson.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dal.paging import Page


@dataclass
class AuditEntry:
    at: datetime
    actor: str  # pseudonym of the admin who acted
    action: str  # e.g. make_admin, disable, invalidate_cache, set_budget, emergency_on
    target: str = ""  # pseudonym of an account, a cache key, a setting's name
    detail: dict[str, Any] = field(default_factory=dict)
    id: str = ""  # assigned by the backend; sortable by time


@dataclass
class GateRejection:
    at: datetime
    expires_at: datetime
    task: str  # hint | explain | chat | assistant ...
    lesson_id: str
    kind: str  # services.ai.hint_check.rejection_kind
    reason: str
    text: str = ""  # the refused AI text, clipped, the learner's own lines masked; admins only
    id: str = ""


class AdminRecords(abc.ABC):
    # --- audit trail -------------------------------------------------------------------------
    @abc.abstractmethod
    def add_audit_entry(self, entry: AuditEntry) -> AuditEntry:
        """Store the entry; returns it with its id."""

    @abc.abstractmethod
    def list_audit_entries(self, limit: int = 50, cursor: str | None = None) -> Page[AuditEntry]:
        """Newest first. A cursor this store did not make raises ValueError."""

    @abc.abstractmethod
    def name_in_audit(self, pseudonym: str, user_id: str) -> None:
        """Remember which account `pseudonym` stands for, until that account is deleted."""

    @abc.abstractmethod
    def audit_names(self, pseudonyms: Iterable[str]) -> dict[str, str]:
        """The user id of each pseudonym whose account still exists."""

    # --- answer gate -------------------------------------------------------------------------
    @abc.abstractmethod
    def add_gate_rejection(self, rejection: GateRejection) -> None: ...

    @abc.abstractmethod
    def list_gate_rejections(self, now: datetime, limit: int = 50) -> list[GateRejection]:
        """The unexpired refusals, newest first."""

    # --- lesson cache, for the admin ------------------------------------------------------------
    @abc.abstractmethod
    def list_cached_lessons(self, now: datetime, limit: int = 50, cursor: str | None = None,
                            prefix: str = "") -> Page[Any]:
        """Unexpired LessonCacheEntry items by key (those starting with `prefix`). A page may hold
        fewer than `limit` when expired items were skipped; a cursor this store did not make raises
        ValueError."""

    @abc.abstractmethod
    def delete_cached_lesson(self, key: str) -> bool:
        """Remove the entry; False when there was none."""

"""The audit trail: every admin action, who did it, to what, when.

Entries name people by pseudonym only (services.progress.data_rights.pseudonym), so a deleted
learner leaves neither id nor email in the trail. While an account exists the store links its
pseudonym to it (`name_in_audit`, deleted with the account), and the page shows its email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dal.admin import AuditEntry
from dal.base import Store
from services.clock import Clock, utcnow
from services.errors import InvalidInput
from services.progress.data_rights import pseudonym

PAGE_SIZE = 50
ACTIONS = {  # action -> how the page says it
    "make_admin": "gave the admin role to",
    "revoke_admin": "took the admin role from",
    "disable": "disabled",
    "enable": "enabled",
    "invalidate_cache": "invalidated the cache entry",
    "invalidate_lesson_cache": "invalidated the cache entries of lesson",
    "set_budget": "set the monthly AI budget",
    "emergency_on": "switched AI emergency mode on",
    "emergency_off": "switched AI emergency mode off",
}
ACCOUNT_ACTIONS = frozenset({"make_admin", "revoke_admin", "disable", "enable"})


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    who: str  # the admin's email, or their pseudonym once the account is gone
    what: str
    target: str  # an account's email (or pseudonym), a cache key, a lesson id; "" for none
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    next_cursor: str | None


class AuditTrail:
    def __init__(self, store: Store, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    def record(self, admin_id: str, action: str, *, account_id: str = "", target: str = "",
               detail: dict[str, Any] | None = None) -> AuditEntry:
        """One admin action. `account_id`: the account acted on (kept as its pseudonym)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown admin action {action!r}")
        actor = self._named(admin_id)
        if account_id:
            target = self._named(account_id)
        return self._store.add_audit_entry(AuditEntry(self._clock(), actor, action, target, dict(detail or {})))

    def page(self, cursor: str | None = None) -> AuditPage:
        try:
            found = self._store.list_audit_entries(limit=PAGE_SIZE, cursor=cursor or None)
        except ValueError:
            raise InvalidInput("That page link is not valid any more; here are the newest entries.") from None
        names = {e.actor for e in found.items} | {e.target for e in found.items if e.action in ACCOUNT_ACTIONS}
        emails = self._emails(names)
        rows = [AuditRow(e, emails.get(e.actor, e.actor), ACTIONS.get(e.action, e.action),
                         emails.get(e.target, e.target) if e.action in ACCOUNT_ACTIONS else e.target, e.detail)
                for e in found.items]
        return AuditPage(rows, found.next_cursor)

    def _named(self, user_id: str) -> str:
        name = pseudonym(user_id)
        self._store.name_in_audit(name, user_id)
        return name

    def _emails(self, names: set[str]) -> dict[str, str]:
        emails = {}
        for name, user_id in self._store.audit_names(names).items():
            user = self._store.get_user(user_id)
            if user is not None:
                emails[name] = user.email
        return emails

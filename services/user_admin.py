"""Admin work on accounts: the user list (newest first, a page at a time, or one address found),
making and revoking admins, disabling and enabling. Every action goes into the audit trail
(services/admin/audit.py) with the admin who did it, naming the account by pseudonym (it outlives a
deleted account without its id or email).

A disabled account keeps its data, cannot log in, and its sessions end at once. The mark is kept in
the user's preferences (`disabled_at`), which every backend stores already.
"""

from __future__ import annotations

from dataclasses import dataclass

from dal.base import Page, Store, User
from services.accounts import normalise_email
from services.admin.audit import AuditTrail
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError, PermissionDenied

PAGE_SIZE = 25
DISABLED = "disabled_at"


def is_disabled(user: User) -> bool:
    return bool(user.preferences.get(DISABLED))


@dataclass(frozen=True)
class UserListing:
    users: list[User]
    next_cursor: str | None
    query: str = ""


class UserAdmin:
    def __init__(self, store: Store, clock: Clock = utcnow, audit: AuditTrail | None = None) -> None:
        self._store = store
        self._clock = clock
        self._audit_trail = audit or AuditTrail(store, clock)

    def listing(self, query: str = "", cursor: str | None = None) -> UserListing:
        query = query.strip()
        if query:
            try:
                found = self._store.get_user_by_email(normalise_email(query))
            except InvalidInput:
                found = None
            return UserListing([found] if found else [], None, query)
        try:
            page: Page[User] = self._store.list_users(limit=PAGE_SIZE, cursor=cursor or None)
        except ValueError:
            raise InvalidInput("That page link is not valid any more; here is the first page.") from None
        return UserListing(page.items, page.next_cursor)

    def set_role(self, admin_id: str, user_id: str, role: str) -> User:
        if role not in ("learner", "admin"):
            raise InvalidInput("The role must be learner or admin.")
        if user_id == admin_id and role != "admin":
            raise PermissionDenied("You cannot revoke your own admin role (ask another admin).")
        user = self._target(user_id)
        updated = self._store.update_user(user.id, role=role)
        self._audit(admin_id, "make_admin" if role == "admin" else "revoke_admin", user_id)
        return updated

    def set_disabled(self, admin_id: str, user_id: str, disabled: bool) -> User:
        if user_id == admin_id:
            raise PermissionDenied("You cannot disable your own account.")
        user = self._target(user_id)
        preferences = dict(user.preferences)
        if disabled:
            preferences[DISABLED] = self._clock().isoformat()
        else:
            preferences.pop(DISABLED, None)
        updated = self._store.update_user(user.id, preferences=preferences)
        if disabled:
            self._store.delete_user_sessions(user.id)  # logged out everywhere, now
        self._audit(admin_id, "disable" if disabled else "enable", user_id)
        return updated

    def _target(self, user_id: str) -> User:
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("No such account.")
        return user

    def _audit(self, admin_id: str, action: str, user_id: str) -> None:
        self._audit_trail.record(admin_id, action, account_id=user_id)

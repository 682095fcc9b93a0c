"""A learner's data rights: the export of everything stored about them, and deleting the account.

The export is the store's own record of the learner (`Store.user_items`: every row / item of every
area, as stored), so an area added later is exported without editing this; only the password hash
is left out. Deleting removes every item of the learner on the backend (SQLite: cascades with
secure_delete on and the WAL checkpointed; DynamoDB: the partition and the index items, batched)
and every session with it, so the learner is logged out everywhere at once.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from dal.base import Store
from services import passwords
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError

log = logging.getLogger(__name__)
CONFIRMATION = "DELETE"
EXPORT_FORMAT = 1
SECRET_FIELDS = {"password_hash", "passwordHash", "token_hash", "tokenHash"}

FIELDS_DOC = {
    "format": "Version of this file's layout.",
    "exported_at": "When the file was made (UTC, ISO 8601).",
    "account": "Your account: email, display name, role, whether the email is confirmed, preferences "
               "(time zone, theme), when it was created and last logged in. The password is not included.",
    "items": "Every record kept about you, by kind, as stored: activity events (what you did, when), lesson "
             "progress, drafts, last results, skill estimates, quiz attempts and records, reviews, "
             "conversations, activity per hour, your progress summary, achievements, sessions, the "
             "refresh tokens of app logins, the sign-in providers linked to your account (provider, "
             "your id there, the email it gave) and one-time links (without their secret parts).",
}


def pseudonym(user_id: str) -> str:
    """What logs and the audit trail keep of a deleted learner: not the id, not the email."""
    return "learner-" + hashlib.sha256(("codelearn:" + user_id).encode()).hexdigest()[:12]


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in SECRET_FIELDS}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


class DataRights:
    def __init__(self, store: Store, clock: Clock = utcnow) -> None:
        self._store = store
        self._clock = clock

    def export(self, user_id: str) -> dict[str, Any]:
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        now: datetime = self._clock()
        return {
            "format": EXPORT_FORMAT,
            "exported_at": now.isoformat(),
            "fields": FIELDS_DOC,
            "account": {"id": user.id, "email": user.email, "display_name": user.display_name, "role": user.role,
                        "verified": user.verified, "preferences": user.preferences,
                        "created_at": user.created_at.isoformat() if user.created_at else None,
                        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None},
            "items": _scrub(self._store.user_items(user_id)),
        }

    def export_text(self, user_id: str) -> str:
        """The export as the JSON file the learner downloads (the page and the API send the same)."""
        return json.dumps(self.export(user_id), indent=1, ensure_ascii=False, default=str)

    def delete_account(self, user_id: str, password: str, confirmation: str) -> str:
        """Delete the learner and everything of theirs; returns their pseudonym for the log."""
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("This account has already been deleted.")
        errors = {}
        if confirmation.strip() != CONFIRMATION:
            errors["confirmation"] = f"Type {CONFIRMATION} in capitals to confirm."
        if not passwords.verify_password(password[: passwords.MAX_LENGTH], user.password_hash):
            errors["password"] = "That is not your password."  # noqa: S105 - a message, not a password
        if errors:
            raise InvalidInput("Your account was not deleted: " + " ".join(errors.values()), errors)
        return self.erase(user_id)

    def erase(self, user_id: str) -> str:
        """Delete the learner and everything of theirs once they proved it is them (password or mailed
        link, services/progress/deletion_link.py); returns their pseudonym for the log."""
        self._store.erase_user(user_id)
        name = pseudonym(user_id)
        log.info("account deleted: %s", name)
        return name

"""SQLite implementation of the Store: the local-mode database, one file under instance/.
Accounts, sessions, tokens, counters and settings live here; the learning records in learning.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from dal.base import (
    EmailTaken,
    NotFound,
    OneTimeToken,
    Page,
    Session,
    Store,
    StoreError,
    User,
)
from dal.encoding import check_page_limit, decode_cursor, encode_cursor, optional_iso, to_iso, utc_now
from dal.sqlite import rows
from dal.sqlite.admin import AdminRecords
from dal.sqlite.api_tokens import ApiTokenRecords
from dal.sqlite.assistant import AssistantRecords
from dal.sqlite.chat import ChatRecords
from dal.sqlite.connections import DEFAULT_BUSY_TIMEOUT_MS, ConstraintViolated, ThreadConnections, store_error
from dal.sqlite.identities import IdentityRecords
from dal.sqlite.learning import LearningRecords
from dal.sqlite.migrations import apply_migrations
from dal.sqlite.progress import ProgressRecords
from dal.sqlite.reviews import ReviewRecords
from dal.sqlite.tutor import TutorRecords

# User fields update_user may change, with the column each is stored in and its encoder.
_USER_COLUMNS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "password_hash": ("password_hash", str),
    "role": ("role", str),
    "verified": ("verified", lambda value: int(bool(value))),
    "created_at": ("created_at", to_iso),
    "last_login_at": ("last_login_at", optional_iso),
    "display_name": ("display_name", str),
    "preferences": ("preferences", json.dumps),
}


# A session joined with its user: the session's columns carry an `s_` prefix (see rows.unprefixed).
_SESSION_WITH_USER = (
    "SELECT u.*, s.id AS s_id, s.user_id AS s_user_id, s.created_at AS s_created_at, s.expires_at AS s_expires_at,"
    " s.last_seen_at AS s_last_seen_at, s.user_agent AS s_user_agent, s.ip AS s_ip, s.remember AS s_remember"
    " FROM sessions AS s JOIN users AS u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ?"
)


class SqliteStore(LearningRecords, TutorRecords, ProgressRecords, ReviewRecords, ChatRecords, AssistantRecords,
                  IdentityRecords, AdminRecords, ApiTokenRecords, Store):
    """A Store in one SQLite database file; safe to share between the threads of a process, and
    between processes using the same file. A write that waits longer than `busy_timeout_ms` for
    another writer raises StoreUnavailable."""

    def __init__(self, path: str, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        if path == ":memory:" or path.startswith("file::memory:"):
            # Each thread has its own connection, and an in-memory database belongs to one connection.
            raise ValueError("SqliteStore needs a database file; use a file in a temporary folder for tests")
        self._connections = ThreadConnections(path, busy_timeout_ms)

    # --- plumbing ---------------------------------------------------------------------------
    def _run(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Execute one statement and fetch every row (a RETURNING statement only finishes, and
        releases the write lock, once its rows are consumed)."""
        try:
            return self._connections.get().execute(sql, params).fetchall()
        except sqlite3.Error as error:
            translated = store_error(error)
            if translated is None:
                raise
            raise translated from error

    def init_schema(self) -> None:
        apply_migrations(self._connections.get())

    def close(self) -> None:
        self._connections.close_all()

    # --- users -----------------------------------------------------------------------------
    def create_user(self, user: User) -> User:
        created = User(**{**user.__dict__, "created_at": user.created_at or utc_now()})
        try:
            self._run(
                "INSERT INTO users (id, email, password_hash, role, verified, created_at, last_login_at,"
                " display_name, preferences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    created.id,
                    created.email,
                    created.password_hash,
                    created.role,
                    int(created.verified),
                    to_iso(created.created_at),
                    optional_iso(created.last_login_at),
                    created.display_name,
                    json.dumps(created.preferences),
                ),
            )
        except ConstraintViolated as error:
            if "users.email" in str(error):  # the UNIQUE constraint decides races between requests
                raise EmailTaken(created.email) from error
            raise StoreError(f"user {created.id} already exists") from error
        return created

    def get_user(self, user_id: str) -> User | None:
        found = self._run("SELECT * FROM users WHERE id = ?", (user_id,))
        return rows.user_from_row(found[0]) if found else None

    def get_user_by_email(self, email: str) -> User | None:
        found = self._run("SELECT * FROM users WHERE email = ?", (email,))
        return rows.user_from_row(found[0]) if found else None

    def _write_user_fields(self, user_id: str, fields: dict[str, Any]) -> User:
        assignments = ", ".join(f"{_USER_COLUMNS[name][0]} = ?" for name in fields)
        values = [_USER_COLUMNS[name][1](value) for name, value in fields.items()]
        updated = self._run(f"UPDATE users SET {assignments} WHERE id = ? RETURNING *", (*values, user_id))  # noqa: S608 - column names come from _USER_COLUMNS
        if not updated:
            raise NotFound(f"user {user_id}")
        return rows.user_from_row(updated[0])

    def delete_user(self, user_id: str) -> None:
        # Sessions, tokens, events, progress, drafts and last reports go with it: ON DELETE CASCADE.
        self._run("DELETE FROM users WHERE id = ?", (user_id,))

    def list_users(self, limit: int = 50, cursor: str | None = None) -> Page[User]:
        check_page_limit(limit)
        if cursor is None:
            found = self._run("SELECT * FROM users ORDER BY created_at DESC, id DESC LIMIT ?", (limit + 1,))
        else:
            position = decode_cursor(cursor)
            found = self._run(
                "SELECT * FROM users WHERE (created_at, id) < (?, ?)"
                " ORDER BY created_at DESC, id DESC LIMIT ?",
                (position.get("created_at"), position.get("id"), limit + 1),
            )
        users = [rows.user_from_row(row) for row in found[:limit]]
        next_cursor = None
        if len(found) > limit:
            last = found[limit - 1]
            next_cursor = encode_cursor({"created_at": last["created_at"], "id": last["id"]})
        return Page(items=users, next_cursor=next_cursor)

    # --- sessions --------------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        self._run(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at, user_agent, ip,"
            " remember) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.id,
                session.user_id,
                to_iso(session.created_at),
                to_iso(session.expires_at),
                to_iso(session.last_seen_at),
                session.user_agent,
                session.ip,
                int(session.remember),
            ),
        )

    def get_session(self, session_id: str, now: datetime) -> Session | None:
        found = self._run("SELECT * FROM sessions WHERE id = ? AND expires_at > ?", (session_id, to_iso(now)))
        return rows.session_from_row(found[0]) if found else None

    def get_session_with_user(self, session_id: str, now: datetime) -> tuple[Session, User] | None:
        found = self._run(_SESSION_WITH_USER, (session_id, to_iso(now)))
        return (rows.session_from_row(rows.unprefixed(found[0], "s_")), rows.user_from_row(found[0])) if found else None

    def touch_session(self, session_id: str, last_seen_at: datetime, expires_at: datetime) -> None:
        self._run(
            "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?",
            (to_iso(last_seen_at), to_iso(expires_at), session_id),
        )

    def delete_session(self, session_id: str) -> None:
        self._run("DELETE FROM sessions WHERE id = ?", (session_id,))

    def list_user_sessions(self, user_id: str, now: datetime) -> list[Session]:
        found = self._run(
            "SELECT * FROM sessions WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id DESC",
            (user_id, to_iso(now)),
        )
        return [rows.session_from_row(row) for row in found]

    def delete_user_sessions(self, user_id: str, except_session_id: str | None = None) -> int:
        deleted = self._run(
            "DELETE FROM sessions WHERE user_id = ? AND id IS NOT ? RETURNING id",
            (user_id, except_session_id),
        )
        return len(deleted)

    # --- one-time tokens -------------------------------------------------------------------
    def create_token(self, token: OneTimeToken) -> None:
        self._run(
            "INSERT INTO one_time_tokens (token_hash, purpose, user_id, created_at, expires_at, used_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                token.token_hash,
                token.purpose,
                token.user_id,
                to_iso(token.created_at),
                to_iso(token.expires_at),
                optional_iso(token.used_at),
            ),
        )

    def get_token(self, token_hash: str) -> OneTimeToken | None:
        found = self._run("SELECT * FROM one_time_tokens WHERE token_hash = ?", (token_hash,))
        return rows.token_from_row(found[0]) if found else None

    def consume_token(self, token_hash: str, purpose: str, now: datetime) -> OneTimeToken | None:
        # One statement checks and marks: of two concurrent calls only one matches `used_at IS NULL`.
        found = self._run(
            "UPDATE one_time_tokens SET used_at = :now WHERE token_hash = :hash AND purpose = :purpose"
            " AND used_at IS NULL AND expires_at > :now RETURNING *",
            {"now": to_iso(now), "hash": token_hash, "purpose": purpose},
        )
        return rows.token_from_row(found[0]) if found else None

    # --- counters --------------------------------------------------------------------------
    def increment_counter(self, key: str, expires_at: datetime, now: datetime, amount: int = 1) -> int:
        # An expired counter restarts from `amount` with the new expiry, in the same statement.
        found = self._run(
            "INSERT INTO counters (key, value, expires_at) VALUES (:key, :amount, :expires)"
            " ON CONFLICT (key) DO UPDATE SET"
            "  value = CASE WHEN counters.expires_at <= :now THEN :amount ELSE counters.value + :amount END,"
            "  expires_at = CASE WHEN counters.expires_at <= :now THEN :expires ELSE counters.expires_at END"
            " RETURNING value",
            {"key": key, "amount": amount, "expires": to_iso(expires_at), "now": to_iso(now)},
        )
        return int(found[0]["value"])

    def get_counter(self, key: str, now: datetime) -> int:
        found = self._run("SELECT value FROM counters WHERE key = ? AND expires_at > ?", (key, to_iso(now)))
        return int(found[0]["value"]) if found else 0

    def delete_counter(self, key: str) -> None:
        self._run("DELETE FROM counters WHERE key = ?", (key,))

    # --- settings --------------------------------------------------------------------------
    def get_setting(self, key: str) -> Any | None:
        found = self._run("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(found[0]["value"]) if found else None

    def put_setting(self, key: str, value: Any) -> None:
        self._run(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

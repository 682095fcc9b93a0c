"""The API side of the SQLite store (dal/api_tokens.py): refresh tokens, one family per session.

The table refers to its session, so logging out, revoking a session or "log out everywhere"
removes the session's refresh tokens with it (ON DELETE CASCADE), as deleting the account does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from dal.api_tokens import RefreshToken
from dal.encoding import from_iso, optional_from_iso, optional_iso, to_iso


class ApiTokenRecords:
    _run: Callable[..., list[sqlite3.Row]]

    def create_refresh_token(self, token: RefreshToken) -> None:
        t = token
        self._run("INSERT INTO refresh_tokens (token_hash, session_id, user_id, created_at, expires_at, used_at)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  (t.token_hash, t.session_id, t.user_id, to_iso(t.created_at), to_iso(t.expires_at),
                   optional_iso(t.used_at)))

    def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        found = self._run("SELECT * FROM refresh_tokens WHERE token_hash = ?", (token_hash,))
        return _token(found[0]) if found else None

    def use_refresh_token(self, token_hash: str, now) -> RefreshToken | None:
        # One statement checks and marks: of two racing calls only one matches `used_at IS NULL`.
        found = self._run("UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL"
                          " AND expires_at > :now RETURNING *", {"now": to_iso(now), "hash": token_hash})
        return _token(found[0]) if found else None

    def delete_session_refresh_tokens(self, session_id: str, user_id: str) -> int:
        return len(self._run("DELETE FROM refresh_tokens WHERE session_id = ? AND user_id = ? RETURNING 1",
                             (session_id, user_id)))


def _token(row: sqlite3.Row) -> RefreshToken:
    return RefreshToken(token_hash=row["token_hash"], session_id=row["session_id"], user_id=row["user_id"],
                        created_at=from_iso(row["created_at"]), expires_at=from_iso(row["expires_at"]),
                        used_at=optional_from_iso(row["used_at"]))

"""The admin side of the SQLite store (dal/admin.py): audit trail, names in it, the gate's refusals,
and the lesson cache as a list."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import datetime

from dal.admin import AuditEntry, GateRejection
from dal.base import LessonCacheEntry
from dal.encoding import check_page_limit, decode_cursor, encode_cursor, from_iso, new_event_id, to_iso
from dal.paging import Page
from dal.sqlite import rows


class AdminRecords:
    _run: Callable[..., list[sqlite3.Row]]

    # --- audit trail -------------------------------------------------------------------------
    def add_audit_entry(self, entry: AuditEntry) -> AuditEntry:
        stored = AuditEntry(entry.at, entry.actor, entry.action, entry.target, dict(entry.detail),
                            entry.id or new_event_id(entry.at))
        self._run("INSERT INTO admin_audit (id, at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                  (stored.id, to_iso(stored.at), stored.actor, stored.action, stored.target,
                   json.dumps(stored.detail)))
        return stored

    def list_audit_entries(self, limit: int = 50, cursor: str | None = None) -> Page[AuditEntry]:
        check_page_limit(limit)
        if cursor is None:
            found = self._run("SELECT * FROM admin_audit ORDER BY id DESC LIMIT ?", (limit + 1,))
        else:
            after = decode_cursor(cursor).get("id")
            if not isinstance(after, str):
                raise ValueError("invalid page cursor")
            found = self._run("SELECT * FROM admin_audit WHERE id < ? ORDER BY id DESC LIMIT ?", (after, limit + 1))
        entries = [_audit(row) for row in found[:limit]]
        return Page(entries, encode_cursor({"id": entries[-1].id}) if len(found) > limit else None)

    def name_in_audit(self, pseudonym: str, user_id: str) -> None:
        self._run("INSERT OR REPLACE INTO audit_names (pseudonym, user_id) VALUES (?, ?)", (pseudonym, user_id))

    def audit_names(self, pseudonyms: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(pseudonyms))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        found = self._run(f"SELECT pseudonym, user_id FROM audit_names WHERE pseudonym IN ({marks})",  # noqa: S608 - only ? marks
                          tuple(wanted))
        return {row["pseudonym"]: row["user_id"] for row in found}

    # --- answer gate -------------------------------------------------------------------------
    def add_gate_rejection(self, rejection: GateRejection) -> None:
        r = rejection
        # Purge on write: refusals past their expiry go when a new one comes.
        self._run("DELETE FROM gate_rejections WHERE expires_at <= ?", (to_iso(r.at),))
        self._run("INSERT INTO gate_rejections (id, at, expires_at, task, lesson_id, kind, reason, text)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  (r.id or new_event_id(r.at), to_iso(r.at), to_iso(r.expires_at), r.task, r.lesson_id, r.kind,
                   r.reason, r.text))

    def list_gate_rejections(self, now: datetime, limit: int = 50) -> list[GateRejection]:
        check_page_limit(limit)
        found = self._run("SELECT * FROM gate_rejections WHERE expires_at > ? ORDER BY id DESC LIMIT ?",
                          (to_iso(now), limit))
        return [GateRejection(from_iso(row["at"]), from_iso(row["expires_at"]), row["task"], row["lesson_id"],
                              row["kind"], row["reason"], row["text"], row["id"]) for row in found]

    # --- lesson cache, for the admin ------------------------------------------------------------
    def list_cached_lessons(self, now: datetime, limit: int = 50, cursor: str | None = None,
                            prefix: str = "") -> Page[LessonCacheEntry]:
        check_page_limit(limit)
        after = ""
        if cursor is not None:
            after = decode_cursor(cursor).get("key")
            if not isinstance(after, str):
                raise ValueError("invalid page cursor")
        found = self._run(
            "SELECT * FROM lesson_cache WHERE key > ? AND substr(key, 1, ?) = ? AND expires_at > ?"
            " ORDER BY key LIMIT ?", (after, len(prefix), prefix, to_iso(now), limit + 1))
        entries = [rows.lesson_from_row(row) for row in found[:limit]]
        return Page(entries, encode_cursor({"key": entries[-1].key}) if len(found) > limit else None)

    def delete_cached_lesson(self, key: str) -> bool:
        return bool(self._run("DELETE FROM lesson_cache WHERE key = ? RETURNING 1", (key,)))


def _audit(row: sqlite3.Row) -> AuditEntry:
    return AuditEntry(from_iso(row["at"]), row["actor"], row["action"], row["target"], json.loads(row["detail"]),
                      row["id"])

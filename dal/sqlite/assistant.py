"""The assistant side of the SQLite store (dal/assistant.py): the learner's recent requests."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime

from dal.assistant import AssistantRequest
from dal.encoding import check_page_limit, from_iso, to_iso


class AssistantRecords:
    _run: Callable[..., list[sqlite3.Row]]

    def add_assistant_request(self, request: AssistantRequest) -> None:
        r = request
        # Purge on write: the learner's expired requests go when a new one comes.
        self._run("DELETE FROM assistant_requests WHERE user_id = ? AND expires_at <= ?",
                  (r.user_id, to_iso(r.created_at)))
        self._run("INSERT INTO assistant_requests (user_id, id, mode, created_at, expires_at, code, result)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (r.user_id, r.id, r.mode, to_iso(r.created_at), to_iso(r.expires_at), r.code, json.dumps(r.result)))

    def list_assistant_requests(self, user_id: str, now: datetime, limit: int = 20) -> list[AssistantRequest]:
        check_page_limit(limit)
        found = self._run("SELECT * FROM assistant_requests WHERE user_id = ? AND expires_at > ? ORDER BY id DESC"
                          " LIMIT ?", (user_id, to_iso(now), limit))
        return [_request(row) for row in found]

    def delete_assistant_request(self, user_id: str, request_id: str) -> bool:
        return bool(self._run("DELETE FROM assistant_requests WHERE user_id = ? AND id = ? RETURNING 1",
                              (user_id, request_id)))

    def delete_assistant_history(self, user_id: str) -> int:
        return len(self._run("DELETE FROM assistant_requests WHERE user_id = ? RETURNING 1", (user_id,)))


def _request(row: sqlite3.Row) -> AssistantRequest:
    return AssistantRequest(user_id=row["user_id"], id=row["id"], mode=row["mode"],
                            created_at=from_iso(row["created_at"]), expires_at=from_iso(row["expires_at"]),
                            code=row["code"], result=json.loads(row["result"]))

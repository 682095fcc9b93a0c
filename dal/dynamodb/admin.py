"""The admin side of the DynamoDB store (dal/admin.py):

    item              PK                   SK             GSI1PK          GSI1SK
    audit entry       AUDIT                <entry id>
    name in audit     AUDITNAME#<name>     NAME           USER#<uid>      AUDITNAME#<name>
    gate refusal      GATE                 <refusal id>                                    expiresAt: TTL
    lesson cache      LESSON#<key>         CACHE          LESSONCACHE     <key>

Admin actions and refusals are rare, so one partition each holds them, newest first by id (time
first). A name in the audit trail sits under the account's GSI1 partition, so delete_user finds it
with the account's sessions and tokens. Cache entries are listed through GSI1 (put_cached_lesson
writes those attributes; an entry written before they existed is listed once it is written again).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from dal.admin import AuditEntry, GateRejection
from dal.base import LessonCacheEntry
from dal.dynamodb import items, keys
from dal.dynamodb.errors import ConditionFailed
from dal.dynamodb.schema import USER_INDEX
from dal.dynamodb.table import Table
from dal.encoding import check_page_limit, from_iso, new_event_id, to_iso
from dal.paging import Page

AUDIT_PARTITION = "AUDIT"
GATE_PARTITION = "GATE"
CACHE_INDEX_PARTITION = "LESSONCACHE"
_PAGE_KEY = ("PK", "SK")
_INDEX_PAGE_KEY = ("PK", "SK", "GSI1PK", "GSI1SK")


def cache_index_attributes(cache_key: str) -> dict[str, str]:
    """What a lesson cache item carries so list_cached_lessons finds it."""
    return {"GSI1PK": CACHE_INDEX_PARTITION, "GSI1SK": cache_key}


def _name_key(pseudonym: str) -> dict[str, str]:
    return {"PK": f"AUDITNAME#{pseudonym}", "SK": "NAME"}


class AdminRecords:
    _table: Table

    # --- audit trail -------------------------------------------------------------------------
    def add_audit_entry(self, entry: AuditEntry) -> AuditEntry:
        stored = AuditEntry(entry.at, entry.actor, entry.action, entry.target, dict(entry.detail),
                            entry.id or new_event_id(entry.at))
        self._table.put({"PK": AUDIT_PARTITION, "SK": stored.id, "at": to_iso(stored.at), "actor": stored.actor,
                         "action": stored.action, "target": stored.target, "detail": json.dumps(stored.detail)})
        return stored

    def list_audit_entries(self, limit: int = 50, cursor: str | None = None) -> Page[AuditEntry]:
        found, next_cursor = self._table.query_page(limit, cursor, _PAGE_KEY, "PK = :pk", {":pk": AUDIT_PARTITION},
                                                    ScanIndexForward=False)
        return Page([_audit(item) for item in found], next_cursor)

    def name_in_audit(self, pseudonym: str, user_id: str) -> None:
        self._table.put({**_name_key(pseudonym), "GSI1PK": keys.user_partition(user_id),
                         "GSI1SK": f"AUDITNAME#{pseudonym}", "userId": user_id})

    def audit_names(self, pseudonyms: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(pseudonyms))
        if not wanted:
            return {}
        found = [item for start in range(0, len(wanted), 100)  # batch_get's limit
                 for item in self._table.batch_get([_name_key(name) for name in wanted[start:start + 100]])]
        return {item["PK"].split("#", 1)[1]: item["userId"] for item in found}

    # --- answer gate -------------------------------------------------------------------------
    def add_gate_rejection(self, rejection: GateRejection) -> None:
        r = rejection
        self._table.put({"PK": GATE_PARTITION, "SK": r.id or new_event_id(r.at), "at": to_iso(r.at), "task": r.task,
                         "lessonId": r.lesson_id, "kind": r.kind, "reason": r.reason, "text": r.text,
                         **items.expiry_attributes(r.expires_at)})

    def list_gate_rejections(self, now: datetime, limit: int = 50) -> list[GateRejection]:
        check_page_limit(limit)
        live: list[GateRejection] = []
        cursor = None
        while len(live) < limit:  # TTL deletion is lazy: skip what has expired
            found, cursor = self._table.query_page(limit, cursor, _PAGE_KEY, "PK = :pk", {":pk": GATE_PARTITION},
                                                   ScanIndexForward=False)
            live += [_rejection(item) for item in found if items.is_live(item, now)]
            if cursor is None:
                break
        return live[:limit]

    # --- lesson cache, for the admin ------------------------------------------------------------
    def list_cached_lessons(self, now: datetime, limit: int = 50, cursor: str | None = None,
                            prefix: str = "") -> Page[LessonCacheEntry]:
        condition, values = "GSI1PK = :pk", {":pk": CACHE_INDEX_PARTITION}
        if prefix:
            condition += " AND begins_with(GSI1SK, :prefix)"
            values[":prefix"] = prefix
        found, next_cursor = self._table.query_page(limit, cursor, _INDEX_PAGE_KEY, condition, values,
                                                    IndexName=USER_INDEX)
        return Page([items.lesson_from_item(item) for item in found if items.is_live(item, now)], next_cursor)

    def delete_cached_lesson(self, key: str) -> bool:
        with contextlib.suppress(ConditionFailed):
            self._table.delete(keys.lesson_key(key), condition="attribute_exists(PK)")
            return True
        return False


def _audit(item: dict[str, Any]) -> AuditEntry:
    return AuditEntry(from_iso(item["at"]), item["actor"], item["action"], item.get("target", ""),
                      json.loads(item.get("detail") or "{}"), item["SK"])


def _rejection(item: dict[str, Any]) -> GateRejection:
    return GateRejection(from_iso(item["at"]), from_iso(item["expires"]), item["task"], item.get("lessonId", ""),
                         item["kind"], item.get("reason", ""), item.get("text", ""), item["SK"])

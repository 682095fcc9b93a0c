"""The learning side of the SQLite store: activity events, lesson cache, progress, drafts, last
reports and the AI usage ledger. A mixin of SqliteStore, split out to keep each module to one area
(as on DynamoDB)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from dal.base import ActivityEvent, Draft, LessonCacheEntry, LessonRecord, LessonReport, Page, Progress, UsageRecord
from dal.encoding import check_page_limit, decode_cursor, encode_cursor, new_event_id, to_iso
from dal.sqlite import rows

# Exactly one row: the progress columns (NULL when there is no record), the draft's prefixed `d_`
# and the last report's prefixed `r_`.
_LESSON_RECORD = (
    "SELECT p.*, d.user_id AS d_user_id, d.lesson_id AS d_lesson_id, d.code AS d_code, d.updated_at AS d_updated_at,"
    " r.user_id AS r_user_id, r.lesson_id AS r_lesson_id, r.report AS r_report, r.submitted_at AS r_submitted_at,"
    " r.code_digest AS r_code_digest"
    " FROM (SELECT :user AS user_id, :lesson AS lesson_id) AS k"
    " LEFT JOIN progress AS p ON p.user_id = k.user_id AND p.lesson_id = k.lesson_id"
    " LEFT JOIN drafts AS d ON d.user_id = k.user_id AND d.lesson_id = k.lesson_id"
    " LEFT JOIN last_reports AS r ON r.user_id = k.user_id AND r.lesson_id = k.lesson_id"
)


class LearningRecords:
    _run: Callable[..., list[sqlite3.Row]]

    # --- activity --------------------------------------------------------------------------
    def add_event(self, event: ActivityEvent) -> ActivityEvent:
        stored = ActivityEvent(
            user_id=event.user_id,
            at=event.at,
            kind=event.kind,
            detail=event.detail,
            id=new_event_id(event.at),
        )
        self._run(
            "INSERT INTO activity_events (user_id, id, at, kind, detail) VALUES (?, ?, ?, ?, ?)",
            (stored.user_id, stored.id, to_iso(stored.at), stored.kind, json.dumps(stored.detail)),
        )
        return stored

    def list_events(
        self, user_id: str, limit: int = 50, cursor: str | None = None, since: datetime | None = None
    ) -> Page[ActivityEvent]:
        check_page_limit(limit)
        # Event ids start with the event's time, so ordering by id orders by time.
        conditions = ["user_id = ?"]
        params: list[Any] = [user_id]
        if cursor is not None:
            conditions.append("id < ?")
            params.append(str(decode_cursor(cursor).get("id")))
        if since is not None:
            conditions.append("at >= ?")
            params.append(to_iso(since))
        found = self._run(
            f"SELECT * FROM activity_events WHERE {' AND '.join(conditions)} ORDER BY id DESC LIMIT ?",  # noqa: S608 - fixed condition strings
            (*params, limit + 1),
        )
        events = [rows.event_from_row(row) for row in found[:limit]]
        next_cursor = encode_cursor({"id": events[-1].id}) if len(found) > limit else None
        return Page(items=events, next_cursor=next_cursor)

    # --- lesson cache ----------------------------------------------------------------------
    def get_cached_lesson(self, key: str, now: datetime) -> LessonCacheEntry | None:
        found = self._run("SELECT * FROM lesson_cache WHERE key = ? AND expires_at > ?", (key, to_iso(now)))
        return rows.lesson_from_row(found[0]) if found else None

    def put_cached_lesson(self, entry: LessonCacheEntry) -> None:
        self._run(
            "INSERT OR REPLACE INTO lesson_cache (key, content, source, created_at, expires_at, model,"
            " input_tokens, output_tokens, cost_usd, hit_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.key,
                json.dumps(entry.content),
                entry.source,
                to_iso(entry.created_at),
                to_iso(entry.expires_at),
                entry.model,
                entry.input_tokens,
                entry.output_tokens,
                entry.cost_usd,
                entry.hit_count,
            ),
        )

    def record_lesson_hit(self, key: str, hits: int = 1) -> None:
        self._run("UPDATE lesson_cache SET hit_count = hit_count + ? WHERE key = ?", (hits, key))

    # --- progress and drafts ---------------------------------------------------------------
    def get_progress(self, user_id: str, lesson_id: str) -> Progress | None:
        found = self._run("SELECT * FROM progress WHERE user_id = ? AND lesson_id = ?", (user_id, lesson_id))
        return rows.progress_from_row(found[0]) if found else None

    def list_progress(self, user_id: str) -> list[Progress]:
        found = self._run("SELECT * FROM progress WHERE user_id = ? ORDER BY lesson_id", (user_id,))
        return [rows.progress_from_row(row) for row in found]

    def record_attempt(self, user_id: str, lesson_id: str, at: datetime) -> Progress:
        found = self._run(
            "INSERT INTO progress (user_id, lesson_id, attempts, first_attempt_at, last_attempt_at)"
            " VALUES (:user, :lesson, 1, :at, :at)"
            " ON CONFLICT (user_id, lesson_id) DO UPDATE SET attempts = progress.attempts + 1,"
            "  first_attempt_at = COALESCE(progress.first_attempt_at, :at), last_attempt_at = :at"
            " RETURNING *",
            {"user": user_id, "lesson": lesson_id, "at": to_iso(at)},
        )
        return rows.progress_from_row(found[0])

    def record_hint(self, user_id: str, lesson_id: str, ai: bool = False) -> Progress:
        column = "ai_hints_used" if ai else "hints_used"
        found = self._run(
            f"INSERT INTO progress (user_id, lesson_id, {column}) VALUES (?, ?, 1)"  # noqa: S608 - one of two fixed names
            f" ON CONFLICT (user_id, lesson_id) DO UPDATE SET {column} = progress.{column} + 1 RETURNING *",
            (user_id, lesson_id),
        )
        return rows.progress_from_row(found[0])

    def mark_completed(self, user_id: str, lesson_id: str, at: datetime, assisted: bool) -> bool:
        # The conflict branch only updates a record not yet completed; RETURNING then yields no row,
        # so exactly one of several concurrent calls sees True.
        found = self._run(
            "INSERT INTO progress (user_id, lesson_id, completed_at, assisted) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, lesson_id) DO UPDATE"
            "  SET completed_at = excluded.completed_at, assisted = excluded.assisted"
            "  WHERE progress.completed_at IS NULL"
            " RETURNING 1",
            (user_id, lesson_id, to_iso(at), int(assisted)),
        )
        return bool(found)

    def save_draft(self, draft: Draft) -> None:
        self._run(
            "INSERT INTO drafts (user_id, lesson_id, code, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, lesson_id)"
            " DO UPDATE SET code = excluded.code, updated_at = excluded.updated_at",
            (draft.user_id, draft.lesson_id, draft.code, to_iso(draft.updated_at)),
        )

    def save_last_report(self, report: LessonReport) -> None:
        self._run(
            "INSERT INTO last_reports (user_id, lesson_id, report, submitted_at, code_digest) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, lesson_id) DO UPDATE SET report = excluded.report,"
            "  submitted_at = excluded.submitted_at, code_digest = excluded.code_digest",
            (report.user_id, report.lesson_id, json.dumps(report.report), to_iso(report.submitted_at),
             report.code_digest),
        )

    def get_lesson_record(self, user_id: str, lesson_id: str) -> LessonRecord:
        row = self._run(_LESSON_RECORD, {"user": user_id, "lesson": lesson_id})[0]
        return LessonRecord(
            progress=rows.progress_from_row(row) if row["attempts"] is not None else None,
            draft=rows.draft_from_row(rows.unprefixed(row, "d_")) if row["d_code"] is not None else None,
            last_report=rows.report_from_row(rows.unprefixed(row, "r_")) if row["r_report"] is not None else None,
        )

    def delete_draft(self, user_id: str, lesson_id: str) -> None:
        self._run("DELETE FROM drafts WHERE user_id = ? AND lesson_id = ?", (user_id, lesson_id))

    # --- AI usage ledger -------------------------------------------------------------------
    def add_usage(self, record: UsageRecord) -> None:
        self._run(
            "INSERT INTO usage_ledger (day, feature, model, calls, input_tokens, output_tokens, cost_usd)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (day, feature, model) DO UPDATE SET calls = calls + excluded.calls,"
            "  input_tokens = input_tokens + excluded.input_tokens,"
            "  output_tokens = output_tokens + excluded.output_tokens,"
            "  cost_usd = cost_usd + excluded.cost_usd",
            (
                record.day.isoformat(),
                record.feature,
                record.model,
                record.calls,
                record.input_tokens,
                record.output_tokens,
                record.cost_usd,
            ),
        )

    def list_usage(self, start: date, end: date) -> list[UsageRecord]:
        found = self._run(
            "SELECT * FROM usage_ledger WHERE day BETWEEN ? AND ? ORDER BY day, feature, model",
            (start.isoformat(), end.isoformat()),
        )
        return [rows.usage_from_row(row) for row in found]

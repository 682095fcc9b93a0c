"""The learning side of the DynamoDB store: activity events, lesson cache, progress, drafts, last
reports and the AI usage ledger. A mixin of DynamoStore, split out to keep each module to one area."""

from __future__ import annotations

import contextlib
import json
from datetime import date, datetime
from typing import Any

from dal.base import ActivityEvent, Draft, LessonCacheEntry, LessonRecord, LessonReport, Page, Progress, UsageRecord
from dal.dynamodb import items, keys
from dal.dynamodb.admin import cache_index_attributes
from dal.dynamodb.errors import ConditionFailed
from dal.dynamodb.table import Table
from dal.encoding import new_event_id, to_iso

_EVENT_PAGE_KEY = ("PK", "SK")


class LearningRecords:
    _table: Table

    # --- activity --------------------------------------------------------------------------
    def add_event(self, event: ActivityEvent) -> ActivityEvent:
        stored, item = _event_item(event)
        self._table.put(item)
        return stored

    def list_events(
        self, user_id: str, limit: int = 50, cursor: str | None = None, since: datetime | None = None
    ) -> Page[ActivityEvent]:
        values: dict[str, Any] = {":pk": keys.user_partition(user_id)}
        if since is None:
            condition = "PK = :pk AND begins_with(SK, :prefix)"
            values[":prefix"] = keys.EVENT_PREFIX
        else:  # event sort keys start with the event's time, so "since" is a key range
            condition = "PK = :pk AND SK BETWEEN :from AND :to"
            values[":from"] = keys.EVENT_PREFIX + to_iso(since)
            values[":to"] = keys.past_prefix(keys.EVENT_PREFIX)
        found, next_cursor = self._table.query_page(
            limit, cursor, _EVENT_PAGE_KEY, condition, values, ScanIndexForward=False, ConsistentRead=True
        )
        return Page(items=[items.event_from_item(item) for item in found], next_cursor=next_cursor)

    # --- lesson cache ----------------------------------------------------------------------
    def get_cached_lesson(self, key: str, now: datetime) -> LessonCacheEntry | None:
        item = self._table.get(keys.lesson_key(key))
        return items.lesson_from_item(item) if items.is_live(item, now) else None

    def put_cached_lesson(self, entry: LessonCacheEntry) -> None:
        self._table.put(
            {
                **keys.lesson_key(entry.key),
                "key": entry.key,
                "content": json.dumps(entry.content),
                "source": entry.source,
                "createdAt": to_iso(entry.created_at),
                "model": entry.model,
                "inputTokens": entry.input_tokens,
                "outputTokens": entry.output_tokens,
                "costUsd": items.money(entry.cost_usd),
                "hitCount": entry.hit_count,
                **items.expiry_attributes(entry.expires_at),
                **cache_index_attributes(entry.key),  # listed for the admin (dal/dynamodb/admin.py)
            }
        )

    def record_lesson_hit(self, key: str, hits: int = 1) -> None:
        with contextlib.suppress(ConditionFailed):  # only count hits on an entry that exists: never create a stub
            self._table.update(
                keys.lesson_key(key),
                "ADD #hits :one",
                condition="attribute_exists(PK)",
                names={"#hits": "hitCount"},
                values={":one": hits},
                return_values="NONE",
                once=True,
            )

    # --- progress and drafts ---------------------------------------------------------------
    def get_progress(self, user_id: str, lesson_id: str) -> Progress | None:
        item = self._table.get(keys.progress_key(user_id, lesson_id))
        return items.progress_from_item(item) if item else None

    def list_progress(self, user_id: str) -> list[Progress]:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": keys.PROGRESS_PREFIX},
            ConsistentRead=True,
        )
        return [items.progress_from_item(item) for item in found]

    def _update_progress(
        self,
        user_id: str,
        lesson_id: str,
        *,
        add: str = "",
        assignments: tuple[str, ...] = (),
        names: dict[str, str],
        values: dict[str, Any],
        **options: Any,
    ) -> dict[str, Any]:
        """One UpdateItem on the progress record, creating it when missing (with its ids); counted
        once when botocore resends it (Table.update's `once`)."""
        assignments = (*assignments, "#user = :user", "#lesson = :lesson")
        expression = (f"ADD {add} " if add else "") + "SET " + ", ".join(assignments)
        updated = self._table.update(
            keys.progress_key(user_id, lesson_id),
            expression,
            names={"#user": "userId", "#lesson": "lessonId", **names},
            values={":user": user_id, ":lesson": lesson_id, **values},
            once=True,
            **options,
        )
        return updated

    def record_attempt(self, user_id: str, lesson_id: str, at: datetime) -> Progress:
        updated = self._update_progress(
            user_id,
            lesson_id,
            add="#attempts :one",
            assignments=("#last = :at", "#first = if_not_exists(#first, :at)"),
            names={"#attempts": "attempts", "#first": "firstAttemptAt", "#last": "lastAttemptAt"},
            values={":one": 1, ":at": to_iso(at)},
        )
        return items.progress_from_item(updated)

    def record_hint(self, user_id: str, lesson_id: str, ai: bool = False) -> Progress:
        updated = self._update_progress(
            user_id,
            lesson_id,
            add="#hints :one",
            names={"#hints": "aiHintsUsed" if ai else "hintsUsed"},
            values={":one": 1},
        )
        return items.progress_from_item(updated)

    def mark_completed(self, user_id: str, lesson_id: str, at: datetime, assisted: bool) -> bool:
        try:  # the condition lets exactly one of several concurrent calls complete the lesson
            self._update_progress(
                user_id,
                lesson_id,
                assignments=("#completed = :at", "#assisted = :assisted"),
                condition="attribute_not_exists(#completed)",
                names={"#completed": "completedAt", "#assisted": "assisted"},
                values={":at": to_iso(at), ":assisted": assisted},
                return_values="NONE",
            )
        except ConditionFailed:
            return False
        return True

    def save_draft(self, draft: Draft) -> None:
        self._table.put(
            {
                **keys.draft_key(draft.user_id, draft.lesson_id),
                "userId": draft.user_id,
                "lessonId": draft.lesson_id,
                "code": draft.code,
                "updatedAt": to_iso(draft.updated_at),
            }
        )

    def save_last_report(self, report: LessonReport) -> None:
        self._table.put(_report_item(report))

    def save_report_and_event(self, report: LessonReport, event: ActivityEvent) -> ActivityEvent:
        stored, item = _event_item(event)
        self._table.batch_put([_report_item(report), item])  # one request for both puts
        return stored

    def get_lesson_record(self, user_id: str, lesson_id: str) -> LessonRecord:
        wanted = [keys.progress_key(user_id, lesson_id), keys.draft_key(user_id, lesson_id),
                  keys.report_key(user_id, lesson_id)]
        found = {item["SK"]: item for item in self._table.batch_get(wanted)}
        progress, draft, report = (found.get(key["SK"]) for key in wanted)
        return LessonRecord(
            progress=items.progress_from_item(progress) if progress else None,
            draft=items.draft_from_item(draft) if draft else None,
            last_report=items.report_from_item(report) if report else None,
        )

    def delete_draft(self, user_id: str, lesson_id: str) -> None:
        self._table.delete(keys.draft_key(user_id, lesson_id))

    # --- AI usage ledger -------------------------------------------------------------------
    def add_usage(self, record: UsageRecord) -> None:
        self._table.update(
            keys.usage_key(record.day, record.feature, record.model),
            "ADD #calls :calls, #input :input, #output :output, #cost :cost"
            " SET #day = :day, #feature = :feature, #model = :model",
            names={
                "#calls": "calls",
                "#input": "inputTokens",
                "#output": "outputTokens",
                "#cost": "costUsd",
                "#day": "day",
                "#feature": "feature",
                "#model": "model",
            },
            values={
                ":calls": record.calls,
                ":input": record.input_tokens,
                ":output": record.output_tokens,
                ":cost": items.money(record.cost_usd),
                ":day": record.day.isoformat(),
                ":feature": record.feature,
                ":model": record.model,
            },
            return_values="NONE",
            once=True,
        )

    def list_usage(self, start: date, end: date) -> list[UsageRecord]:
        rows: list[UsageRecord] = []
        for month in keys.months_between(start, end):  # one partition per month
            found = self._table.query_all(
                "PK = :pk AND SK BETWEEN :from AND :to",
                {
                    ":pk": keys.usage_partition(month),
                    ":from": start.isoformat(),
                    ":to": keys.past_prefix(f"{end.isoformat()}#"),
                },
                ConsistentRead=True,
            )
            rows.extend(items.usage_from_item(item) for item in found)
        return sorted(rows, key=lambda row: (row.day, row.feature, row.model))


def _event_item(event: ActivityEvent) -> tuple[ActivityEvent, dict[str, Any]]:
    """The event with its new id, and the item that stores it."""
    stored = ActivityEvent(
        user_id=event.user_id, at=event.at, kind=event.kind, detail=event.detail, id=new_event_id(event.at)
    )
    return stored, {
        **keys.event_key(stored.user_id, stored.id),
        "id": stored.id,
        "userId": stored.user_id,
        "at": to_iso(stored.at),
        "kind": stored.kind,
        "detail": json.dumps(stored.detail),
    }


def _report_item(report: LessonReport) -> dict[str, Any]:
    return {
        **keys.report_key(report.user_id, report.lesson_id),
        "userId": report.user_id,
        "lessonId": report.lesson_id,
        "report": json.dumps(report.report),
        "submittedAt": to_iso(report.submitted_at),
        "codeDigest": report.code_digest,
    }

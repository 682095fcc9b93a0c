"""The parts of the Store the AI layer uses, in memory (counters, settings, ledger, lesson cache,
progress hints). Duck-typed on purpose: it stays small while dal/ grows."""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from dal.admin import GateRejection
from dal.base import LessonCacheEntry, Progress, UsageRecord


class MemoryStore:
    def __init__(self) -> None:
        self.counters: dict[str, tuple[int, datetime]] = {}
        self.settings: dict[str, Any] = {}
        self.usage: dict[tuple[date, str, str], UsageRecord] = {}
        self.lessons: dict[str, LessonCacheEntry] = {}
        self.progress: dict[tuple[str, str], Progress] = {}
        self.rejections: list[GateRejection] = []

    def increment_counter(self, key: str, expires_at: datetime, now: datetime, amount: int = 1) -> int:
        value, expiry = self.counters.get(key, (0, expires_at))
        if expiry <= now:
            value, expiry = 0, expires_at
        self.counters[key] = (value + amount, expiry)
        return value + amount

    def get_counter(self, key: str, now: datetime) -> int:
        value, expiry = self.counters.get(key, (0, now))
        return value if expiry > now else 0

    def delete_counter(self, key: str) -> None:
        self.counters.pop(key, None)

    def get_setting(self, key: str) -> Any | None:
        return copy.deepcopy(self.settings.get(key))

    def put_setting(self, key: str, value: Any) -> None:
        self.settings[key] = copy.deepcopy(value)

    def add_usage(self, record: UsageRecord) -> None:
        key = (record.day, record.feature, record.model)
        row = self.usage.setdefault(key, UsageRecord(record.day, record.feature, record.model))
        row.calls += record.calls
        row.input_tokens += record.input_tokens
        row.output_tokens += record.output_tokens
        row.cost_usd += record.cost_usd

    def list_usage(self, start: date, end: date) -> list[UsageRecord]:
        return [copy.copy(r) for k, r in sorted(self.usage.items()) if start <= k[0] <= end]

    def get_cached_lesson(self, key: str, now: datetime) -> LessonCacheEntry | None:
        entry = self.lessons.get(key)
        return copy.deepcopy(entry) if entry and entry.expires_at > now else None

    def put_cached_lesson(self, entry: LessonCacheEntry) -> None:
        self.lessons[entry.key] = copy.deepcopy(entry)

    def record_lesson_hit(self, key: str, hits: int = 1) -> None:
        if key in self.lessons:
            self.lessons[key].hit_count += hits

    def add_gate_rejection(self, rejection: GateRejection) -> None:
        self.rejections.append(copy.deepcopy(rejection))

    def list_gate_rejections(self, now: datetime, limit: int = 50) -> list[GateRejection]:
        return [copy.deepcopy(r) for r in reversed(self.rejections) if r.expires_at > now][:limit]

    def get_progress(self, user_id: str, lesson_id: str) -> Progress | None:
        return copy.copy(self.progress.get((user_id, lesson_id)))

    def record_hint(self, user_id: str, lesson_id: str, ai: bool = False) -> Progress:
        row = self.progress.setdefault((user_id, lesson_id), Progress(user_id, lesson_id))
        if ai:
            row.ai_hints_used += 1
        else:
            row.hints_used += 1
        return copy.copy(row)

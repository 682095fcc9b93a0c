"""Conversions from SQLite rows to the dataclasses of dal.base."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import date
from typing import Any

from dal.base import (
    ActivityEvent,
    Draft,
    LessonCacheEntry,
    LessonReport,
    OneTimeToken,
    Progress,
    Session,
    UsageRecord,
    User,
)
from dal.encoding import from_iso, optional_from_iso

# A row as read, or one table's columns taken out of a joined row by `unprefixed`.
RowLike = sqlite3.Row | Mapping[str, Any]


def unprefixed(row: sqlite3.Row, prefix: str) -> dict[str, Any]:
    """One table's columns out of a joined row, where they were selected as `<prefix><name>`."""
    return {key[len(prefix):]: row[key] for key in row.keys() if key.startswith(prefix)}  # noqa: SIM118 - a Row iterates values


def user_from_row(row: sqlite3.Row) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        password_hash=row["password_hash"],
        role=row["role"],
        verified=bool(row["verified"]),
        created_at=from_iso(row["created_at"]),
        last_login_at=optional_from_iso(row["last_login_at"]),
        display_name=row["display_name"],
        preferences=json.loads(row["preferences"]),
    )


def session_from_row(row: RowLike) -> Session:
    return Session(
        id=row["id"],
        user_id=row["user_id"],
        created_at=from_iso(row["created_at"]),
        expires_at=from_iso(row["expires_at"]),
        last_seen_at=from_iso(row["last_seen_at"]),
        user_agent=row["user_agent"],
        ip=row["ip"],
        remember=bool(row["remember"]),
    )


def token_from_row(row: sqlite3.Row) -> OneTimeToken:
    return OneTimeToken(
        token_hash=row["token_hash"],
        purpose=row["purpose"],
        user_id=row["user_id"],
        created_at=from_iso(row["created_at"]),
        expires_at=from_iso(row["expires_at"]),
        used_at=optional_from_iso(row["used_at"]),
    )


def event_from_row(row: sqlite3.Row) -> ActivityEvent:
    return ActivityEvent(
        user_id=row["user_id"],
        at=from_iso(row["at"]),
        kind=row["kind"],
        detail=json.loads(row["detail"]),
        id=row["id"],
    )


def lesson_from_row(row: sqlite3.Row) -> LessonCacheEntry:
    return LessonCacheEntry(
        key=row["key"],
        content=json.loads(row["content"]),
        source=row["source"],
        created_at=from_iso(row["created_at"]),
        expires_at=from_iso(row["expires_at"]),
        model=row["model"],
        input_tokens=int(row["input_tokens"]),
        output_tokens=int(row["output_tokens"]),
        cost_usd=float(row["cost_usd"]),
        hit_count=int(row["hit_count"]),
    )


def progress_from_row(row: sqlite3.Row) -> Progress:
    return Progress(
        user_id=row["user_id"],
        lesson_id=row["lesson_id"],
        attempts=int(row["attempts"]),
        hints_used=int(row["hints_used"]),
        ai_hints_used=int(row["ai_hints_used"]),
        first_attempt_at=optional_from_iso(row["first_attempt_at"]),
        last_attempt_at=optional_from_iso(row["last_attempt_at"]),
        completed_at=optional_from_iso(row["completed_at"]),
        assisted=bool(row["assisted"]),
    )


def draft_from_row(row: RowLike) -> Draft:
    return Draft(
        user_id=row["user_id"],
        lesson_id=row["lesson_id"],
        code=row["code"],
        updated_at=from_iso(row["updated_at"]),
    )


def report_from_row(row: RowLike) -> LessonReport:
    return LessonReport(
        user_id=row["user_id"],
        lesson_id=row["lesson_id"],
        report=json.loads(row["report"]),
        submitted_at=from_iso(row["submitted_at"]),
        code_digest=row["code_digest"],
    )


def usage_from_row(row: sqlite3.Row) -> UsageRecord:
    return UsageRecord(
        day=date.fromisoformat(row["day"]),
        feature=row["feature"],
        model=row["model"],
        calls=int(row["calls"]),
        input_tokens=int(row["input_tokens"]),
        output_tokens=int(row["output_tokens"]),
        cost_usd=float(row["cost_usd"]),
    )

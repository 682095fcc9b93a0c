"""Conversions between DynamoDB items (attribute dicts) and the dataclasses of dal.base.

Numbers come back from DynamoDB as Decimal: every reader here turns them into int or float.
JSON-shaped fields (preferences, event detail, lesson content, setting values, reports) are stored as JSON
text, so floats never meet boto3's Decimal-only number serialiser.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
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
from dal.dynamodb.schema import TTL_ATTRIBUTE
from dal.encoding import from_iso, optional_from_iso, to_epoch_seconds, to_iso

Item = dict[str, Any]


def money(amount: float) -> Decimal:
    """A float as the Decimal DynamoDB stores, through its shortest text (0.1 stays 0.1)."""
    return Decimal(repr(float(amount)))


def expiry_attributes(expires_at: datetime) -> dict[str, Any]:
    """An expiring item's exact expiry (what reads and conditions compare) and its TTL attribute
    (whole seconds, for DynamoDB's lazy background deletion)."""
    return {"expires": to_iso(expires_at), TTL_ATTRIBUTE: to_epoch_seconds(expires_at)}


def is_live(item: Item | None, now: datetime) -> bool:
    """False for a missing or expired item; TTL deletion lags by up to days, so reads check."""
    return item is not None and item["expires"] > to_iso(now)


def _int(item: Item, name: str) -> int:
    return int(item.get(name, 0))


def _float(item: Item, name: str) -> float:
    return float(item.get(name, 0))


def user_from_item(item: Item) -> User:
    return User(
        id=item["id"],
        email=item["email"],
        password_hash=item["passwordHash"],
        role=item["role"],
        verified=bool(item["verified"]),
        created_at=from_iso(item["createdAt"]),
        last_login_at=optional_from_iso(item.get("lastLoginAt")),
        display_name=item.get("displayName", ""),
        preferences=json.loads(item.get("preferences", "{}")),
    )


def session_from_item(item: Item) -> Session:
    return Session(
        id=item["id"],
        user_id=item["userId"],
        created_at=from_iso(item["createdAt"]),
        expires_at=from_iso(item["expires"]),
        last_seen_at=from_iso(item["lastSeenAt"]),
        user_agent=item.get("userAgent", ""),
        ip=item.get("ip", ""),
        remember=bool(item.get("remember", False)),
    )


def token_from_item(item: Item) -> OneTimeToken:
    return OneTimeToken(
        token_hash=item["tokenHash"],
        purpose=item["purpose"],
        user_id=item["userId"],
        created_at=from_iso(item["createdAt"]),
        expires_at=from_iso(item["expires"]),
        used_at=optional_from_iso(item.get("usedAt")),
    )


def event_from_item(item: Item) -> ActivityEvent:
    return ActivityEvent(
        user_id=item["userId"],
        at=from_iso(item["at"]),
        kind=item["kind"],
        detail=json.loads(item.get("detail", "{}")),
        id=item["id"],
    )


def lesson_from_item(item: Item) -> LessonCacheEntry:
    return LessonCacheEntry(
        key=item["key"],
        content=json.loads(item["content"]),
        source=item["source"],
        created_at=from_iso(item["createdAt"]),
        expires_at=from_iso(item["expires"]),
        model=item.get("model", ""),
        input_tokens=_int(item, "inputTokens"),
        output_tokens=_int(item, "outputTokens"),
        cost_usd=_float(item, "costUsd"),
        hit_count=_int(item, "hitCount"),
    )


def progress_from_item(item: Item) -> Progress:
    return Progress(
        user_id=item["userId"],
        lesson_id=item["lessonId"],
        attempts=_int(item, "attempts"),
        hints_used=_int(item, "hintsUsed"),
        ai_hints_used=_int(item, "aiHintsUsed"),
        first_attempt_at=optional_from_iso(item.get("firstAttemptAt")),
        last_attempt_at=optional_from_iso(item.get("lastAttemptAt")),
        completed_at=optional_from_iso(item.get("completedAt")),
        assisted=bool(item.get("assisted", False)),
    )


def draft_from_item(item: Item) -> Draft:
    return Draft(
        user_id=item["userId"],
        lesson_id=item["lessonId"],
        code=item["code"],
        updated_at=from_iso(item["updatedAt"]),
    )


def report_from_item(item: Item) -> LessonReport:
    return LessonReport(
        user_id=item["userId"],
        lesson_id=item["lessonId"],
        report=json.loads(item["report"]),
        submitted_at=from_iso(item["submittedAt"]),
        code_digest=item.get("codeDigest", ""),
    )


def usage_from_item(item: Item) -> UsageRecord:
    return UsageRecord(
        day=date.fromisoformat(item["day"]),
        feature=item["feature"],
        model=item["model"],
        calls=_int(item, "calls"),
        input_tokens=_int(item, "inputTokens"),
        output_tokens=_int(item, "outputTokens"),
        cost_usd=_float(item, "costUsd"),
    )

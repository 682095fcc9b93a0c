"""Value encodings shared by the backends: times, event ids and page cursors.

Times are stored as fixed-width ISO-8601 UTC strings so that comparing the strings compares the
times (SQLite columns, DynamoDB sort keys and condition expressions all rely on that).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import secrets
from datetime import UTC, datetime
from typing import Any

_ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def as_utc(moment: datetime) -> datetime:
    """The same instant as an aware UTC datetime; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_iso(moment: datetime) -> str:
    """Fixed-width UTC text, e.g. 2026-11-22T02:35:00.000000Z (sorts like the time itself)."""
    return as_utc(moment).strftime(_ISO_FORMAT)


def from_iso(text: str) -> datetime:
    return as_utc(datetime.fromisoformat(text))


def optional_iso(moment: datetime | None) -> str | None:
    return None if moment is None else to_iso(moment)


def optional_from_iso(text: str | None) -> datetime | None:
    return None if text is None else from_iso(text)


def to_epoch_seconds(moment: datetime) -> int:
    """Whole epoch seconds, rounded up so a TTL sweep never removes an item before it expires."""
    return math.ceil(as_utc(moment).timestamp())


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_event_id(at: datetime) -> str:
    """Unique per user and sortable by time: the event's time, then a random suffix for ties."""
    return f"{to_iso(at)}#{secrets.token_hex(6)}"


def check_page_limit(limit: int) -> None:
    """Every paged listing asks for at least one item."""
    if limit < 1:
        raise ValueError("limit must be at least 1")


def encode_cursor(position: dict[str, Any]) -> str:
    """An opaque, URL-safe page cursor holding the position of the last item returned."""
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """The position stored in a cursor; ValueError when the cursor was not made by encode_cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("invalid page cursor") from error
    if not isinstance(position, dict):
        raise ValueError("invalid page cursor")
    return position


def history_to_json(history: list[tuple[datetime, float]]) -> list[list[float]]:
    """(when, value) points as [epoch seconds, value] pairs: a skill page decodes thousands of them, and
    reading epoch numbers is ten times cheaper than parsing ISO text."""
    return [[round(as_utc(at).timestamp(), 3), value] for at, value in history]


def history_from_json(points: list[list[float]]) -> list[tuple[datetime, float]]:
    return [(datetime.fromtimestamp(at, UTC), float(value)) for at, value in points]

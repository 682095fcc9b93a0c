"""Learner-local days from UTC activity hours: time zones, streaks and the 12-month calendar."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dal.progress import ActivityHour
from services.errors import InvalidInput

DEFAULT_TIME_ZONE = "UTC"
HEAT_MAP_DAYS = 371  # 53 weeks: a full year of columns, whatever weekday today is


def time_zone(name: str | None) -> ZoneInfo:
    """The learner's zone; an unknown or empty name is UTC (what a new account has)."""
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def check_time_zone(name: str) -> str:
    """An IANA zone name as typed ("Europe/Rome"); InvalidInput when there is no such zone."""
    cleaned = name.strip()
    if cleaned not in _zone_names():
        raise InvalidInput(f"\"{cleaned[:60]}\" is not a time zone we know. Use a name like Europe/Rome or "
                           "America/New_York.", {"time_zone": "unknown time zone"})
    return cleaned


def zone_names() -> list[str]:
    return sorted(_zone_names())


_ZONES: set[str] = set()


def _zone_names() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


@dataclass(frozen=True)
class DayActivity:
    day: date
    events: int
    seconds: int


def local_days(hours: Iterable[ActivityHour], zone: ZoneInfo) -> dict[date, DayActivity]:
    """Hours folded into the learner's days (an hour counts on the day its start falls on)."""
    events: dict[date, int] = {}
    seconds: dict[date, int] = {}
    for hour in hours:
        day = hour.hour.astimezone(zone).date()
        events[day] = events.get(day, 0) + hour.events
        seconds[day] = seconds.get(day, 0) + hour.seconds
    return {day: DayActivity(day, events[day], seconds[day]) for day in sorted(events)}


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int
    active_today: bool


def streaks(days: Iterable[date], today: date) -> Streaks:
    """Consecutive active days. The current streak is still alive on a day not yet active (it ends
    when a whole day passes without activity)."""
    active = sorted(set(days))
    longest = run = 0
    previous: date | None = None
    for day in active:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    present = set(active)
    start = today if today in present else today - timedelta(days=1)
    current = 0
    while start in present:
        current += 1
        start -= timedelta(days=1)
    return Streaks(current, longest, today in present)


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()

"""Activity as it is written: the event, then the learner's aggregates (summary counters, the UTC
hour's events and learning time), then the achievements the event may have earned.

The learning loop calls `recorded(event)` after storing each event. Learning time credits the gap
since the learner's previous event when it is within the idle cut-off: a longer gap was a break.
The aggregates are two writes after the event's own; if one is lost (the store failed between them),
`flask progress backfill` rebuilds them from the history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from dal.base import ActivityEvent, Store, StoreError
from services.progress import achievements
from services.progress.calendar import local_days, local_today, streaks, time_zone

log = logging.getLogger(__name__)


def counters(event: ActivityEvent) -> dict[str, int]:
    """The summary counters one event adds to."""
    counts = {event.kind: 1}
    detail = event.detail or {}
    if event.kind == "attempt" and detail.get("status") == "pass":
        counts["pass"] = 1
    if event.kind == "quiz" and detail.get("total") and detail.get("score") == detail.get("total"):
        counts["perfect_quiz"] = 1
    if event.kind == "completion":
        if not detail.get("assisted"):
            counts["independent"] = 1
        if detail.get("attempts") == 1:
            counts["first_try"] = 1
    return counts


PACK_SETTLE = timedelta(hours=1)  # a month is packed an hour after it ends: its last events are in by then


def settled_before(now: datetime) -> datetime:
    """The end of the last UTC month whose hours may be packed (Store.pack_activity_months)."""
    return (now.astimezone(UTC) - PACK_SETTLE).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class RecorderSettings:
    idle_cutoff: timedelta = timedelta(minutes=10)


class ActivityRecorder:
    def __init__(self, store: Store, level_of: Callable[[], dict[str, str]],
                 settings: RecorderSettings | None = None) -> None:
        self._store = store
        self._level_of = level_of  # the track's lesson id -> level
        self.settings = settings or RecorderSettings()

    def quiz_submitted(self, user_id: str, quiz_key: str, score: int, total: int, at: datetime) -> None:
        """The tutor's hook: a marked quiz is learning activity (streaks, heat map, the quiz achievement)."""
        self.record(ActivityEvent(user_id, at, "quiz", {"quiz_key": quiz_key, "score": score, "total": total}))

    def record(self, event: ActivityEvent) -> ActivityEvent:
        """Store the event and keep its aggregates."""
        stored = self._store.add_event(event)
        self.recorded(stored)
        return stored

    def recorded(self, event: ActivityEvent, *, award: bool = True) -> None:
        """Keep the aggregates of an event already stored. A failure here is logged, never raised:
        the learner's action happened; the back-fill repairs the aggregates."""
        try:
            self._aggregate(event, award)
        except StoreError:
            log.warning("progress aggregates of an event of %s not kept; `flask progress backfill` repairs them",
                        _pseudonym(event.user_id))

    def _aggregate(self, event: ActivityEvent, award: bool) -> None:
        counts = counters(event)
        summary, previous = self._store.note_activity(event.user_id, event.at, counts)
        gap = event.at - previous if previous is not None else None
        # A gap past the cut-off was a break: the learner was away, and nothing of it counts.
        seconds = int(gap.total_seconds()) if gap is not None and timedelta(0) < gap <= self.settings.idle_cutoff else 0
        hour = event.at.replace(minute=0, second=0, microsecond=0)
        self._store.add_activity_hour(event.user_id, hour, 1, seconds)
        comeback = gap is not None and gap >= timedelta(days=achievements.COMEBACK_DAYS)
        if comeback:
            summary, _ = self._store.note_activity(event.user_id, event.at, {"comeback": 1})
        if not award:
            return
        # Achievements can change on a completion, on a new day (streaks) or on a comeback.
        new_hour = previous is None or previous.replace(minute=0, second=0, microsecond=0) != hour
        if event.kind in ("completion", "quiz") or comeback or new_hour:
            self.award(event.user_id, summary.counts, event.at)

    def award(self, user_id: str, counts: dict[str, int], at: datetime, quiz_records: Any = None) -> list[str]:
        """Store every achievement the learner now meets and has not got; returns their ids."""
        earned = self._store.list_achievements(user_id)
        if len(earned) == len(achievements.RULES):
            return []
        user = self._store.get_user(user_id)
        zone = time_zone((user.preferences if user else {}).get("time_zone"))
        days = local_days(self._store.list_activity_hours(user_id), zone)
        streak = streaks(days, local_today(at, zone))
        f = achievements.facts(counts, streak.current, streak.longest, self._store.list_progress(user_id),
                               self._level_of(), quiz_records)
        return [rule.id for rule in achievements.newly_met(f, earned)
                if self._store.award_achievement(user_id, rule.id, at)]


def _pseudonym(user_id: str) -> str:
    import hashlib

    return "learner-" + hashlib.sha256(user_id.encode()).hexdigest()[:10]

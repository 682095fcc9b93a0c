"""The progress storage area: per-hour activity aggregates, a per-learner summary and achievements.

Pages read these, never the event history (DESIGN.md section 11). Activity is kept by UTC hour, so a
learner's time zone can change without touching what is stored: a page folds the hours into the
learner's local days when it reads them (a zone off by half an hour puts an hour's activity on the day
its start falls on). Achievements are written once: of two concurrent awards exactly one is stored,
with its date. `user_items` is everything the store holds about a learner, for the data export.

A backend whose hours are costly to read one by one packs a settled month's hours into one item
(`pack_activity_months`, a cache of the same UTC hours, so still right after a zone change); an hour
written to a packed month afterwards is kept beside the pack and read as their sum, until the next
packing folds it in.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ActivityHour:
    hour: datetime  # UTC, on the hour
    events: int
    seconds: int = 0  # learning time credited to this hour (gaps under the idle cut-off)


@dataclass
class ProgressSummary:
    user_id: str
    counts: dict[str, int] = field(default_factory=dict)  # by counter name (attempt, pass, completion, ...)
    first_event_at: datetime | None = None
    last_event_at: datetime | None = None


@dataclass(frozen=True)
class ProgressView:
    """What the dashboard reads of this area, in one read where the backend can."""

    summary: ProgressSummary | None
    hours: list[ActivityHour]  # oldest first
    achievements: dict[str, datetime]
    unpacked: list[date] = field(default_factory=list)  # first days of the UTC months still hour by hour


@dataclass(frozen=True)
class LearnerRecords:
    """What the dashboard page reads: the tutor's masteries and the lesson records (for skills, next
    steps and the track) with the progress area, in one read where the backend can."""

    masteries: list[Any]  # dal.tutor.Mastery
    progress: list[Any]  # dal.base.Progress
    view: ProgressView


class ProgressRecords(abc.ABC):
    @abc.abstractmethod
    def note_activity(self, user_id: str, at: datetime,
                      counts: dict[str, int]) -> tuple[ProgressSummary, datetime | None]:
        """Add `counts` to the learner's summary and make `at` its last event time, atomically.
        Returns the summary as it is now and the last event time before this call (None: first)."""

    @abc.abstractmethod
    def add_activity_hour(self, user_id: str, hour: datetime, events: int, seconds: int) -> None:
        """Atomically add events and seconds to the learner's UTC hour starting at `hour`."""

    @abc.abstractmethod
    def list_activity_hours(self, user_id: str, since: datetime | None = None) -> list[ActivityHour]:
        """The learner's hours with activity (at or after `since`), oldest first."""

    @abc.abstractmethod
    def get_progress_summary(self, user_id: str) -> ProgressSummary | None: ...

    def pack_activity_months(self, user_id: str, before: datetime) -> int:
        """Pack the hours of every UTC month that ended at or before `before` into one item a month,
        changing no hour's counts (hours added meanwhile are kept, not lost); returns how many months
        were packed. A backend that reads hours cheaply keeps them as they are (SQLite: an index range
        of rows, ~1 µs each) and packs nothing."""
        return 0

    def get_progress_view(self, user_id: str) -> ProgressView:
        """The summary, every activity hour and the achievements; a backend that can read them at
        once overrides it (the dashboard asks on every view)."""
        return ProgressView(self.get_progress_summary(user_id), self.list_activity_hours(user_id),
                            self.list_achievements(user_id))

    def get_learner_records(self, user_id: str) -> LearnerRecords:
        """get_skill_records and get_progress_view together; a backend that can read them at once
        overrides it (DynamoDB: one key range of the learner's partition)."""
        masteries, progress = self.get_skill_records(user_id)  # type: ignore[attr-defined]
        return LearnerRecords(masteries, progress, self.get_progress_view(user_id))

    @abc.abstractmethod
    def reset_progress_aggregates(self, user_id: str) -> None:
        """Remove the summary and the hours (not the achievements): a rebuild starts from here."""

    @abc.abstractmethod
    def award_achievement(self, user_id: str, achievement_id: str, at: datetime) -> bool:
        """Store the achievement earned at `at`, once: True when this call stored it."""

    @abc.abstractmethod
    def list_achievements(self, user_id: str) -> dict[str, datetime]:
        """When the learner earned each achievement they have, by id."""

    def erase_user(self, user_id: str) -> None:
        """delete_user, leaving nothing of the learner readable in the backend's files (a backend
        whose freed space can still hold the data overrides it)."""
        self.delete_user(user_id)  # type: ignore[attr-defined]

    @abc.abstractmethod
    def change_email(self, user_id: str, old_email: str, new_email: str) -> bool:
        """Move the account from `old_email` (still its address) to `new_email` (normalised), atomically.
        EmailTaken when another account has it; False when the account's address is no longer
        `old_email` (changed meanwhile) or the account is gone."""

    @abc.abstractmethod
    def user_items(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        """Every item stored about the learner, as stored (JSON-shaped), by kind of item."""

"""The dashboard as data: completion by level, streaks and the heat map in the learner's time zone,
learning time, achievements, recent activity. Reads aggregates only (summary, activity hours with
each finished month packed into one item, achievements, lesson records) and the newest few events:
the same handful of store reads for a learner of a day and of five years."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dal.base import ActivityEvent, Progress, Store, StoreError, User
from dal.progress import LearnerRecords, ProgressView
from services.clock import Clock, utcnow
from services.lessons.catalogue import TrackView, build_track
from services.lessons.model import Lesson
from services.progress import achievements
from services.progress.calendar import DayActivity, Streaks, local_days, local_today, streaks, time_zone
from services.progress.heatmap import HeatMap, heat_map
from services.progress.recorder import ActivityRecorder, settled_before

log = logging.getLogger(__name__)

RECENT_EVENTS = 8
LEVELS = ("beginner", "intermediate", "advanced")


@dataclass(frozen=True)
class LevelCompletion:
    level: str
    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


@dataclass(frozen=True)
class RecentItem:
    at: datetime  # in the learner's zone
    text: str
    lesson_id: str = ""


@dataclass(frozen=True)
class Dashboard:
    time_zone: str
    levels: list[LevelCompletion]
    streak: Streaks
    heat: HeatMap
    minutes_total: int
    minutes_week: int
    achievements: list[achievements.AchievementState]
    recent: list[RecentItem]
    completed: int
    total: int
    days: dict[Any, DayActivity]

    @property
    def earned(self) -> int:
        return sum(1 for a in self.achievements if a.earned)


class DashboardService:
    def __init__(self, store: Store, track: list[Lesson], recorder: ActivityRecorder, clock: Clock = utcnow) -> None:
        self._store = store
        self._track = track
        self._titles = {lesson.id: lesson.title for lesson in track}
        self._recorder = recorder
        self._clock = clock

    def level_of(self) -> dict[str, str]:
        return {lesson.id: lesson.level for lesson in self._track}

    def records(self, user_id: str) -> LearnerRecords:
        """Everything the page reads of the learner but the newest events: one query on DynamoDB."""
        return self._store.get_learner_records(user_id)

    def track(self, progress: list[Progress], tested_out: set[str]) -> TrackView:
        """The learner's place on the track, from records already read."""
        return build_track("python", self._track, progress, tested_out)

    def build(self, user: User, progress: list[Progress] | None = None, completed: set[str] | None = None,
              view: ProgressView | None = None) -> Dashboard:
        """`completed`: the completed lesson ids when the caller has them (the tutor's profile of the
        same page), instead of reading the lesson records again; `view`: the progress area, likewise."""
        now = self._clock()
        zone_name = str(user.preferences.get("time_zone") or "UTC")
        zone = time_zone(zone_name)
        today = local_today(now, zone)
        view = view if view is not None else self._store.get_progress_view(user.id)
        self._pack_settled(user.id, view.unpacked, now)
        counts = view.summary.counts if view.summary else {}
        days = local_days(view.hours, zone)
        streak = streaks(days, today)
        if progress is None and completed is None:
            progress = self._store.list_progress(user.id)
        done = completed if completed is not None else {p.lesson_id for p in progress or [] if p.completed}
        earned = dict(view.achievements)
        quiz_records = None  # marked quizzes are events (the tutor's hook); back-fill reads the records
        facts = achievements.facts(counts, streak.current, streak.longest, progress or [], self.level_of(),
                                   quiz_records, completed=done if progress is None else None)
        for rule in achievements.newly_met(facts, earned):  # catch-up: rules added since, lost writes
            if self._store.award_achievement(user.id, rule.id, now):
                earned[rule.id] = now
        earned = {rule_id: at.astimezone(zone) for rule_id, at in earned.items()}
        week_start = today - timedelta(days=6)
        return Dashboard(
            time_zone=zone.key, levels=self._levels(done), streak=streak, heat=heat_map(days, today),
            minutes_total=sum(d.seconds for d in days.values()) // 60,
            minutes_week=sum(d.seconds for day, d in days.items() if day >= week_start) // 60,
            achievements=achievements.states(facts, earned),
            recent=[self._recent(e, zone) for e in self._store.list_events(user.id, limit=RECENT_EVENTS).items],
            completed=sum(1 for lesson in self._track if lesson.id in done), total=len(self._track), days=days,
        )

    def _pack_settled(self, user_id: str, unpacked: list[Any], now: datetime) -> None:
        """Once a month per learner: the months that ended are packed, so later views read one item
        for each (the hours read now are the same either way)."""
        settled = settled_before(now)
        if any(month < settled.date() for month in unpacked):
            try:
                self._store.pack_activity_months(user_id, settled)
            except StoreError:  # a cache left for the next view: the page has its hours already
                log.warning("settled months not packed; the next view tries again")

    def _levels(self, done: set[str]) -> list[LevelCompletion]:
        out = []
        for level in LEVELS:
            ids = [lesson.id for lesson in self._track if lesson.level == level]
            if ids:
                out.append(LevelCompletion(level, sum(1 for i in ids if i in done), len(ids)))
        return out

    def _recent(self, event: ActivityEvent, zone: Any) -> RecentItem:
        detail = event.detail or {}
        lesson_id = str(detail.get("lesson_id", ""))
        title = self._titles.get(lesson_id, lesson_id or "a lesson")
        if event.kind == "attempt":
            passed, total = detail.get("passed", 0), detail.get("total", 0)
            text = f"Submitted {title}: {passed} of {total} tests passed"
        elif event.kind == "completion":
            text = f"Completed {title}" + (" with AI hints" if detail.get("assisted") else "")
        elif event.kind == "hint":
            text = f"{'AI hint' if detail.get('ai') else 'Hint'} on {title}"
        elif event.kind == "run":
            text = f"Ran code in {title}"
        elif event.kind == "quiz":
            text = f"Quiz: {detail.get('score', 0)} of {detail.get('total', 0)} right"
        else:
            text = event.kind.replace("_", " ").capitalize()
        return RecentItem(event.at.astimezone(zone), text, lesson_id if lesson_id in self._titles else "")

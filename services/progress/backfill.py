"""Back-fill: rebuild every learner's aggregates from their event history, then award what it earns.

Idempotent: a learner's summary and hours are removed and rebuilt from the events (settled months
packed again), so running it twice leaves the same aggregates; achievements are write-once, so one
already held keeps its date. Newly awarded achievements carry the date of the learner's latest event
(the history is not replayed rule by rule)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from dal.base import ActivityEvent, Store
from services.clock import utcnow
from services.progress.recorder import ActivityRecorder, settled_before

PAGE = 500


@dataclass(frozen=True)
class BackfillResult:
    learners: int
    events: int
    awarded: int


def _events_oldest_first(store: Store, user_id: str) -> list[ActivityEvent]:
    events: list[ActivityEvent] = []
    cursor = None
    while True:
        page = store.list_events(user_id, limit=PAGE, cursor=cursor)
        events.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return list(reversed(events))


def _user_ids(store: Store) -> Iterator[str]:
    cursor = None
    while True:
        page = store.list_users(limit=100, cursor=cursor)
        yield from (user.id for user in page.items)
        cursor = page.next_cursor
        if cursor is None:
            return


def backfill_user(store: Store, recorder: ActivityRecorder, user_id: str,
                  now: datetime | None = None) -> tuple[int, int]:
    store.reset_progress_aggregates(user_id)
    events = _events_oldest_first(store, user_id)
    for event in events:
        recorder.recorded(event, award=False)
    store.pack_activity_months(user_id, settled_before(now or utcnow()))  # pages then read a pack a month
    summary = store.get_progress_summary(user_id)
    if summary is None:
        return len(events), 0
    awarded = recorder.award(user_id, summary.counts, events[-1].at, store.list_quiz_records(user_id))
    return len(events), len(awarded)


def backfill(store: Store, recorder: ActivityRecorder) -> BackfillResult:
    learners = events = awarded = 0
    for user_id in _user_ids(store):
        n, a = backfill_user(store, recorder, user_id)
        learners, events, awarded = learners + 1, events + n, awarded + a
    return BackfillResult(learners, events, awarded)

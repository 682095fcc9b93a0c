"""The dashboard and the back-fill pack settled months (DynamoDB, moto): a page after them reads one
item per finished month, and what it shows is the same as from the hours (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from moto import mock_aws

from dal.base import ActivityEvent
from dal.dynamodb import DynamoStore
from services.progress.backfill import backfill_user
from services.progress.dashboard import DashboardService
from services.progress.recorder import ActivityRecorder, settled_before
from tests.dal.helpers import dynamodb_client, new_user

NOW = datetime(2026, 4, 1, 0, 30, tzinfo=UTC)  # half an hour into April: March is not settled yet


@pytest.fixture
def store():
    with mock_aws():
        backend = DynamoStore(dynamodb_client(), "packing")
        backend.init_schema()
        yield backend


def _learner_with_history(store) -> tuple[object, ActivityRecorder]:
    user = new_user(store, preferences={"time_zone": "Pacific/Chatham"})  # +13:45: hours split across days
    recorder = ActivityRecorder(store, lambda: {})
    for day in range(0, 90, 3):
        recorder.record(ActivityEvent(user.id, datetime(2026, 1, 1, 22, tzinfo=UTC) + timedelta(days=day), "run"))
    recorder.record(ActivityEvent(user.id, NOW - timedelta(minutes=5), "run"))
    return user, recorder


def test_settled_months_end_an_hour_into_the_next_month():
    assert settled_before(NOW) == datetime(2026, 3, 1, tzinfo=UTC)
    assert settled_before(NOW + timedelta(hours=1)) == datetime(2026, 4, 1, tzinfo=UTC)


def test_the_dashboard_packs_settled_months_and_shows_the_same(store):
    user, recorder = _learner_with_history(store)
    assert len(store.get_progress_view(user.id).unpacked) == 4  # January to April, hour by hour
    dashboards = DashboardService(store, [], recorder, clock=lambda: NOW)
    first = dashboards.build(store.get_user(user.id), progress=[])
    assert [m.month for m in store.get_progress_view(user.id).unpacked] == [3, 4]  # March settles at 01:00
    again = dashboards.build(store.get_user(user.id), progress=[])
    assert (again.days, again.streak, again.minutes_total) == (first.days, first.streak, first.minutes_total)


def test_the_backfill_packs_settled_months_and_stays_idempotent(store):
    user, recorder = _learner_with_history(store)
    hours = store.list_activity_hours(user.id)
    for _ in range(2):
        backfill_user(store, recorder, user.id, now=NOW + timedelta(hours=1))
        assert store.list_activity_hours(user.id) == hours
        assert [m.month for m in store.get_progress_view(user.id).unpacked] == [4]

"""Streaks, local days, heat-map shades and achievement rules as plain functions (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from dal.base import ActivityEvent, Progress
from dal.progress import ActivityHour
from services.errors import InvalidInput
from services.progress import achievements
from services.progress.calendar import check_time_zone, local_days, streaks, time_zone
from services.progress.heatmap import heat_map, level
from services.progress.recorder import counters

TODAY = date(2026, 12, 1)


def days(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=n) for n in offsets]


def test_a_streak_stays_alive_until_a_whole_day_passes():
    assert streaks(days(0, 1, 2), TODAY).current == 3
    assert streaks(days(1, 2), TODAY).current == 2  # today not yet active: still alive
    assert streaks(days(2, 3), TODAY).current == 0  # yesterday missed: broken
    assert streaks(days(0, 1, 5, 6, 7, 8), TODAY).longest == 4
    assert streaks([], TODAY) == streaks([], TODAY) and streaks([], TODAY).longest == 0


def test_hours_fold_into_the_learners_days():
    late = datetime(2026, 11, 30, 23, tzinfo=UTC)
    hours = [ActivityHour(late, 2, 60), ActivityHour(late + timedelta(hours=1), 1, 30)]
    assert list(local_days(hours, time_zone("UTC"))) == [date(2026, 11, 30), date(2026, 12, 1)]
    folded = local_days(hours, time_zone("America/New_York"))
    assert list(folded) == [date(2026, 11, 30)] and folded[date(2026, 11, 30)].events == 3
    assert list(local_days(hours, time_zone("Asia/Tokyo"))) == [date(2026, 12, 1)]


def test_time_zone_names_are_checked_and_unknown_stored_ones_fall_back_to_utc():
    assert check_time_zone(" Europe/Rome ") == "Europe/Rome"
    with pytest.raises(InvalidInput):
        check_time_zone("Mars/Olympus")
    with pytest.raises(InvalidInput):
        check_time_zone("../../etc/passwd")
    assert time_zone("Not/AZone").key == "UTC"


def test_shades_run_from_one_action_to_the_busiest_day():
    assert level(0, 10) == 0 and level(1, 10) == 1 and level(10, 10) == 4 and level(1, 1) == 4
    assert [level(n, 7) for n in range(1, 8)] == sorted(level(n, 7) for n in range(1, 8))


def test_the_heat_map_covers_a_year_with_one_cell_a_day_and_a_title_each():
    hm = heat_map({}, TODAY)
    assert hm.svg.count("<rect") == (hm.last_day - hm.first_day).days + 1 >= 365
    assert hm.first_day.weekday() == 0 and hm.last_day == TODAY and len(hm.months) == 12
    assert "<title" in hm.svg and "aria-labelledby" in hm.svg


def test_counters_of_events():
    assert counters(ActivityEvent("u", datetime.now(UTC), "attempt", {"status": "pass"})) == {"attempt": 1, "pass": 1}
    assert counters(ActivityEvent("u", datetime.now(UTC), "completion", {"attempts": 1, "assisted": False})) == {
        "completion": 1, "independent": 1, "first_try": 1}
    assert counters(ActivityEvent("u", datetime.now(UTC), "completion", {"attempts": 3, "assisted": True})) == {
        "completion": 1}


def test_there_are_at_least_twelve_rules_with_unique_ids_and_each_can_be_met():
    assert len(achievements.RULES) >= 12 and len(achievements.RULES_BY_ID) == len(achievements.RULES)
    level_of = {"a": "beginner", "b": "intermediate", "c": "advanced"}
    now = datetime.now(UTC)
    progress = [Progress("u", lesson, attempts=1, completed_at=now) for lesson in level_of]
    everything = {"completion": 25, "independent": 10, "first_try": 5, "comeback": 1, "attempt": 100}

    class Perfect:
        total, best_score = 3, 3

    f = achievements.facts(everything, 30, 30, progress, level_of, {"q": Perfect()})
    assert achievements.newly_met(f, {}) == list(achievements.RULES)
    assert achievements.newly_met(achievements.facts({}, 0, 0, [], level_of), {}) == []
    states = achievements.states(achievements.facts({"completion": 2}, 0, 0, [], level_of), {"first-lesson": now})
    assert states[0].rule.id == "first-lesson" and states[0].earned
    five = next(s for s in states if s.rule.id == "five-lessons")
    assert (five.have, five.need, five.earned) == (2, 5, False)

"""Contract: the last graded report of a learner on a lesson, kept as it was and read with the
lesson's other records in one round trip."""

from __future__ import annotations

from datetime import timedelta

from dal.base import ActivityEvent, Draft, LessonRecord, LessonReport
from tests.dal.helpers import assert_plain_values, new_user

# A report as the grader gives it, hidden checks included: stored and returned as it is.
REPORT = {
    "status": "fail",
    "tests": [
        {"name": "test_city_exists", "status": "pass", "message": "", "output": "Lisbon\n", "hidden": False},
        {"name": "hidden_negative_numbers", "status": "fail",
         "message": "A hidden test with negative numbers failed.", "output": "", "hidden": True},
    ],
    "duration_ms": 18.25,
    "message": "",
    "output": "café ☕ \u00e9\n",
    "busy": False,
}


def test_no_report_until_one_is_saved(store):
    user = new_user(store)
    assert store.get_lesson_record(user.id, "py-01").last_report is None


def test_the_last_report_is_kept_as_it_was(store, now):
    user = new_user(store)
    saved = LessonReport(user.id, "py-01", REPORT, now, code_digest="ab" * 32)
    store.save_last_report(saved)

    found = store.get_lesson_record(user.id, "py-01").last_report
    assert found == saved
    assert found.report["tests"][1]["hidden"] is True and isinstance(found.report["duration_ms"], float)
    assert_plain_values(found)


def test_a_new_report_replaces_the_last_one(store, now):
    user = new_user(store)
    store.save_last_report(LessonReport(user.id, "py-01", REPORT, now))
    newer = LessonReport(user.id, "py-01", {"status": "pass", "tests": []}, now + timedelta(minutes=2), "cd" * 32)
    store.save_last_report(newer)
    assert store.get_lesson_record(user.id, "py-01").last_report == newer


def test_reports_belong_to_one_learner_and_one_lesson(store, now):
    user, other = new_user(store), new_user(store)
    mine = LessonReport(user.id, "py-01", REPORT, now)
    store.save_last_report(mine)
    store.save_last_report(LessonReport(user.id, "py-02", {"status": "pass", "tests": []}, now))

    assert store.get_lesson_record(user.id, "py-01").last_report == mine
    assert store.get_lesson_record(user.id, "py-02").last_report.report["status"] == "pass"
    assert store.get_lesson_record(user.id, "py-03").last_report is None
    assert store.get_lesson_record(other.id, "py-01") == LessonRecord()


def test_the_lesson_record_reads_progress_draft_and_report_together(store, now):
    user = new_user(store)
    progress = store.record_attempt(user.id, "py-01", now)
    draft = Draft(user.id, "py-01", "x = 1\n", now)
    store.save_draft(draft)
    report = LessonReport(user.id, "py-01", REPORT, now)
    store.save_last_report(report)
    assert store.get_lesson_record(user.id, "py-01") == LessonRecord(progress, draft, report)


def test_a_large_report_is_kept_whole(store, now):
    """Up to the size the learning service stores (it shortens anything larger)."""
    user = new_user(store)
    big = {**REPORT, "output": "x" * 90_000}
    store.save_last_report(LessonReport(user.id, "py-01", big, now))
    assert store.get_lesson_record(user.id, "py-01").last_report.report == big


def test_a_report_and_its_attempt_event_are_saved_together(store, now):
    user = new_user(store)
    event = store.save_report_and_event(
        LessonReport(user.id, "py-01", REPORT, now, "digest-1"),
        ActivityEvent(user_id=user.id, at=now, kind="attempt", detail={"lesson_id": "py-01", "passed": 1}),
    )
    assert event.id and event.kind == "attempt"
    assert store.get_lesson_record(user.id, "py-01").last_report.report == REPORT
    (listed,) = store.list_events(user.id).items
    assert (listed.id, listed.detail) == (event.id, {"lesson_id": "py-01", "passed": 1})

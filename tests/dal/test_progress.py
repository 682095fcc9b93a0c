"""Contract: the progress area of the store (dal/progress.py) — activity by UTC hour, the summary's
counters, write-once achievements, the learner's items for the export — and account deletion that
leaves nothing of the learner's id on either backend, on every backend."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

from dal.api_tokens import RefreshToken
from dal.assistant import AssistantRequest
from dal.base import ActivityEvent, Draft, LessonReport, OneTimeToken, Session
from dal.chat import ChatMessage, Conversation
from dal.identities import IdentityLink
from dal.reviews import ReviewCard, ReviewLog
from dal.tutor import Mastery, QuizAttempt
from tests.dal.helpers import new_user, run_together

HOUR = datetime(2026, 3, 14, 9, tzinfo=UTC)


def test_a_new_learner_has_no_aggregates(store):
    user = new_user(store)
    assert store.get_progress_summary(user.id) is None
    assert store.list_activity_hours(user.id) == []
    assert store.list_achievements(user.id) == {}


def test_noting_activity_adds_counters_and_gives_the_previous_event_time(store):
    user = new_user(store)
    summary, previous = store.note_activity(user.id, HOUR, {"attempt": 1})
    assert previous is None and summary.counts == {"attempt": 1}
    later = HOUR + timedelta(minutes=7)
    summary, previous = store.note_activity(user.id, later, {"attempt": 1, "pass": 1})
    assert previous == HOUR
    assert summary.counts == {"attempt": 2, "pass": 1}
    stored = store.get_progress_summary(user.id)
    assert stored.counts == {"attempt": 2, "pass": 1}
    assert stored.first_event_at == HOUR and stored.last_event_at == later


def test_hours_add_up_and_come_back_oldest_first_across_months(store):
    user = new_user(store)
    march_end = datetime(2026, 3, 31, 23, tzinfo=UTC)
    for hour, seconds in ((march_end, 60), (HOUR, 30), (HOUR, 90), (datetime(2026, 4, 1, 0, tzinfo=UTC), 5)):
        store.add_activity_hour(user.id, hour, 1, seconds)
    found = store.list_activity_hours(user.id)
    assert [(h.hour, h.events, h.seconds) for h in found] == [
        (HOUR, 2, 120), (march_end, 1, 60), (datetime(2026, 4, 1, 0, tzinfo=UTC), 1, 5)]
    assert [h.hour for h in store.list_activity_hours(user.id, since=march_end)] == [
        march_end, datetime(2026, 4, 1, 0, tzinfo=UTC)]


def test_concurrent_activity_loses_no_count(store):
    user = new_user(store)
    run_together(lambda i: store.note_activity(user.id, HOUR + timedelta(seconds=i), {"attempt": 1}), threads=4)
    run_together(lambda i: store.add_activity_hour(user.id, HOUR, 1, 10), threads=4)
    assert store.get_progress_summary(user.id).counts["attempt"] == 4
    assert [(h.events, h.seconds) for h in store.list_activity_hours(user.id)] == [(4, 40)]


def test_an_achievement_is_stored_once_even_when_awarded_at_the_same_time(store):
    user = new_user(store)
    outcomes = run_together(lambda i: store.award_achievement(user.id, "first-lesson", HOUR + timedelta(seconds=i)),
                            threads=4)
    assert sorted(outcomes) == [False, False, False, True]
    earned = store.list_achievements(user.id)
    assert list(earned) == ["first-lesson"]
    assert earned["first-lesson"] == HOUR + timedelta(seconds=outcomes.index(True))
    assert store.award_achievement(user.id, "first-lesson", HOUR + timedelta(days=1)) is False


def test_reset_removes_summary_and_hours_but_keeps_achievements(store):
    user = new_user(store)
    store.note_activity(user.id, HOUR, {"attempt": 1})
    store.add_activity_hour(user.id, HOUR, 1, 0)
    store.award_achievement(user.id, "first-lesson", HOUR)
    store.reset_progress_aggregates(user.id)
    assert store.get_progress_summary(user.id) is None and store.list_activity_hours(user.id) == []
    assert list(store.list_achievements(user.id)) == ["first-lesson"]


def _one_of_everything(store, user_id: str, now: datetime) -> None:
    """One item of every kind each area stores about a learner."""
    store.create_session(Session(f"s-{user_id}", user_id, now, now + timedelta(hours=1), now, "agent", "127.0.0.1"))
    store.create_token(OneTimeToken(f"t-{user_id}", "verify_email", user_id, now, now + timedelta(hours=1)))
    store.add_event(ActivityEvent(user_id, now, "attempt", {"lesson_id": "python-variables"}))
    store.record_attempt(user_id, "python-variables", now)
    store.save_draft(Draft(user_id, "python-variables", "x = 1", now))
    store.save_last_report(LessonReport(user_id, "python-variables", {"status": "fail"}, now))
    store.save_masteries([Mastery(user_id, "variables", 0.4, 1, "P", [(now, 0.4)], now, "submission")])
    store.create_quiz_attempt(QuizAttempt(user_id, "q1", "lesson:python-variables", [{"ref": "x#0"}], now))
    store.record_quiz_result(user_id, "lesson:python-variables", "q1", 1, 2, now)
    store.note_activity(user_id, now, {"attempt": 1})
    store.add_activity_hour(user_id, now.replace(minute=0, second=0, microsecond=0), 1, 0)
    store.add_activity_hour(user_id, now.replace(minute=0, second=0, microsecond=0) - timedelta(days=40), 1, 0)
    store.pack_activity_months(user_id, before=now)  # the month 40 days back is packed
    store.award_achievement(user_id, "first-lesson", now)
    store.add_review_cards([ReviewCard(user_id, "concept:variables", "concept", "python-variables", now)])
    store.record_review(ReviewCard(user_id, "concept:variables", "concept", "python-variables", now, version=1,
                                   last_review_id="r1"),
                        ReviewLog(user_id, "r1", "concept:variables", 3, now, now, now + timedelta(days=1)))
    store.create_conversation(Conversation(user_id, "c1", "About variables", now, now))
    store.add_message(ChatMessage(user_id, "c1", "m1", "learner", "what is x?", now))
    store.add_assistant_request(AssistantRequest(user_id, f"{now.isoformat()}#a1", "review", now,
                                                 now + timedelta(days=30), "x = 1", {"summary": "fine"}))
    store.create_refresh_token(RefreshToken(f"r-{user_id}", f"s-{user_id}", user_id, now, now + timedelta(days=30)))
    store.add_identity(IdentityLink(user_id, "google", f"sub-{user_id}", "learner@example.com", now))
    store.name_in_audit(f"pseudonym-of-{user_id[:6]}", user_id)  # who an admin action's pseudonym is


def test_the_export_holds_one_of_everything_without_secrets(store, now):
    user = new_user(store)
    _one_of_everything(store, user.id, now)
    items = store.user_items(user.id)
    text = json.dumps(items, default=str)
    assert user.id in text and "python-variables" in text and "About variables" in text and "fine" in text
    kinds = {kind for kind, rows in items.items() if rows}
    assert len(kinds) >= 12, kinds
    assert f"sub-{user.id}" in text  # the identity-provider link


def test_deleting_an_account_leaves_nothing_with_the_learners_id(store, now, tmp_path):
    user = new_user(store)
    other = new_user(store)
    _one_of_everything(store, user.id, now)
    _one_of_everything(store, other.id, now)
    store.erase_user(user.id)
    assert store.get_user(user.id) is None and store.get_session(f"s-{user.id}", now) is None
    assert not any(store.user_items(user.id).values())
    assert _stored_text_with(store, user.id) == []
    assert store.audit_names([f"pseudonym-of-{user.id[:6]}"]) == {}  # the trail keeps the bare pseudonym
    assert store.list_achievements(other.id) and store.list_activity_hours(other.id)  # the other learner's stay
    store.erase_user(user.id)  # deleting twice changes nothing


def _stored_text_with(store, needle: str) -> list[str]:
    """Where the needle is still stored: the SQLite files byte by byte, or every DynamoDB item."""
    if hasattr(store, "_connections"):
        path = store._connections.get().execute("PRAGMA database_list").fetchone()[2]
        found = []
        for suffix in ("", "-wal"):
            try:
                with open(path + suffix, "rb") as handle:
                    if needle.encode() in handle.read():
                        found.append(path + suffix)
            except FileNotFoundError:
                pass
        return found
    client, table = store._table.client, store._table.name
    found, request = [], {"TableName": table}
    while True:
        page = client.scan(**request)
        found += [json.dumps(item) for item in page["Items"] if needle in json.dumps(item)]
        if "LastEvaluatedKey" not in page:
            return found
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


assert sqlite3  # the byte scan reads SQLite's own files


def test_the_view_reads_summary_hours_and_achievements_together(store):
    user = new_user(store)
    store.note_activity(user.id, HOUR, {"attempt": 1})
    store.add_activity_hour(user.id, HOUR, 1, 30)
    store.award_achievement(user.id, "first-lesson", HOUR)
    store.record_attempt(user.id, "python-variables", HOUR)  # PROGRESS# items are not this area's
    view = store.get_progress_view(user.id)
    assert view.summary.counts == {"attempt": 1}
    assert [(h.hour, h.events, h.seconds) for h in view.hours] == [(HOUR, 1, 30)]
    assert view.achievements == {"first-lesson": HOUR}
    empty = store.get_progress_view(new_user(store).id)
    assert empty.summary is None and empty.hours == [] and empty.achievements == {}


def test_the_learners_records_are_the_skill_records_and_the_view_together(store):
    user = new_user(store)
    store.note_activity(user.id, HOUR, {"attempt": 1})
    store.add_activity_hour(user.id, HOUR, 1, 30)
    store.award_achievement(user.id, "first-lesson", HOUR)
    store.record_attempt(user.id, "python-variables", HOUR)
    store.save_masteries([Mastery(user.id, "variables", 0.4, 1, "P", [(HOUR, 0.4)], HOUR, "submission")])
    records = store.get_learner_records(user.id)
    masteries, progress = store.get_skill_records(user.id)
    assert (records.masteries, records.progress) == (masteries, progress) and len(masteries) == len(progress) == 1
    assert records.view == store.get_progress_view(user.id)
    assert records.view.summary.counts == {"attempt": 1} and records.view.achievements == {"first-lesson": HOUR}


JANUARY = datetime(2026, 1, 31, 23, tzinfo=UTC)
FEBRUARY = datetime(2026, 2, 3, 10, tzinfo=UTC)


def _hours(found) -> list[tuple[datetime, int, int]]:
    return [(h.hour, h.events, h.seconds) for h in found]


def test_packing_settled_months_changes_no_hour_and_late_hours_add_to_the_pack(store):
    user = new_user(store)
    for hour, seconds in ((JANUARY, 60), (FEBRUARY, 30), (FEBRUARY, 10), (HOUR, 5)):
        store.add_activity_hour(user.id, hour, 1, seconds)
    before = _hours(store.list_activity_hours(user.id))
    store.pack_activity_months(user.id, before=datetime(2026, 3, 1, tzinfo=UTC))
    store.pack_activity_months(user.id, before=datetime(2026, 3, 1, tzinfo=UTC))  # twice: the same
    assert _hours(store.list_activity_hours(user.id)) == before == [(JANUARY, 1, 60), (FEBRUARY, 2, 40),
                                                                    (HOUR, 1, 5)]
    view = store.get_progress_view(user.id)
    assert _hours(view.hours) == before
    assert all(month >= datetime(2026, 3, 1, tzinfo=UTC).date() for month in view.unpacked)  # March is live
    store.add_activity_hour(user.id, FEBRUARY, 1, 7)  # a late event of a packed month (back-fill, a retry)
    assert _hours(store.list_activity_hours(user.id, since=FEBRUARY)) == [(FEBRUARY, 3, 47), (HOUR, 1, 5)]
    store.pack_activity_months(user.id, before=datetime(2026, 3, 1, tzinfo=UTC))
    assert _hours(store.get_progress_view(user.id).hours) == [(JANUARY, 1, 60), (FEBRUARY, 3, 47), (HOUR, 1, 5)]
    store.reset_progress_aggregates(user.id)
    assert store.list_activity_hours(user.id) == [] and store.get_progress_view(user.id).hours == []


def test_packing_while_hours_are_added_loses_no_count(store):
    user = new_user(store)
    store.add_activity_hour(user.id, FEBRUARY, 1, 1)

    def add_or_pack(index: int) -> None:
        for _ in range(3):
            if index % 2:
                store.pack_activity_months(user.id, before=datetime(2026, 3, 1, tzinfo=UTC))
            else:
                store.add_activity_hour(user.id, FEBRUARY, 1, 1)

    assert not [error for error in run_together(add_or_pack, threads=4) if error]
    store.pack_activity_months(user.id, before=datetime(2026, 3, 1, tzinfo=UTC))
    assert _hours(store.list_activity_hours(user.id)) == [(FEBRUARY, 7, 7)]
    assert store.get_progress_view(user.id).unpacked == []


def test_changing_the_email_moves_the_account_and_frees_the_old_address(store):
    from dal.base import EmailTaken

    user = new_user(store, email="old@example.com")
    other = new_user(store, email="taken@example.com")
    try:
        store.change_email(user.id, "old@example.com", "taken@example.com")
        raise AssertionError("EmailTaken expected")
    except EmailTaken:
        pass
    assert store.get_user_by_email("old@example.com").id == user.id  # the old address keeps working
    assert store.change_email(user.id, "old@example.com", "new@example.com") is True
    assert store.get_user(user.id).email == "new@example.com"
    assert store.get_user_by_email("new@example.com").id == user.id
    assert store.get_user_by_email("old@example.com") is None
    assert store.change_email(user.id, "old@example.com", "third@example.com") is False  # changed meanwhile
    new_user(store, email="old@example.com")  # the old address is free for anyone
    assert store.get_user_by_email("taken@example.com").id == other.id

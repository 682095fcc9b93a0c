"""Contract: lesson progress and code drafts."""

from __future__ import annotations

from datetime import timedelta

from dal.base import Draft, LessonRecord, Progress
from tests.dal.helpers import assert_plain_values, new_user, run_together


def test_attempts_create_then_count(store, now):
    user = new_user(store)
    assert store.get_progress(user.id, "py-01") is None

    first = store.record_attempt(user.id, "py-01", now)
    second = store.record_attempt(user.id, "py-01", now + timedelta(minutes=3))

    assert first.attempts == 1 and first.first_attempt_at == now and first.last_attempt_at == now
    assert second.attempts == 2
    assert second.first_attempt_at == now
    assert second.last_attempt_at == now + timedelta(minutes=3)
    assert store.get_progress(user.id, "py-01") == second
    assert_plain_values(second)


def test_hints_are_counted_separately(store, now):
    user = new_user(store)
    store.record_hint(user.id, "py-01")
    store.record_hint(user.id, "py-01", ai=True)
    progress = store.record_hint(user.id, "py-01")

    assert (progress.hints_used, progress.ai_hints_used, progress.attempts) == (2, 1, 0)
    assert progress.completed is False
    assert_plain_values(progress)


def test_concurrent_attempts_are_all_counted(store, now):
    user = new_user(store)
    outcomes = run_together(lambda _index: [store.record_attempt(user.id, "py-01", now) for _ in range(10)])
    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert store.get_progress(user.id, "py-01").attempts == 20


def test_mark_completed_once(store, now):
    user = new_user(store)
    store.record_attempt(user.id, "py-01", now)

    assert store.mark_completed(user.id, "py-01", now, assisted=True) is True
    assert store.mark_completed(user.id, "py-01", now + timedelta(hours=1), assisted=False) is False

    progress = store.get_progress(user.id, "py-01")
    assert progress.completed and progress.completed_at == now and progress.assisted is True
    assert progress.attempts == 1


def test_mark_completed_without_a_prior_record(store, now):
    user = new_user(store)
    assert store.mark_completed(user.id, "py-02", now, assisted=False) is True
    progress = store.get_progress(user.id, "py-02")
    assert progress == Progress(user_id=user.id, lesson_id="py-02", completed_at=now)


def test_concurrent_completions_let_exactly_one_win(store, now):
    user = new_user(store)
    for attempt in range(3):
        lesson = f"race-{attempt}"
        store.record_attempt(user.id, lesson, now)
        outcomes = run_together(
            lambda index, lesson=lesson: store.mark_completed(user.id, lesson, now, False), 4
        )
        assert sorted(outcomes) == [False, False, False, True], outcomes


def test_list_progress_covers_the_users_lessons_only(store, now):
    user, other = new_user(store), new_user(store)
    for lesson in ("py-02", "py-01", "py-03"):
        store.record_attempt(user.id, lesson, now)
    store.record_attempt(other.id, "py-09", now)

    assert [progress.lesson_id for progress in store.list_progress(user.id)] == ["py-01", "py-02", "py-03"]


def test_draft_saves_replaces_and_deletes(store, now):
    user = new_user(store)
    assert store.get_lesson_record(user.id, "py-01").draft is None

    store.save_draft(Draft(user_id=user.id, lesson_id="py-01", code="print('a')", updated_at=now))
    replacement = Draft(user_id=user.id, lesson_id="py-01", code="print('b')\n" * 100, updated_at=now)
    store.save_draft(replacement)

    assert store.get_lesson_record(user.id, "py-01").draft == replacement
    store.delete_draft(user.id, "py-01")
    store.delete_draft(user.id, "py-01")
    assert store.get_lesson_record(user.id, "py-01").draft is None


def test_lesson_record_reads_progress_and_draft_together(store, now):
    user, other = new_user(store), new_user(store)
    assert store.get_lesson_record(user.id, "py-01") == LessonRecord()

    progress = store.record_attempt(user.id, "py-01", now)
    assert store.get_lesson_record(user.id, "py-01") == LessonRecord(progress=progress)

    draft = Draft(user_id=user.id, lesson_id="py-01", code="x = 1\n", updated_at=now)
    store.save_draft(draft)
    store.save_draft(Draft(user_id=user.id, lesson_id="py-02", code="y = 2\n", updated_at=now))
    assert store.get_lesson_record(user.id, "py-01") == LessonRecord(progress=progress, draft=draft)
    assert_plain_values(store.get_lesson_record(user.id, "py-01").draft)

    assert store.get_lesson_record(user.id, "py-02").progress is None  # a draft without attempts
    assert store.get_lesson_record(other.id, "py-01") == LessonRecord()  # someone else's are not theirs

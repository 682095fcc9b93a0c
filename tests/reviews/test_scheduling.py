"""The review scheduler (FSRS, fuzz off): outcomes to ratings in one place, due times moving as FSRS
says, and today's share under the daily cap with a gentle catch-up after a break."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dal.reviews import ReviewCard
from services.reviews.scheduling import AGAIN, EASY, EASY_SECONDS, GOOD, HARD, Outcome, Scheduler, rating_for
from services.reviews.service import CATCH_UP_DAYS, ReviewService, ReviewSettings, daily_share
from tests.dal.helpers import new_user

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("outcome", "rating"), [
    (Outcome(passed=False), AGAIN),
    (Outcome(passed=False, seconds=1), AGAIN),
    (Outcome(passed=True, helped=True, seconds=1), HARD),
    (Outcome(passed=True, first_try=False), HARD),
    (Outcome(passed=True), GOOD),
    (Outcome(passed=True, seconds=EASY_SECONDS["quiz"] + 1), GOOD),
    (Outcome(passed=True, seconds=EASY_SECONDS["quiz"]), EASY),
])
def test_outcomes_become_ratings(outcome, rating):
    assert rating_for(outcome, "quiz") == rating


def test_a_fast_variant_is_judged_by_the_variant_threshold():
    assert rating_for(Outcome(True, seconds=60), "variant") == EASY
    assert rating_for(Outcome(True, seconds=60), "quiz") == GOOD


def test_due_times_move_as_fsrs_says_with_fuzz_off():
    scheduler = Scheduler(0.9, fuzzing=False)
    firsts = {rating: scheduler.review({}, NOW, rating, NOW)[1] - NOW for rating in (AGAIN, HARD, GOOD, EASY)}
    assert firsts == {AGAIN: timedelta(days=1), HARD: timedelta(days=1), GOOD: timedelta(days=2),
                      EASY: timedelta(days=8)}
    state, due = scheduler.review({}, NOW, GOOD, NOW)
    state, later = scheduler.review(state, due, GOOD, due)
    assert later - due == timedelta(days=11)  # stability grows with each good recall
    assert abs(scheduler.retrievability(state, later, later) - 0.9) < 0.01  # due when recall falls to 0.9
    _, lapsed = scheduler.review(state, later, AGAIN, later)
    assert lapsed - later < later - due  # a lapse brings it back sooner
    keener = Scheduler(0.95, fuzzing=False)
    assert keener.review({}, NOW, GOOD, NOW)[1] <= due  # higher retention: sooner


def test_todays_share_is_the_backlog_up_to_the_cap_then_spread_over_days():
    assert daily_share(7, 20) == 7 and daily_share(20, 20) == 20
    assert daily_share(30, 20) == 10  # half the cap at least
    assert daily_share(200, 20) == 20
    assert daily_share(80, 20) == min(20, max(80 // CATCH_UP_DAYS, 10))


class _Grader:
    pass


def test_after_a_break_the_most_overdue_come_first_and_today_stops_at_the_share(tmp_path):
    from dal.sqlite import SqliteStore
    from services.lessons.library import LessonLibrary
    from tests.lessons.conftest import CONTENT

    store = SqliteStore(str(tmp_path / "db.sqlite3"))
    store.init_schema()
    library, _ = LessonLibrary.from_directory(CONTENT)
    lesson = library.get("python-variables")
    service = ReviewService(store, list(library.all()), _Grader(), None,
                            settings=ReviewSettings(daily_cap=4, fuzzing=False), clock=lambda: NOW)
    user = new_user(store)
    quiz = [i for i, q in enumerate(lesson.quiz) if q.verified]
    store.add_review_cards([ReviewCard(user.id, f"quiz:{lesson.id}#{i}", "quiz", lesson.id,
                                       NOW - timedelta(days=30 - n)) for n, i in enumerate(quiz)])
    today = service.today(user.id)
    assert today.backlog == len(quiz) and today.remaining == min(len(quiz), 4)
    assert [item.card.card_id for item in today.items] == [f"quiz:{lesson.id}#{i}" for i in quiz][:4]
    first = today.items[0]
    result = service.answer_quiz(user.id, first.card.card_id, first.ref, first.card.version,
                                 str(first.question.answer), seconds=30)
    assert result.rating == GOOD and result.due_after == NOW + timedelta(days=2)
    assert service.today(user.id).done_today == 1
    store.close()

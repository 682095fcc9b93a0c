"""Spaced review in a real browser: a learner completes a lesson, the clock moves, the Review page
serves the due items one at a time (a code variant solved in the editor, a quiz question answered
wrong, then right a day later), and the next due dates move as FSRS says. Screenshots at 1280 and
390 px; axe finds nothing serious on the review pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.reviews.scheduling import AGAIN
from tests.e2e.conftest import log_in_learner
from tests.review_clock import move_clock

pytestmark = pytest.mark.e2e
LESSON = "python-variables"


def current_item(reviews, user_id: str):
    return reviews.today(user_id).items[0]


def test_complete_move_the_clock_review_and_see_due_dates_move(serve_app, page, both_widths):
    server = serve_app(REVIEW_FUZZ=False)
    app = server.app
    reviews, store = app.extensions["codelearn.reviews"], app.extensions["codelearn.store"]
    start = reviews.now()
    reviews.clock = lambda: start
    log_in_learner(server, page, email="ada@example.com", name="Ada")
    user = store.get_user_by_email("ada@example.com")
    lesson = app.extensions["codelearn.lesson_library"].get(LESSON)

    page.goto(server.url + f"/learn/{LESSON}")
    page.locator("#code").fill(lesson.solution)
    page.get_by_role("button", name="Run the tests").click()
    page.locator("#completion-title").wait_for()

    page.goto(server.url + "/review")
    page.get_by_text("Your next review is due").wait_for()
    both_widths("70-review-empty")

    move_clock(reviews, days=3, hours=1)
    page.goto(server.url + "/review")
    due = reviews.today(user.id).remaining
    assert page.locator("nav .nav-badge").first.inner_text().startswith(str(min(due, 20)))

    wrong_card = variant_done = None
    for _ in range(due):
        item = current_item(reviews, user.id)
        if item.kind == "variant" and not variant_done:
            both_widths("71-review-variant")
            page.locator("#code").fill(item.variant.solution)
            page.get_by_role("button", name="Run the tests").click()
            page.get_by_role("heading", name="Right — well remembered!").wait_for()
            both_widths("72-review-variant-passed")
            variant_done = item.card.card_id
        elif item.kind == "quiz" and wrong_card is None:
            both_widths("73-review-quiz")
            wrong = (item.question.answer + 1) % len(item.question.choices)
            page.locator(f'input[name="choice"][value="{wrong}"]').check()
            page.get_by_role("button", name="Check my answer").click()
            page.get_by_role("heading", name="Not this time").wait_for()
            assert page.get_by_text("Rated Again").count() == 1 and page.get_by_text("(in 1 day)").count() == 1
            both_widths("74-review-quiz-wrong")
            wrong_card = item.card.card_id
        elif item.kind == "quiz":
            page.locator(f'input[name="choice"][value="{item.question.answer}"]').check()
            page.get_by_role("button", name="Check my answer").click()
            page.get_by_role("heading", name="Right — well remembered!").wait_for()
        else:
            page.locator("#code").fill(item.variant.solution)
            page.get_by_role("button", name="Run the tests").click()
            page.get_by_role("heading", name="Right — well remembered!").wait_for()
        page.get_by_role("link", name="Next review").click()
    assert variant_done and wrong_card
    page.get_by_role("heading", name="All done for today").wait_for()
    both_widths("75-review-done")

    # FSRS: the lapse is due a day later; the variant solved first try is further out.
    lapsed = store.get_review_card(user.id, wrong_card)
    assert lapsed.last_rating == AGAIN and lapsed.due == reviews.now() + timedelta(days=1)
    solved = store.get_review_card(user.id, variant_done)
    expected = reviews.scheduler.review({}, solved.due, solved.last_rating, reviews.now())[1]
    assert solved.due == expected and solved.due - reviews.now() >= timedelta(days=2)

    # A day later the lapsed question comes back, answered right now: its next review moves out.
    move_clock(reviews, days=1, minutes=1)
    page.goto(server.url + "/review")
    for _ in range(reviews.today(user.id).remaining):
        item = current_item(reviews, user.id)
        if item.kind == "quiz":
            page.locator(f'input[name="choice"][value="{item.question.answer}"]').check()
            page.get_by_role("button", name="Check my answer").click()
        else:
            page.locator("#code").fill(item.variant.solution)
            page.get_by_role("button", name="Run the tests").click()
        page.get_by_role("heading", name="Right — well remembered!").wait_for()
        page.get_by_role("link", name="Next review").click()
    again = store.get_review_card(user.id, wrong_card)
    assert again.reps == 2 and again.due - reviews.now() > timedelta(days=1)

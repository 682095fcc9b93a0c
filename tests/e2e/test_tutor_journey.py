"""The tutor in a real browser: a new learner takes the placement quiz, sees their skills, takes a
lesson quiz with wrong answers and reads why each was wrong, opens an explanation whose sources link
to lesson sections that exist, and after repeated failures on one concept sees it as a gap that the
recommendation names. Screenshots at 1280 and 390 px; axe finds nothing serious on the quiz pages."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import check_both_widths, log_in_learner

pytestmark = pytest.mark.e2e


both_widths = check_both_widths  # (page, name); the progress journey imports it from here


def choose(page, answers: list[int]) -> None:
    for position, choice in enumerate(answers):
        page.locator(f'input[name="q{position}"][value="{choice}"]').check()


def test_a_new_learner_places_quizzes_explains_and_finds_a_gap(live_server, page):
    app = live_server.app
    tutor = app.extensions["codelearn.tutor"]
    store = app.extensions["codelearn.store"]
    log_in_learner(live_server, page, email="lin@example.com", name="Lin")
    user = store.get_user_by_email("lin@example.com")

    # Placement: right on the first steps, then wrong: some lessons test out, the rest stay to learn.
    page.goto(live_server.url + "/skills")
    page.get_by_text("Nothing yet").wait_for()
    page.get_by_role("link", name="Take the placement quiz", exact=True).click()
    both_widths(page, "60-placement-start")
    page.get_by_role("button", name="Start the placement quiz").click()
    step_number = 0
    while page.get_by_role("button", name="Next").count():
        step_number += 1
        attempt_id = page.url.rsplit("/", 1)[-1]
        step = tutor.placement.current(user.id, attempt_id)
        right = step_number <= 2
        choose(page, [q.question.answer if right else (q.question.answer + 1) % len(q.question.choices)
                      for q in step.questions])
        if step_number == 1:
            both_widths(page, "61-placement-step")
        page.get_by_role("button", name="Next").click()
        page.get_by_role("heading", name="Placement quiz").wait_for()
    page.get_by_text("You tested out of").wait_for()
    both_widths(page, "62-placement-result")
    known = tutor.placement.current(user.id, page.url.rsplit("/", 1)[-1]).known
    assert known

    page.get_by_role("link", name="See your skills").click()
    page.get_by_role("heading", name="Concepts you have practised").wait_for()
    assert page.locator(".skill-row").count() > 0
    both_widths(page, "63-skills")
    page.goto(live_server.url + "/learn/")
    assert page.get_by_text("Tested out").count() >= 1 and page.get_by_text("0 of 33 lessons done").count() == 1

    # A lesson quiz answered wrongly: each wrong choice says why.
    page.goto(live_server.url + "/learn/python-functions")
    page.get_by_role("button", name="Take the quiz (3 questions)").click()
    questions = tutor.quizzes.bank.of_lesson("python-functions")
    both_widths(page, "64-quiz")
    wrong = [(q.question.answer + 1) % len(q.question.choices) for q in questions]
    choose(page, wrong)
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("heading", name="You got 0 of 3 right").wait_for()
    for q, chosen in zip(questions, wrong, strict=True):
        assert page.locator(".why-not", has_text=q.question.why_not[chosen][:40].split("`")[0]).count() >= 1
    both_widths(page, "65-quiz-feedback")

    # An explanation with sources that link to sections of the lesson.
    page.goto(live_server.url + "/skills/return-values")
    page.get_by_role("link", name="Explain this concept").click()
    page.get_by_role("heading", name="Sources").wait_for()
    both_widths(page, "66-explanation")
    source = page.locator(".citations a").first
    anchor = source.get_attribute("href").split("#", 1)[1]
    source.click()
    page.locator(f"#{anchor}").wait_for()
    assert page.locator(f"#{anchor}").is_visible()

    # Three failed quizzes on one concept: a gap, named by the first recommendation.
    for _ in range(3):
        page.goto(live_server.url + "/skills/range")
        page.get_by_role("button", name="Quiz me").click()
        attempt_id = page.url.rsplit("/", 1)[-1]
        served = tutor.quizzes.view(user.id, attempt_id).questions
        choose(page, [(q.question.answer + 1) % len(q.question.choices) for q in served])
        page.get_by_role("button", name="Submit answers").click()
        page.get_by_role("heading", name="You got 0 of").wait_for()
    page.goto(live_server.url + "/skills")
    gaps = page.locator("section", has=page.get_by_role("heading", name="Learning gaps"))
    assert gaps.get_by_role("link", name=tutor.concepts.get("range").title).count() == 1
    first = page.locator(".next-step").first
    assert "Revisit the range function" in first.inner_text()
    assert "tries on it failed" in first.inner_text()
    both_widths(page, "67-skills-gap")
    page.goto(live_server.url + "/dashboard")
    page.get_by_role("heading", name="Next steps").wait_for()
    both_widths(page, "68-dashboard-next-steps")

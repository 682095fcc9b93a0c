"""The tutor through the web: skills, quizzes with feedback per wrong choice, placement, explanations,
gaps and recommendations; bad input (unknown concept, tampered quiz ids and answers, another learner's
attempt, a double submit) gets a clear 4xx and changes nothing."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, login, register
from tests.web.lessons_helpers import post_form

LOOPS = "python-loops"


def start_quiz(client, path: str) -> str:
    response = post_form(client, path)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"].rsplit("/", 1)[-1]


def bank(app, lesson_id: str):
    return app.extensions["codelearn.tutor"].quizzes.bank.of_lesson(lesson_id)


def wrong_answers(app, lesson_id: str) -> dict[str, str]:
    return {f"q{i}": str((q.question.answer + 1) % len(q.question.choices)) for i, q in enumerate(bank(app, lesson_id))}


def right_answers(app, lesson_id: str) -> dict[str, str]:
    return {f"q{i}": str(q.question.answer) for i, q in enumerate(bank(app, lesson_id))}


def test_the_skills_page_starts_empty_and_offers_placement(client, learner):
    page = client.get("/skills").get_data(as_text=True)
    assert "Your skills" in page and "Nothing yet" in page and "/placement" in page


def test_a_quiz_with_wrong_answers_says_why_each_chosen_choice_is_wrong(app, client, learner):
    attempt_id = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    page = client.get(f"/quizzes/{attempt_id}").get_data(as_text=True)
    assert page.count('type="radio"') == sum(len(q.question.choices) for q in bank(app, LOOPS))
    response = post_form(client, f"/quizzes/{attempt_id}", wrong_answers(app, LOOPS))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You got 0 of 3 right" in page
    for q in bank(app, LOOPS):
        chosen = (q.question.answer + 1) % len(q.question.choices)
        why_not = q.question.why_not[chosen]
        assert why_not and _words(why_not) in _words(page)
    masteries = app.extensions["codelearn.store"].list_masteries(learner.id)
    assert masteries and all(m.p_known < 0.10 for m in masteries)  # below the prior: wrong answers lower


def test_a_right_quiz_raises_the_levels_and_a_retake_counts_less(app, client, learner):
    first = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    post_form(client, f"/quizzes/{first}", right_answers(app, LOOPS))
    after_first = {m.concept_id: m.p_known for m in app.extensions["codelearn.store"].list_masteries(learner.id)}
    second = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    post_form(client, f"/quizzes/{second}", right_answers(app, LOOPS))
    after_second = {m.concept_id: m.p_known for m in app.extensions["codelearn.store"].list_masteries(learner.id)}
    gains_first = {c: p - 0.10 for c, p in after_first.items()}
    gains_second = {c: after_second[c] - after_first[c] for c in after_first}
    assert all(g > 0 for g in gains_first.values())
    assert all(0 < gains_second[c] < gains_first[c] for c in after_first)
    page = client.get("/skills").get_data(as_text=True)
    assert "For loops" in page or "for loops" in page.lower()


def test_a_double_submit_is_refused_with_409_and_changes_nothing(app, client, learner):
    attempt_id = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    assert post_form(client, f"/quizzes/{attempt_id}", right_answers(app, LOOPS)).status_code == 200
    before = app.extensions["codelearn.store"].list_masteries(learner.id)
    again = post_form(client, f"/quizzes/{attempt_id}", wrong_answers(app, LOOPS))
    assert again.status_code == 409 and "already submitted" in again.get_data(as_text=True)
    assert app.extensions["codelearn.store"].list_masteries(learner.id) == before
    assert app.extensions["codelearn.store"].get_quiz_attempt(learner.id, attempt_id).score == 3


@pytest.mark.parametrize("answers", [
    {"q0": "7", "q1": "0", "q2": "0"},  # not a choice
    {"q0": "-1", "q1": "0", "q2": "0"},
    {"q0": "one", "q1": "0", "q2": "0"},
    {"q0": "0", "q1": "0", "q2": "0", "q9": "1"},  # a question the quiz does not have
])
def test_tampered_answers_get_400_and_change_nothing(app, client, learner, answers):
    attempt_id = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    response = post_form(client, f"/quizzes/{attempt_id}", answers)
    assert response.status_code == 422
    stored = app.extensions["codelearn.store"].get_quiz_attempt(learner.id, attempt_id)
    assert not stored.submitted and app.extensions["codelearn.store"].list_masteries(learner.id) == []


def test_a_missing_answer_keeps_the_others_and_says_which(app, client, learner):
    attempt_id = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    response = post_form(client, f"/quizzes/{attempt_id}", {"q0": "1", "q2": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "question 2 is still open" in page
    assert re.search(r'name="q0" value="1" checked', page) and re.search(r'name="q2" value="0" checked', page)


def test_another_learners_attempt_and_made_up_ids_are_404(app, client, learner):
    attempt_id = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    other = app.test_client()
    register(other, "bob@example.com")
    login(other, "bob@example.com")
    assert other.get(f"/quizzes/{attempt_id}").status_code == 404
    token = csrf_token(other, "/skills")
    answers = {"csrf_token": token, **right_answers(app, LOOPS)}
    assert other.post(f"/quizzes/{attempt_id}", data=answers).status_code == 404
    assert not app.extensions["codelearn.store"].get_quiz_attempt(learner.id, attempt_id).submitted
    for bad in ("nope", "x" * 300, "..%2F..%2Fetc"):
        assert client.get(f"/quizzes/{bad}").status_code == 404


def test_unknown_concepts_and_lessons_are_404(client, learner):
    assert client.get("/skills/no-such-concept").status_code == 404
    assert client.get("/skills/no-such-concept/explain").status_code == 404
    assert post_form(client, "/quizzes/concept/no-such-concept").status_code == 404
    assert post_form(client, "/quizzes/lesson/python-nope").status_code == 404


def test_a_quiz_form_without_csrf_is_refused(app, client, learner):
    attempt_id = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    assert client.post(f"/quizzes/{attempt_id}", data=right_answers(app, LOOPS)).status_code == 400
    assert not app.extensions["codelearn.store"].get_quiz_attempt(learner.id, attempt_id).submitted


def test_a_concept_quiz_draws_questions_from_every_lesson_teaching_it(app, client, learner):
    attempt_id = start_quiz(client, "/quizzes/concept/recursion")
    stored = app.extensions["codelearn.store"].get_quiz_attempt(learner.id, attempt_id)
    assert stored.quiz_key == "concept:recursion" and stored.questions
    assert {ref["ref"].split("#")[0] for ref in stored.questions} <= {"python-recursion", "python-binary-search-trees"}


def test_an_offline_explanation_cites_lesson_sections_that_exist(app, client, learner):
    page = client.get("/skills/for-loops/explain").get_data(as_text=True)
    assert "No AI model was used" in page and "Sources" in page
    links = re.findall(r'href="/learn/(python-[a-z-]+)#(s-[a-z0-9-]+)"', page)
    assert links
    for lesson_id, anchor in links:
        lesson_page = client.get(f"/learn/{lesson_id}").get_data(as_text=True)
        assert f'id="{anchor}"' in lesson_page


def test_the_explanation_follows_the_learners_band(app, client, learner):
    assert "band-new" in client.get("/skills/for-loops/explain").get_data(as_text=True)
    for _ in range(4):
        attempt_id = start_quiz(client, "/quizzes/concept/for-loops")
        questions = app.extensions["codelearn.tutor"].quizzes.view(learner.id, attempt_id).questions
        post_form(client, f"/quizzes/{attempt_id}", {f"q{i}": str(q.question.answer) for i, q in enumerate(questions)})
    level = app.extensions["codelearn.store"].get_masteries(learner.id, ["for-loops"])["for-loops"].p_known
    page = client.get("/skills/for-loops/explain").get_data(as_text=True)
    expected = "Confident" if level >= 0.8 else "Developing"
    assert level >= 0.4 and f"band-{expected.lower()}" in page


def test_placement_all_right_tests_out_lessons_without_counting_them_solved(app, client, learner):
    tutor = app.extensions["codelearn.tutor"]
    response = post_form(client, "/placement")
    attempt_id = response.headers["Location"].rsplit("/", 1)[-1]
    for _ in range(10):
        step = tutor.placement.current(learner.id, attempt_id)
        if step.finished:
            break
        answers = {f"q{i}": str(q.question.answer) for i, q in enumerate(step.questions)}
        assert post_form(client, f"/placement/{attempt_id}", answers).status_code == 302
    step = tutor.placement.current(learner.id, attempt_id)
    assert step.finished and len(step.known) >= 25
    catalogue = client.get("/learn/").get_data(as_text=True)
    assert "Tested out" in catalogue and "<strong>0</strong> of 33 lessons done" in catalogue
    assert client.get(f"/placement/{attempt_id}").status_code == 200


def test_placement_all_wrong_tests_out_nothing(app, client, learner):
    tutor = app.extensions["codelearn.tutor"]
    attempt_id = post_form(client, "/placement").headers["Location"].rsplit("/", 1)[-1]
    for _ in range(10):
        step = tutor.placement.current(learner.id, attempt_id)
        if step.finished:
            break
        answers = {f"q{i}": str((q.question.answer + 1) % len(q.question.choices))
                   for i, q in enumerate(step.questions)}
        post_form(client, f"/placement/{attempt_id}", answers)
    step = tutor.placement.current(learner.id, attempt_id)
    assert step.finished and step.known == []
    assert "Tested out" not in client.get("/learn/").get_data(as_text=True)


def test_repeated_failures_on_a_concept_make_a_gap_that_the_recommendation_names(app, client, learner):
    for _ in range(3):
        attempt_id = start_quiz(client, "/quizzes/concept/for-loops")
        questions = app.extensions["codelearn.tutor"].quizzes.view(learner.id, attempt_id).questions
        post_form(client, f"/quizzes/{attempt_id}",
                  {f"q{i}": str((q.question.answer + 1) % len(q.question.choices)) for i, q in enumerate(questions)})
    page = client.get("/skills").get_data(as_text=True)
    assert "Learning gaps" in page and "Revisit for loops" in page
    assert re.search(r"\d of your last \d tries on it failed", page)


def _words(text: str) -> str:
    """Text without markup, quotes or spacing differences, for 'does the page say this'."""
    import html

    plain = re.sub(r"<[^>]+>", " ", html.unescape(text))
    return " ".join(re.sub(r"[`'\"]", "", plain).split())

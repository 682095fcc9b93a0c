"""The tutor through /api/v1: skills, gaps, recommendations, explanations, lesson and concept quizzes
(take, submit once, the result), the placement quiz; bad input and another learner's attempts refused;
the JSON says what the pages say for the same learner (one TutorService behind both)."""

from __future__ import annotations

from tests.api.area_helpers import get, on_the_pages, other_learner, post

LOOPS = "python-loops"


def bank(app, lesson_id: str):
    return app.extensions["codelearn.tutor"].quizzes.bank.of_lesson(lesson_id)


def test_a_lesson_quiz_is_served_without_its_key_then_marked_once_with_feedback(app, client, ada):
    started = post(client, ada, f"/tutor/quizzes/lesson/{LOOPS}")
    assert started.status_code == 201
    quiz = started.json
    questions = bank(app, LOOPS)
    assert quiz["kind"] == "lesson" and quiz["lesson_id"] == LOOPS and not quiz["submitted"]
    assert [q["question"] for q in quiz["questions"]] == [q.question.question for q in questions]
    assert all(set(q) == {"position", "question", "choices", "concepts"} for q in quiz["questions"])
    assert quiz["feedback"] == []
    assert get(client, ada, f"/tutor/quizzes/{quiz['id']}").json["questions"] == quiz["questions"]

    wrong = [(q.question.answer + 1) % len(q.question.choices) for q in questions]
    marked = post(client, ada, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": wrong})
    assert marked.status_code == 200, marked.json
    result = marked.json
    assert result["submitted"] and result["score"] == 0 and result["total"] == len(questions)
    expected = [q.question.why_not[c] for q, c in zip(questions, wrong, strict=True)]
    assert [f["why_not"] for f in result["feedback"]] == expected
    assert result["record"]["attempts"] == 1

    again = post(client, ada, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": wrong})
    assert again.status_code == 409 and again.json["error"]["code"] == "conflict"
    assert get(client, ada, f"/tutor/quizzes/{quiz['id']}").json["score"] == 0  # unchanged


def test_quiz_answers_missing_or_out_of_range_are_a_422_naming_the_question(app, client, ada):
    quiz = post(client, ada, f"/tutor/quizzes/lesson/{LOOPS}").json
    short = post(client, ada, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": [0]})
    assert short.status_code == 422 and "q1" in short.json["error"]["details"]["fields"]
    too_big = [len(q.question.choices) for q in bank(app, LOOPS)]
    wrong_choice = post(client, ada, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": too_big})
    assert wrong_choice.status_code == 422
    not_a_list = post(client, ada, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": "0,1,2"})
    assert not_a_list.status_code == 422
    assert not get(client, ada, f"/tutor/quizzes/{quiz['id']}").json["submitted"]


def test_another_learners_quiz_and_placement_are_404_and_stay_untouched(app, client, ada):
    quiz = post(client, ada, f"/tutor/quizzes/lesson/{LOOPS}").json
    placement = post(client, ada, "/tutor/placement").json
    grace = other_learner(app)
    right = [q.question.answer for q in bank(app, LOOPS)]
    assert get(client, grace, f"/tutor/quizzes/{quiz['id']}").status_code == 404
    assert post(client, grace, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": right}).status_code == 404
    assert get(client, grace, f"/tutor/placement/{placement['id']}").status_code == 404
    assert post(client, grace, f"/tutor/placement/{placement['id']}/answers", {"answers": [0, 0]}).status_code == 404
    assert not get(client, ada, f"/tutor/quizzes/{quiz['id']}").json["submitted"]
    assert get(client, ada, f"/tutor/placement/{placement['id']}").json["step"] == 1


def test_unknown_lesson_and_concept_are_404(client, ada):
    assert post(client, ada, "/tutor/quizzes/lesson/no-such-lesson").status_code == 404
    assert post(client, ada, "/tutor/quizzes/concept/no-such-concept").status_code == 404
    assert post(client, ada, "/tutor/concepts/no-such-concept/explain", {}).status_code == 404


def test_a_concept_quiz_then_the_skills_gaps_and_recommendations_match_the_pages(app, client, ada):
    quiz = post(client, ada, "/tutor/quizzes/concept/for-loops").json
    assert quiz["kind"] == "concept" and quiz["concept_id"] == "for-loops" and quiz["questions"]
    served = app.extensions["codelearn.tutor"].quizzes.view(ada.user_id, quiz["id"]).questions
    wrong = [(q.question.answer + 1) % len(q.question.choices) for q in served]
    assert post(client, ada, f"/tutor/quizzes/{quiz['id']}/submit", {"answers": wrong}).status_code == 200

    skills = get(client, ada, "/tutor/skills").json
    assert skills["skills"], skills
    page = on_the_pages(app, ada).get("/skills").get_data(as_text=True)
    for row in skills["skills"]:
        assert row["concept"]["title"] in page and f'aria-label="Level {row["percent"]} of 100"' in page
    gaps = get(client, ada, "/tutor/gaps").json["gaps"]
    assert gaps == skills["gaps"]
    recommendations = get(client, ada, "/tutor/recommendations").json["recommendations"]
    assert recommendations == skills["recommendations"] and recommendations
    for rec in recommendations:
        assert rec["title"] in page


def test_an_explanation_is_in_the_learners_band_with_citations_like_the_page(app, client, ada):
    answer = post(client, ada, "/tutor/concepts/for-loops/explain", {"lesson_id": LOOPS})
    assert answer.status_code == 200, answer.json
    found = answer.json
    assert found["band"] == "new" and found["source"] == "offline" and found["citations"]
    page = on_the_pages(app, ada).get(f"/skills/for-loops/explain?lesson={LOOPS}").get_data(as_text=True)
    for citation in found["citations"]:
        assert citation["title"] in page
    assert post(client, ada, "/tutor/concepts/for-loops/explain", {"lesson_id": "x" * 201}).status_code == 422


def test_placement_runs_step_by_step_to_a_result(app, client, ada):
    step = post(client, ada, "/tutor/placement")
    assert step.status_code == 201
    state = step.json
    tutor = app.extensions["codelearn.tutor"]
    while not state["finished"]:
        served = tutor.placement.current(ada.user_id, state["id"]).questions
        right = [q.question.answer for q in served]
        sent = post(client, ada, f"/tutor/placement/{state['id']}/answers", {"answers": right})
        assert sent.status_code == 200, sent.json
        assert sent.json["last_right"] is True
        state = sent.json
    assert state["known"] and state["questions"] == [] and state["probe"] is None
    assert get(client, ada, f"/tutor/placement/{state['id']}").json["known"] == state["known"]
    again = post(client, ada, f"/tutor/placement/{state['id']}/answers", {"answers": [0, 0]})
    assert again.status_code == 409
    tested_out = set(get(client, ada, "/tutor/skills").json["tested_out"])
    assert {k["id"] for k in state["known"]} <= tested_out


def test_the_tutor_needs_a_token(client):
    assert client.get("/api/v1/tutor/skills").status_code == 401

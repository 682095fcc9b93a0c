"""Mastery evidence from graded submissions, through the real grader and the pages: a first-try pass
counts most, a pass after hints less, a fail lowers, and a finished lesson adds nothing more."""

from __future__ import annotations

from tests.conftest import verified_learner
from tests.web.lessons_helpers import LESSON, SOLUTION, STARTER_FAILS, post_form, post_json

CONCEPTS = {"variables", "data-types", "naming"}


def levels(app, user_id: str) -> dict[str, float]:
    return {m.concept_id: m.p_known for m in app.extensions["codelearn.store"].list_masteries(user_id)}




def test_a_first_try_pass_raises_every_concept_the_tests_check(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    found = levels(app, learner.id)
    assert set(found) == CONCEPTS and all(p > 0.5 for p in found.values())


def test_a_pass_after_hints_counts_less_than_an_independent_one(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    independent = levels(app, learner.id)
    other, user = verified_learner(app, "grace@example.com")
    for _ in range(2):
        post_form(other, f"/learn/{LESSON}/hint")
    post_form(other, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    assisted = levels(app, user.id)
    assert app.extensions["codelearn.store"].get_progress(user.id, LESSON).hints_used == 2
    assert set(assisted) == CONCEPTS
    assert all(0.10 < assisted[c] < independent[c] for c in CONCEPTS)


def test_a_failing_submission_lowers_and_a_finished_lesson_adds_nothing(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": STARTER_FAILS})
    failed = levels(app, learner.id)
    assert set(failed) == CONCEPTS and all(p < 0.10 for p in failed.values())
    post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    solved = levels(app, learner.id)
    assert all(solved[c] > failed[c] for c in CONCEPTS)
    for _ in range(3):  # farming a finished lesson: no more evidence either way
        post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
        post_json(client, f"/learn/{LESSON}/submit", {"code": STARTER_FAILS})
    assert levels(app, learner.id) == solved


def test_a_store_failure_during_the_update_keeps_the_learners_result(app, client, learner, monkeypatch):
    from dal.base import StoreUnavailable

    store = app.extensions["codelearn.store"]

    def down(*args, **kwargs):
        raise StoreUnavailable("sqlite: database is locked")

    monkeypatch.setattr(store, "save_masteries", down)
    response = post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    assert response.status_code == 200 and response.json["completed_now"] is True
    monkeypatch.undo()
    assert levels(app, learner.id) == {}

"""The review session over HTTP: a completed lesson's cards come due, are answered one at a time
(quiz questions with radio buttons, variants through the grader with their reference), the next due
dates move, the navigation counts them; bad input gets a 4xx and changes nothing."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer

from tests.conftest import csrf_token, verified_learner
from tests.review_clock import move_clock
from tests.web.lessons_helpers import LESSON, SOLUTION, post_form

_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def app_config(app_config):
    return {**app_config, "REVIEW_FUZZ": False}


def shown(client):
    page = client.get("/review").get_data(as_text=True)
    match = _TOKEN.search(page)
    return page, (match.group(1) if match else None)


def answer(client, token: str, **fields):
    return client.post("/review", data={"csrf_token": csrf_token(client, "/review"), "token": token, **fields})


def right_answer(app, reviews, token: str) -> dict:
    card_id, ref, _, _ = URLSafeSerializer(app.secret_key, salt="codelearn.review-item").loads(token)
    item = reviews.item(reviews_user(app, card_id), card_id, ref)
    return {"choice": str(item.question.answer)} if item.kind == "quiz" else {"code": item.variant.solution}


def reviews_user(app, card_id):  # the one learner of these tests
    return app.extensions["codelearn.store"].list_users(limit=1).items[0].id


def forged(app, card_id: str, ref: str, version: int = 1) -> str:
    return URLSafeSerializer(app.secret_key, salt="codelearn.review-item").dumps([card_id, ref, version, time.time()])


def test_completed_lesson_cards_come_due_and_are_reviewed_one_at_a_time(app, client, learner, reviews):
    assert "Lesson complete!" in post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).get_data(as_text=True)
    store = app.extensions["codelearn.store"]
    cards = store.list_due_cards(learner.id, reviews.now() + timedelta(days=30), 100)
    kinds = {c.kind for c in cards}
    assert kinds == {"concept", "quiz", "variant"}
    page, token = shown(client)
    assert token is None and "Your next review is due" in page  # nothing due on the day of the lesson

    move_clock(reviews, days=3, hours=1)
    page, token = shown(client)
    assert 'class="nav-badge"' in page and token
    due_before = store.count_due_cards(learner.id, reviews.now(), 100)
    seen_variant = False
    for _ in range(due_before):
        page, token = shown(client)
        fields = right_answer(app, reviews, token)
        seen_variant |= "code" in fields
        result = answer(client, token, **fields)
        body = result.get_data(as_text=True)
        assert result.status_code == 200 and "well remembered" in body and "Next review of this" in body
    assert seen_variant
    page, token = shown(client)
    assert token is None and "All done for today" in page and "Your next review is due" in page
    assert all(c.due > reviews.now() and c.reps == 1 for c in store.list_due_cards(
        learner.id, reviews.now() + timedelta(days=400), 100))
    logs = store.list_review_logs(learner.id, limit=100)
    assert len(logs) == due_before and all(log.rating >= 3 for log in logs)
    masteries = {m.concept_id: m for m in store.list_masteries(learner.id)}
    assert any(m.source == "review" for m in masteries.values())  # the skill model was fed


def test_a_wrong_answer_is_again_and_comes_back_tomorrow(app, client, learner, reviews):
    post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    move_clock(reviews, days=3, hours=1)
    for _ in range(30):
        page, token = shown(client)
        fields = right_answer(app, reviews, token)
        if "choice" in fields:
            break
        answer(client, token, **fields)
    wrong = str((int(fields["choice"]) + 1) % 2)
    body = answer(client, token, choice=wrong).get_data(as_text=True)
    assert "Not this time" in body and "Rated <strong>Again</strong>" in body and "in 1 day" in body


def test_bad_input_gets_a_4xx_and_changes_nothing(app, client, learner, reviews):
    post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    store = app.extensions["codelearn.store"]
    move_clock(reviews, days=3, hours=1)
    _, token = shown(client)
    fields = right_answer(app, reviews, token)
    assert answer(client, token[:-2] + "xx", **fields).status_code == 400  # tampered token
    card_id = URLSafeSerializer(app.secret_key, salt="codelearn.review-item").loads(token)[0]
    other, _ = verified_learner(app, "other@example.com")
    assert answer(other, token, **fields).status_code == 404  # another learner's card
    assert answer(client, forged(app, f"variant:{LESSON}/no-such-variant", f"{LESSON}/no-such-variant"),
                  code="x = 1\n").status_code == 404
    not_due = [c for c in store.list_due_cards(learner.id, reviews.now() + timedelta(days=30), 100)
               if c.due > reviews.now()]
    if not_due:
        item = reviews._item(not_due[0])
        assert answer(client, forged(app, not_due[0].card_id, item.ref), choice="0", code="x=1").status_code == 409
    if "choice" in fields:
        assert answer(client, token, choice="99").status_code == 422  # not one of the choices
    assert store.list_review_logs(learner.id) == []
    assert answer(client, token, **fields).status_code == 200
    assert answer(client, token, **fields).status_code == 409  # the same answer sent twice
    assert len(store.list_review_logs(learner.id)) == 1
    assert store.get_review_card(learner.id, card_id).reps == 1


def test_the_page_needs_a_login(client):
    assert client.get("/review").status_code in (302, 401)


def test_a_variant_passed_after_a_hint_is_rated_hard(app, client, learner, reviews):
    post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    move_clock(reviews, days=3, hours=1)
    for _ in range(30):
        page, token = shown(client)
        fields = right_answer(app, reviews, token)
        if "code" in fields:
            break
        answer(client, token, **fields)
    logs = app.extensions["codelearn.store"].list_review_logs
    before = len(logs(learner.id, limit=100))
    hinted = answer(client, token, hint="1", code="# thinking\n").get_data(as_text=True)
    assert "A hint from the lesson" in hinted and 'name="helped" value="1"' in hinted and "# thinking" in hinted
    assert len(logs(learner.id, limit=100)) == before  # a hint rates nothing
    body = answer(client, token, helped="1", **fields).get_data(as_text=True)
    assert "well remembered" in body and "Rated <strong>Hard</strong>" in body

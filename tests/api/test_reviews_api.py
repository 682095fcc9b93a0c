"""Spaced review through /api/v1: a completed lesson's cards come due, the due count and the next
item, answering a quiz item and a code variant, the summary; a second send is a 409, another
learner's card a 404, bad answers a 422; the JSON says what the review page says (one ReviewService)."""

from __future__ import annotations

import pytest

from tests.api.area_helpers import get, on_the_pages, other_learner, post
from tests.review_clock import move_clock
from tests.web.lessons_helpers import LESSON, SOLUTION


@pytest.fixture
def app_config(app_config):
    return {**app_config, "REVIEW_FUZZ": False}


def complete_lesson(client, who) -> None:
    answer = post(client, who, f"/lessons/{LESSON}/submit", {"code": SOLUTION})
    assert answer.status_code == 200 and answer.json["completed_now"], answer.json


def right_body(reviews, who, item: dict) -> dict:
    served = reviews.item(who.user_id, item["card_id"], item["ref"])
    body = {"card_id": item["card_id"], "ref": item["ref"], "version": item["version"], "seconds": 8}
    if item["kind"] == "quiz":
        return {**body, "choice": served.question.answer}
    return {**body, "code": served.variant.solution}


def test_nothing_is_due_on_the_day_of_the_lesson_then_items_come_due(client, ada, reviews):
    complete_lesson(client, ada)
    today = get(client, ada, "/reviews/due").json
    assert today == {"count": 0, "next": None}
    assert get(client, ada, "/reviews/summary").json["next_due"] is not None
    move_clock(reviews, days=4)
    due = get(client, ada, "/reviews/due").json
    assert due["count"] > 0 and due["next"]["lesson"]["id"] == LESSON
    assert set(due["next"]) >= {"card_id", "ref", "version", "kind", "question", "variant"}


def test_answering_every_due_item_moves_each_card_on_and_a_second_send_is_a_409(client, ada, reviews):
    complete_lesson(client, ada)
    move_clock(reviews, days=4)
    answered = set()
    kinds = set()
    while (item := get(client, ada, "/reviews/due").json["next"]) is not None:
        body = right_body(reviews, ada, item)
        result = post(client, ada, "/reviews/answer", body)
        assert result.status_code == 200, result.json
        assert result.json["passed"] and result.json["interval_days"] >= 1
        assert result.json["due_after"] > result.json["reviewed_at"]
        again = post(client, ada, "/reviews/answer", body)
        assert again.status_code == 409, again.json
        answered.add(item["card_id"])
        kinds.add(item["kind"])
        assert len(answered) < 50
    assert kinds == {"quiz", "variant"}
    summary = get(client, ada, "/reviews/summary").json
    assert summary["remaining"] == 0 and summary["done_today"] == len(answered)


def next_of_kind(client, who, reviews, kind: str) -> dict:
    """Answer (rightly) the items before the first one of `kind`, and return that one."""
    item = get(client, who, "/reviews/due").json["next"]
    while item["kind"] != kind:
        assert post(client, who, "/reviews/answer", right_body(reviews, who, item)).status_code == 200
        item = get(client, who, "/reviews/due").json["next"]
    return item


def test_a_wrong_quiz_answer_says_why_and_counts_as_failed(client, ada, reviews):
    complete_lesson(client, ada)
    move_clock(reviews, days=4)
    item = next_of_kind(client, ada, reviews, "quiz")
    served = reviews.item(ada.user_id, item["card_id"], item["ref"]).question
    wrong = (served.answer + 1) % len(served.choices)
    result = post(client, ada, "/reviews/answer", {**right_body(reviews, ada, item), "choice": wrong}).json
    assert not result["passed"] and result["rating_name"] == "Again" and result["answer"] == served.answer
    assert result["chosen"] == wrong and result["why_not"] == (served.why_not[wrong] if served.why_not else None)


def test_bad_quiz_answers_are_refused_and_change_nothing(client, ada, reviews):
    complete_lesson(client, ada)
    move_clock(reviews, days=4)
    item = next_of_kind(client, ada, reviews, "quiz")
    body = {"card_id": item["card_id"], "ref": item["ref"], "version": item["version"]}
    assert post(client, ada, "/reviews/answer", body).status_code == 422  # no choice
    assert post(client, ada, "/reviews/answer", {**body, "choice": 99}).status_code == 422
    assert post(client, ada, "/reviews/answer", {**body, "choice": "1"}).status_code == 422  # schema: an integer
    assert post(client, ada, "/reviews/answer", {**body, "code": "print(1)"}).status_code == 404  # not a variant
    stale = post(client, ada, "/reviews/answer", {**right_body(reviews, ada, item), "version": item["version"] + 7})
    assert stale.status_code == 409
    assert post(client, ada, "/reviews/answer", {**body, "choice": 0, "unknown": 1}).status_code == 422
    assert get(client, ada, "/reviews/due").json["next"] == item  # still the same, unanswered


def test_bad_variant_answers_are_refused_and_change_nothing(client, ada, reviews):
    complete_lesson(client, ada)
    move_clock(reviews, days=4)
    item = next_of_kind(client, ada, reviews, "variant")
    body = {"card_id": item["card_id"], "ref": item["ref"], "version": item["version"]}
    assert post(client, ada, "/reviews/answer", {**body, "code": "   "}).status_code == 422
    assert post(client, ada, "/reviews/answer", {**body, "code": "x" * 200_001}).status_code == 422
    assert get(client, ada, "/reviews/due").json["next"] == item


def test_another_learners_card_is_a_404_and_stays_due(app, client, ada, reviews):
    complete_lesson(client, ada)
    move_clock(reviews, days=4)
    item = get(client, ada, "/reviews/due").json["next"]
    grace = other_learner(app)
    assert post(client, grace, "/reviews/answer", right_body(reviews, ada, item)).status_code == 404
    unreadable = {**right_body(reviews, ada, item), "card_id": item["card_id"] + "\udce9"}
    assert post(client, ada, "/reviews/answer", unreadable).status_code == 422  # not text: refused, not a 500
    assert get(client, ada, "/reviews/due").json["next"] == item


def test_the_json_matches_the_review_page(app, client, ada, reviews):
    complete_lesson(client, ada)
    move_clock(reviews, days=4)
    due = get(client, ada, "/reviews/due").json
    summary = get(client, ada, "/reviews/summary").json
    page = on_the_pages(app, ada).get("/review").get_data(as_text=True)
    left = summary["remaining"]
    assert f"{left} item{'s' if left != 1 else ''} left today" in page
    assert due["next"]["lesson"]["title"] in page
    if due["next"]["kind"] == "variant":
        assert due["next"]["variant"]["starter"].strip().splitlines()[0] in page

"""Spaced review for API clients: what is due (the count and the item to answer now), answering it,
and today's summary. The same ReviewService calls as blueprints/reviews.py.

An answer names the item it answers as served (`card_id`, `ref`, `version`): the page carries the
same three in its signed form token. Another learner's card is a 404; an item answered since (a
second send, another device) or not due yet is a 409, and nothing changes.
"""

from __future__ import annotations

from typing import Any

from blueprints.api.framework import endpoint, learner
from blueprints.api.lessons import MAX_CODE, TEST_RESULT
from blueprints.api.schemas import BOOLEAN, INTEGER, OPTIONAL_STRING, OPTIONAL_TIME, STRING, TIME, array, obj, text
from blueprints.deps import service
from services.reviews.service import ReviewItem, ReviewResult, ReviewService, Today

LESSON_REF = obj({"id": STRING, "title": STRING}, closed=False)
ITEM = obj({
    "card_id": STRING, "ref": STRING, "version": INTEGER,
    "kind": {"enum": ["quiz", "variant"], "description": "quiz: choose an answer; variant: solve it again."},
    "card_kind": {"enum": ["concept", "quiz", "variant"]}, "lesson": LESSON_REF,
    "question": {"oneOf": [obj({"question": STRING, "choices": array(STRING)}, closed=False), {"type": "null"}]},
    "variant": {"oneOf": [obj({"title": STRING, "challenge": STRING, "starter": STRING}, closed=False),
                          {"type": "null"}]},
    "hint": {**OPTIONAL_STRING, "description": "The lesson's first hint: if you show it, send helped=true."},
}, closed=False)
SUMMARY_FIELDS = {"remaining": INTEGER, "done_today": INTEGER, "backlog": INTEGER, "next_due": OPTIONAL_TIME,
                  "catching_up": BOOLEAN}
SUMMARY = obj(SUMMARY_FIELDS, closed=False)
DUE = obj({"count": INTEGER, "next": {"oneOf": [ITEM, {"type": "null"}]}}, closed=False)
ANSWER = obj({
    "card_id": text(200, min_length=1), "ref": text(200, min_length=1), "version": {"type": "integer", "minimum": 0},
    "choice": {"type": "integer", "minimum": 0, "maximum": 99, "description": "A quiz item: the chosen index."},
    "code": text(MAX_CODE, description="A variant item: the code to grade."),
    "helped": BOOLEAN, "seconds": {"type": "number", "minimum": 0, "maximum": 86_400},
}, required=("card_id", "ref", "version"))
RESULT = obj({
    "passed": BOOLEAN, "rating": INTEGER, "rating_name": STRING, "reviewed_at": TIME, "due_before": TIME,
    "due_after": TIME, "interval_days": INTEGER, "item": ITEM, "chosen": {"type": ["integer", "null"]},
    "answer": {"type": ["integer", "null"]}, "explanation": OPTIONAL_STRING, "why_not": OPTIONAL_STRING,
    "tests": array(TEST_RESULT, description="A variant item: its graded tests."),
}, closed=False)
ANSWER_ERRORS = (404, 409, 429, 503)  # not the learner's card; answered since or not due; the grader's limits


def reviews() -> ReviewService:
    return service("reviews")


def item_json(item: ReviewItem) -> dict[str, Any]:
    question, variant = item.question, item.variant
    return {
        "card_id": item.card.card_id, "ref": item.ref, "version": item.card.version, "kind": item.kind,
        "card_kind": item.card.kind, "lesson": {"id": item.lesson.id, "title": item.lesson.title},
        "question": None if question is None else {"question": question.question, "choices": list(question.choices)},
        "variant": None if variant is None else {"title": variant.title, "challenge": variant.challenge,
                                                 "starter": variant.starter},
        "hint": item.lesson.hints[0] if item.lesson.hints else None,
    }


def summary_json(today: Today) -> dict[str, Any]:
    return {"remaining": today.remaining, "done_today": today.done_today, "backlog": today.backlog,
            "next_due": today.next_due.isoformat() if today.next_due else None, "catching_up": today.catching_up}


def result_json(result: ReviewResult) -> dict[str, Any]:
    question = result.item.question
    wrong = question is not None and result.chosen is not None and result.chosen != question.answer
    return {
        "passed": result.passed, "rating": result.rating, "rating_name": result.rating_name,
        "reviewed_at": result.reviewed_at.isoformat(), "due_before": result.due_before.isoformat(),
        "due_after": result.due_after.isoformat(), "interval_days": result.interval_days,
        "item": item_json(result.item), "chosen": result.chosen,
        "answer": question.answer if question else None,
        "explanation": question.explanation if question else None,
        "why_not": question.why_not[result.chosen] if wrong and result.chosen < len(question.why_not) else None,
        "tests": result.report.to_dict()["tests"] if result.report else [],
    }


@endpoint("reviews", "/reviews/due", "GET", summary="How many reviews are due, and the one to answer now",
          response=DUE)
def due():
    """`count` is the navigation badge's number (up to the daily cap); `next` is today's first item, or
    null when nothing is left for today."""
    user_id = learner().id
    today = reviews().today(user_id)
    return {"count": reviews().due_count(user_id), "next": item_json(today.items[0]) if today.items else None}


@endpoint("reviews", "/reviews/summary", "GET", summary="Today's review session: left, done, backlog, next due",
          response=SUMMARY)
def summary():
    return summary_json(reviews().today(learner().id))


@endpoint("reviews", "/reviews/answer", "POST", summary="Answer the item served (a choice, or code to grade)",
          request=ANSWER, response=RESULT, errors=ANSWER_ERRORS,
          example={"card_id": "quiz:python-variables#0", "ref": "python-variables#0", "version": 1, "choice": 0})
def answer(body: dict[str, Any]):
    """A quiz item takes `choice`, a variant item `code` (graded like a submission, on its limits). The
    answer is rated from whether it was right, how long it took (`seconds`) and `helped` (the hint
    was shown), and the card's next due date moves."""
    user = learner()
    card_id, ref, version = body["card_id"], body["ref"], body["version"]
    seconds, helped = body.get("seconds"), body.get("helped", False)
    if "code" in body:
        result = reviews().submit_variant(user.id, card_id, ref, version, body["code"].replace("\r\n", "\n"),
                                          verified=user.verified, seconds=seconds, helped=helped)
    else:
        choice = str(body["choice"]) if "choice" in body else ""
        result = reviews().answer_quiz(user.id, card_id, ref, version, choice, seconds=seconds, helped=helped)
    return result_json(result)

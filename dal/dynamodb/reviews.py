"""The reviews side of the DynamoDB store (dal/reviews.py), in the learner's partition:

    card           USER#<uid>   CARD#<card id>                       the card, its version
    due entry      USER#<uid>   DUE#<due>#<card id>                  a copy of the card, by due time
    review log     USER#<uid>   REVLOG#<reviewed>#<review id>
    due summary    USER#<uid>   REVIEWS        GSI1PK REVIEWS_DUE    GSI1SK <earliest due>#<uid>

"What is due" is one strongly consistent Query over DUE#, oldest first; a review replaces the card,
moves its due entry and adds its log in one transaction (conditional on the version read; a retry
of the same review finds its own id on the card). The summary puts learners with cards on GSI1 by
their earliest due time, so the reminder job pages through who is due without scanning.
Deleting the learner deletes all of it (everything sits in USER#<uid>).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dal.dynamodb import keys
from dal.dynamodb.errors import TransactionCanceled
from dal.dynamodb.schema import USER_INDEX
from dal.dynamodb.table import Table, deserialize, serialize
from dal.encoding import from_iso, optional_from_iso, optional_iso, to_iso
from dal.reviews import ReviewCard, ReviewLog

CARD_PREFIX = "CARD#"
DUE_PREFIX = "DUE#"
LOG_PREFIX = "REVLOG#"
SUMMARY_SK = "REVIEWS"
DUE_INDEX_PARTITION = "REVIEWS_DUE"
_INDEX_PAGE_KEY = ("PK", "SK", "GSI1PK", "GSI1SK")


class ReviewRecords:
    _table: Table

    def add_review_cards(self, cards: list[ReviewCard]) -> int:
        if len({c.user_id for c in cards}) > 1:
            raise ValueError("add_review_cards stores the cards of one learner")
        added = 0
        for c in cards:  # a card and its due entry together, only if the card is new
            stored = _card_item(_with_version(c, 1))
            try:
                self._table.call("transact_write_items", TransactItems=[
                    {"Put": {"TableName": self._table.name, "Item": serialize(stored),
                             "ConditionExpression": "attribute_not_exists(PK)"}},
                    {"Put": {"TableName": self._table.name, "Item": serialize(_due_item(stored))}},
                ])
                added += 1
            except TransactionCanceled as exc:
                if "ConditionalCheckFailed" not in exc.reasons:
                    raise
        if cards:
            self._update_summary(cards[0].user_id)
        return added

    def get_review_card(self, user_id: str, card_id: str) -> ReviewCard | None:
        item = self._table.get(_card_key(user_id, card_id))
        return _card(item) if item else None

    def list_due_cards(self, user_id: str, until: datetime, limit: int) -> list[ReviewCard]:
        response = self._table.call(
            "query", TableName=self._table.name, KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues=serialize({":pk": keys.user_partition(user_id), ":low": DUE_PREFIX,
                                                 ":high": f"{DUE_PREFIX}{to_iso(until)}#\uffff"}),
            ConsistentRead=True, Limit=limit)
        return [_card(deserialize(item)) for item in response.get("Items", [])]

    def next_due_card(self, user_id: str) -> ReviewCard | None:
        found = self.list_due_cards(user_id, datetime.max.replace(year=9999), 1)
        return found[0] if found else None

    def count_due_cards(self, user_id: str, until: datetime, limit: int) -> int:
        response = self._table.call(
            "query", TableName=self._table.name, KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues=serialize({":pk": keys.user_partition(user_id), ":low": DUE_PREFIX,
                                                 ":high": f"{DUE_PREFIX}{to_iso(until)}#\uffff"}),
            ConsistentRead=True, Limit=limit, Select="COUNT")
        return int(response.get("Count", 0))

    def record_review(self, card: ReviewCard, log: ReviewLog) -> bool:
        if card.last_review_id != log.review_id or card.user_id != log.user_id or card.card_id != log.card_id:
            raise ValueError("the card's last_review_id must be the log's review_id")
        stored = self._table.get(_card_key(card.user_id, card.card_id))
        if stored is None:
            return False
        if stored.get("lastReviewId") == log.review_id:
            return True  # this very review was written before (a retry)
        if int(stored["version"]) != card.version:
            return False
        new = _card_item(_with_version(card, card.version + 1))
        writes = [
            {"Put": {"TableName": self._table.name, "Item": serialize(new),
                     "ConditionExpression": "#version = :version",
                     "ExpressionAttributeNames": {"#version": "version"},
                     "ExpressionAttributeValues": serialize({":version": card.version})}},
            {"Put": {"TableName": self._table.name, "Item": serialize(_due_item(new))}},
            {"Put": {"TableName": self._table.name, "Item": serialize(_log_item(log)),
                     "ConditionExpression": "attribute_not_exists(PK)"}},
        ]
        old_due = _due_key(card.user_id, card.card_id, stored["due"])
        if old_due["SK"] != _due_item(new)["SK"]:
            writes.append({"Delete": {"TableName": self._table.name, "Key": serialize(old_due)}})
        try:  # botocore gives the transaction a client request token: its own resend is not a conflict
            self._table.call("transact_write_items", TransactItems=writes)
        except TransactionCanceled as exc:
            if not any(r in ("ConditionalCheckFailed", "TransactionConflict") for r in exc.reasons):
                raise
            again = self._table.get(_card_key(card.user_id, card.card_id))
            return bool(again and again.get("lastReviewId") == log.review_id)
        self._update_summary(card.user_id)
        return True

    def list_review_logs(self, user_id: str, limit: int = 50) -> list[ReviewLog]:
        response = self._table.call(
            "query", TableName=self._table.name, KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues=serialize({":pk": keys.user_partition(user_id), ":prefix": LOG_PREFIX}),
            ConsistentRead=True, ScanIndexForward=False, Limit=limit)
        return [_log(deserialize(item)) for item in response.get("Items", [])]

    def list_due_learners(self, until: datetime, limit: int = 100,
                          cursor: str | None = None) -> tuple[list[tuple[str, datetime]], str | None]:
        found, next_cursor = self._table.query_page(
            limit, cursor, _INDEX_PAGE_KEY, "GSI1PK = :pk AND GSI1SK <= :until",
            {":pk": DUE_INDEX_PARTITION, ":until": f"{to_iso(until)}#\uffff"}, IndexName=USER_INDEX,
        )
        return [(item["userId"], from_iso(item["earliestDue"])) for item in found], next_cursor

    def _update_summary(self, user_id: str) -> None:
        """The learner's earliest due time on the cross-learner index (what reminders page through)."""
        first = self.next_due_card(user_id)
        if first is None:
            return
        due = to_iso(first.due)
        self._table.put({"PK": keys.user_partition(user_id), "SK": SUMMARY_SK, "GSI1PK": DUE_INDEX_PARTITION,
                         "GSI1SK": f"{due}#{user_id}", "userId": user_id, "earliestDue": due})


def _with_version(card: ReviewCard, version: int) -> ReviewCard:
    return ReviewCard(**{**card.__dict__, "version": version})


def _card_key(user_id: str, card_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": CARD_PREFIX + card_id}


def _due_key(user_id: str, card_id: str, due_iso: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": f"{DUE_PREFIX}{due_iso}#{card_id}"}


def _card_item(card: ReviewCard) -> dict[str, Any]:
    return {
        **_card_key(card.user_id, card.card_id), "userId": card.user_id, "cardId": card.card_id,
        "kind": card.kind, "lessonId": card.lesson_id, "due": to_iso(card.due),
        "scheduler": json.dumps(card.scheduler), "reps": card.reps, "lapses": card.lapses,
        "lastRating": card.last_rating, "lastReviewId": card.last_review_id,
        "createdAt": optional_iso(card.created_at) or "", "version": card.version,
    }


def _due_item(card_item: dict[str, Any]) -> dict[str, Any]:
    return {**card_item, **_due_key(card_item["userId"], card_item["cardId"], card_item["due"])}


def _card(item: dict[str, Any]) -> ReviewCard:
    return ReviewCard(
        user_id=item["userId"], card_id=item["cardId"], kind=item["kind"], lesson_id=item["lessonId"],
        due=from_iso(item["due"]), scheduler=json.loads(item["scheduler"]), reps=int(item["reps"]),
        lapses=int(item["lapses"]), last_rating=int(item["lastRating"]), last_review_id=item["lastReviewId"],
        created_at=optional_from_iso(item.get("createdAt") or None), version=int(item["version"]),
    )


def _log_item(log: ReviewLog) -> dict[str, Any]:
    return {
        "PK": keys.user_partition(log.user_id), "SK": f"{LOG_PREFIX}{to_iso(log.reviewed_at)}#{log.review_id}",
        "userId": log.user_id, "reviewId": log.review_id, "cardId": log.card_id, "rating": log.rating,
        "reviewedAt": to_iso(log.reviewed_at), "dueBefore": to_iso(log.due_before),
        "dueAfter": to_iso(log.due_after), "item": log.item, "detail": json.dumps(log.detail),
    }


def _log(item: dict[str, Any]) -> ReviewLog:
    return ReviewLog(
        user_id=item["userId"], review_id=item["reviewId"], card_id=item["cardId"], rating=int(item["rating"]),
        reviewed_at=from_iso(item["reviewedAt"]), due_before=from_iso(item["dueBefore"]),
        due_after=from_iso(item["dueAfter"]), item=item["item"], detail=json.loads(item["detail"]),
    )

"""The tutor side of the DynamoDB store (dal/tutor.py), in the learner's partition:

    mastery        USER#<uid>   MASTERY#<concept>
    quiz attempt   USER#<uid>   QUIZ#<attempt id>
    quiz record    USER#<uid>   QUIZREC#<quiz key>

so the skill page reads every mastery with one query, and deleting the learner deletes them all.
Estimates and histories are JSON text (no float meets boto3's Decimal-only serialiser).
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

from dal.dynamodb import keys
from dal.dynamodb.errors import ConditionFailed, TransactionCanceled
from dal.dynamodb.table import Table, serialize
from dal.encoding import from_iso, history_from_json, history_to_json, optional_from_iso, optional_iso, to_iso
from dal.tutor import Mastery, QuizAttempt, QuizRecord

MASTERY_PREFIX = "MASTERY#"
QUIZ_PREFIX = "QUIZ#"
QUIZ_RECORD_PREFIX = "QUIZREC#"
MAX_MASTERY_READ = 100
MAX_MASTERY_WRITE = 25


class TutorRecords:
    _table: Table

    # --- mastery ---------------------------------------------------------------------------
    def list_masteries(self, user_id: str) -> list[Mastery]:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": MASTERY_PREFIX}, ConsistentRead=True,
        )
        return sorted((_mastery(item) for item in found), key=lambda m: m.concept_id)

    def get_skill_records(self, user_id: str) -> tuple[list[Mastery], list[Any]]:
        """The masteries and the lesson records: the learner records' one query over MASTERY# ..
        PROGRESS# (dal/dynamodb/progress.py), whose few progress-area items are left out here."""
        records = self.get_learner_records(user_id)  # type: ignore[attr-defined]
        return records.masteries, records.progress

    def get_masteries(self, user_id: str, concept_ids: list[str]) -> dict[str, Mastery]:
        if len(concept_ids) > MAX_MASTERY_READ:
            raise ValueError(f"get_masteries reads at most {MAX_MASTERY_READ} concepts")
        if not concept_ids:
            return {}
        found = self._table.batch_get([_mastery_key(user_id, c) for c in dict.fromkeys(concept_ids)])
        return {m.concept_id: m for m in map(_mastery, found)}

    def save_masteries(self, masteries: list[Mastery]) -> bool:
        if len(masteries) > MAX_MASTERY_WRITE or len({m.user_id for m in masteries}) > 1:
            raise ValueError(f"save_masteries writes at most {MAX_MASTERY_WRITE} masteries of one learner")
        if not masteries:
            return True
        writes = []
        for m in masteries:
            item = {**_mastery_key(m.user_id, m.concept_id), "userId": m.user_id, "conceptId": m.concept_id,
                    "data": _mastery_data(m), "version": m.version + 1}
            put: dict[str, Any] = {"TableName": self._table.name, "Item": serialize(item)}
            if m.version == 0:
                put["ConditionExpression"] = "attribute_not_exists(PK)"
            else:
                put["ConditionExpression"] = "#version = :version"
                put["ExpressionAttributeNames"] = {"#version": "version"}
                put["ExpressionAttributeValues"] = serialize({":version": m.version})
            writes.append({"Put": put})
        try:  # botocore gives the transaction a client request token: its own retry is not a conflict
            self._table.call("transact_write_items", TransactItems=writes)
        except TransactionCanceled as exc:
            if any(reason in ("ConditionalCheckFailed", "TransactionConflict") for reason in exc.reasons):
                return False
            raise
        return True

    # --- quizzes ---------------------------------------------------------------------------
    def create_quiz_attempt(self, attempt: QuizAttempt) -> None:
        self._table.put({**_attempt_key(attempt.user_id, attempt.id), **_attempt_attributes(attempt), "step": ""},
                        condition="attribute_not_exists(PK)")

    def get_quiz_attempt(self, user_id: str, attempt_id: str) -> QuizAttempt | None:
        item = self._table.get(_attempt_key(user_id, attempt_id))
        return _attempt(item) if item else None

    def save_quiz_step(self, attempt: QuizAttempt, answered_before: int, step: str) -> bool:
        attributes = _attempt_attributes(attempt)
        names = {f"#{name}": name for name in attributes}
        values = {f":{name}": value for name, value in attributes.items()}
        try:
            self._table.update(
                _attempt_key(attempt.user_id, attempt.id),
                "SET " + ", ".join(f"#{name} = :{name}" for name in attributes) + ", #step = :step",
                # A resent step (botocore's retry of this very call) finds its own marker and succeeds.
                condition="attribute_exists(PK) AND ((attribute_not_exists(#submitted) AND #was = :before)"
                          " OR #step = :step)",
                names={**names, "#step": "step", "#submitted": "submittedAt", "#was": "answered"},
                values={**values, ":step": step, ":before": answered_before},
                return_values="NONE",
            )
        except ConditionFailed:
            return False
        return True

    def record_quiz_result(self, user_id: str, quiz_key: str, attempt_id: str, score: int, total: int,
                           at: datetime) -> QuizRecord:
        key = {"PK": keys.user_partition(user_id), "SK": QUIZ_RECORD_PREFIX + quiz_key}
        with contextlib.suppress(ConditionFailed):  # this attempt is already counted (a retry)
            self._table.update(
                key,
                "ADD #attempts :one SET #user = :user, #quiz = :quiz, #last = :score, #total = :total,"
                " #at = :at, #attempt = :attempt, #best = if_not_exists(#best, :zero)",
                condition="attribute_not_exists(#attempt) OR #attempt <> :attempt",
                names={"#attempts": "attempts", "#user": "userId", "#quiz": "quizKey", "#last": "lastScore",
                       "#total": "total", "#at": "lastAt", "#attempt": "lastAttempt", "#best": "bestScore"},
                values={":one": 1, ":user": user_id, ":quiz": quiz_key, ":score": score, ":total": total,
                        ":at": to_iso(at), ":attempt": attempt_id, ":zero": 0},
                return_values="NONE",
            )
        with contextlib.suppress(ConditionFailed):  # the best score only ever rises
            self._table.update(key, "SET #best = :score", condition="#best < :score",
                               names={"#best": "bestScore"}, values={":score": score}, return_values="NONE")
        item = self._table.get(key)
        return _record(item or {"userId": user_id, "quizKey": quiz_key})

    def list_quiz_records(self, user_id: str) -> dict[str, QuizRecord]:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": QUIZ_RECORD_PREFIX}, ConsistentRead=True,
        )
        return {record.quiz_key: record for record in map(_record, found)}


def _mastery_key(user_id: str, concept_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": MASTERY_PREFIX + concept_id}


def _attempt_key(user_id: str, attempt_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": QUIZ_PREFIX + attempt_id}


def _mastery_data(m: Mastery) -> str:
    return json.dumps({"p": m.p_known, "evidence": m.evidence, "recent": m.recent, "source": m.source,
                       "updatedAt": optional_iso(m.updated_at),
                       "history": history_to_json(m.history)})


def _mastery(item: dict[str, Any]) -> Mastery:
    data = json.loads(item["data"])
    return Mastery(
        user_id=item["userId"], concept_id=item["conceptId"], p_known=float(data["p"]),
        evidence=int(data["evidence"]), recent=data["recent"],
        history=history_from_json(data["history"]),
        updated_at=optional_from_iso(data["updatedAt"]), source=data["source"], version=int(item["version"]),
    )


def _attempt_attributes(attempt: QuizAttempt) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "userId": attempt.user_id, "attemptId": attempt.id, "quizKey": attempt.quiz_key,
        "questions": json.dumps(attempt.questions), "answers": json.dumps(attempt.answers),
        "answered": len(attempt.answers), "score": attempt.score, "state": json.dumps(attempt.state),
        "createdAt": to_iso(attempt.created_at),
    }
    if attempt.submitted_at is not None:
        attributes["submittedAt"] = to_iso(attempt.submitted_at)
    return attributes


def _attempt(item: dict[str, Any]) -> QuizAttempt:
    return QuizAttempt(
        user_id=item["userId"], id=item["attemptId"], quiz_key=item["quizKey"],
        questions=json.loads(item["questions"]), created_at=from_iso(item["createdAt"]),
        answers=json.loads(item["answers"]), score=int(item["score"]),
        submitted_at=optional_from_iso(item.get("submittedAt")), state=json.loads(item["state"]),
    )


def _record(item: dict[str, Any]) -> QuizRecord:
    return QuizRecord(
        user_id=item["userId"], quiz_key=item["quizKey"], attempts=int(item.get("attempts", 0)),
        best_score=int(item.get("bestScore", 0)), last_score=int(item.get("lastScore", 0)),
        total=int(item.get("total", 0)), last_at=optional_from_iso(item.get("lastAt")),
    )

"""The tutor side of the SQLite store (dal/tutor.py): masteries, quiz attempts and quiz records."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dal.encoding import from_iso, history_from_json, history_to_json, optional_from_iso, optional_iso, to_iso
from dal.sqlite.connections import write_transaction
from dal.tutor import Mastery, QuizAttempt, QuizRecord

MAX_MASTERY_READ = 100
MAX_MASTERY_WRITE = 25


class TutorRecords:
    _run: Callable[..., list[sqlite3.Row]]
    _connections: Any

    # --- mastery ---------------------------------------------------------------------------
    def list_masteries(self, user_id: str) -> list[Mastery]:
        found = self._run("SELECT * FROM masteries WHERE user_id = ? ORDER BY concept_id", (user_id,))
        return [_mastery(row) for row in found]

    def get_masteries(self, user_id: str, concept_ids: list[str]) -> dict[str, Mastery]:
        if len(concept_ids) > MAX_MASTERY_READ:
            raise ValueError(f"get_masteries reads at most {MAX_MASTERY_READ} concepts")
        if not concept_ids:
            return {}
        marks = ", ".join("?" for _ in concept_ids)
        found = self._run(f"SELECT * FROM masteries WHERE user_id = ? AND concept_id IN ({marks})",  # noqa: S608 - placeholders only
                          (user_id, *concept_ids))
        return {row["concept_id"]: _mastery(row) for row in found}

    def save_masteries(self, masteries: list[Mastery]) -> bool:
        if len(masteries) > MAX_MASTERY_WRITE or len({m.user_id for m in masteries}) > 1:
            raise ValueError(f"save_masteries writes at most {MAX_MASTERY_WRITE} masteries of one learner")
        with write_transaction(self._connections.get()) as connection:
            for m in masteries:
                values = (m.p_known, m.evidence, m.recent, _history(m), optional_iso(m.updated_at), m.source,
                          m.version + 1)
                if m.version == 0:
                    written = connection.execute(
                        "INSERT INTO masteries (p_known, evidence, recent, history, updated_at, source, version,"
                        " user_id, concept_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        (*values, m.user_id, m.concept_id)).rowcount
                else:
                    written = connection.execute(
                        "UPDATE masteries SET p_known = ?, evidence = ?, recent = ?, history = ?, updated_at = ?,"
                        " source = ?, version = ? WHERE user_id = ? AND concept_id = ? AND version = ?",
                        (*values, m.user_id, m.concept_id, m.version)).rowcount
                if written != 1:
                    connection.execute("ROLLBACK")
                    return False
        return True

    # --- quizzes ---------------------------------------------------------------------------
    def create_quiz_attempt(self, attempt: QuizAttempt) -> None:
        self._run(
            "INSERT INTO quiz_attempts (user_id, id, quiz_key, questions, answers, answered, score, state,"
            " created_at, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (attempt.user_id, attempt.id, attempt.quiz_key, json.dumps(attempt.questions),
             json.dumps(attempt.answers), len(attempt.answers), attempt.score, json.dumps(attempt.state),
             to_iso(attempt.created_at), optional_iso(attempt.submitted_at)),
        )

    def get_quiz_attempt(self, user_id: str, attempt_id: str) -> QuizAttempt | None:
        found = self._run("SELECT * FROM quiz_attempts WHERE user_id = ? AND id = ?", (user_id, attempt_id))
        return _attempt(found[0]) if found else None

    def save_quiz_step(self, attempt: QuizAttempt, answered_before: int, step: str) -> bool:
        found = self._run(
            "UPDATE quiz_attempts SET questions = ?, answers = ?, answered = ?, score = ?, state = ?,"
            " submitted_at = ?, step = ? WHERE user_id = ? AND id = ? AND submitted_at IS NULL AND answered = ?"
            " RETURNING 1",
            (json.dumps(attempt.questions), json.dumps(attempt.answers), len(attempt.answers), attempt.score,
             json.dumps(attempt.state), optional_iso(attempt.submitted_at), step, attempt.user_id, attempt.id,
             answered_before),
        )
        return bool(found)

    def record_quiz_result(self, user_id: str, quiz_key: str, attempt_id: str, score: int, total: int,
                           at: datetime) -> QuizRecord:
        self._run(
            "INSERT INTO quiz_records (user_id, quiz_key, attempts, best_score, last_score, total, last_at,"
            " last_attempt) VALUES (:user, :key, 1, :score, :score, :total, :at, :attempt)"
            " ON CONFLICT (user_id, quiz_key) DO UPDATE SET attempts = quiz_records.attempts + 1,"
            "  best_score = MAX(quiz_records.best_score, :score), last_score = :score, total = :total,"
            "  last_at = :at, last_attempt = :attempt"
            " WHERE quiz_records.last_attempt <> :attempt",
            {"user": user_id, "key": quiz_key, "score": score, "total": total, "at": to_iso(at), "attempt": attempt_id},
        )
        found = self._run("SELECT * FROM quiz_records WHERE user_id = ? AND quiz_key = ?", (user_id, quiz_key))
        return _record(found[0])

    def list_quiz_records(self, user_id: str) -> dict[str, QuizRecord]:
        found = self._run("SELECT * FROM quiz_records WHERE user_id = ?", (user_id,))
        return {row["quiz_key"]: _record(row) for row in found}


def _history(mastery: Mastery) -> str:
    return json.dumps(history_to_json(mastery.history))


def _mastery(row: sqlite3.Row) -> Mastery:
    return Mastery(
        user_id=row["user_id"], concept_id=row["concept_id"], p_known=float(row["p_known"]),
        evidence=int(row["evidence"]), recent=row["recent"],
        history=history_from_json(json.loads(row["history"])),
        updated_at=optional_from_iso(row["updated_at"]), source=row["source"], version=int(row["version"]),
    )


def _attempt(row: sqlite3.Row) -> QuizAttempt:
    return QuizAttempt(
        user_id=row["user_id"], id=row["id"], quiz_key=row["quiz_key"], questions=json.loads(row["questions"]),
        created_at=from_iso(row["created_at"]), answers=json.loads(row["answers"]), score=int(row["score"]),
        submitted_at=optional_from_iso(row["submitted_at"]), state=json.loads(row["state"]),
    )


def _record(row: sqlite3.Row) -> QuizRecord:
    return QuizRecord(
        user_id=row["user_id"], quiz_key=row["quiz_key"], attempts=int(row["attempts"]),
        best_score=int(row["best_score"]), last_score=int(row["last_score"]), total=int(row["total"]),
        last_at=optional_from_iso(row["last_at"]),
    )

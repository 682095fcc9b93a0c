"""The reviews side of the SQLite store (dal/reviews.py): cards (indexed by learner x due time) and
review logs, written together in one transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dal.encoding import (
    check_page_limit,
    decode_cursor,
    encode_cursor,
    from_iso,
    optional_from_iso,
    optional_iso,
    to_iso,
)
from dal.reviews import ReviewCard, ReviewLog
from dal.sqlite.connections import write_transaction


class ReviewRecords:
    _run: Callable[..., list[sqlite3.Row]]
    _connections: Any

    def add_review_cards(self, cards: list[ReviewCard]) -> int:
        if len({c.user_id for c in cards}) > 1:
            raise ValueError("add_review_cards stores the cards of one learner")
        added = 0
        with write_transaction(self._connections.get()) as connection:
            for c in cards:
                added += connection.execute(
                    "INSERT INTO review_cards (user_id, card_id, kind, lesson_id, due, scheduler, reps, lapses,"
                    " last_rating, last_review_id, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"
                    " ON CONFLICT DO NOTHING",
                    (c.user_id, c.card_id, c.kind, c.lesson_id, to_iso(c.due), json.dumps(c.scheduler), c.reps,
                     c.lapses, c.last_rating, c.last_review_id, optional_iso(c.created_at)),
                ).rowcount
        return added

    def get_review_card(self, user_id: str, card_id: str) -> ReviewCard | None:
        found = self._run("SELECT * FROM review_cards WHERE user_id = ? AND card_id = ?", (user_id, card_id))
        return _card(found[0]) if found else None

    def list_due_cards(self, user_id: str, until: datetime, limit: int) -> list[ReviewCard]:
        found = self._run("SELECT * FROM review_cards WHERE user_id = ? AND due <= ? ORDER BY due, card_id LIMIT ?",
                          (user_id, to_iso(until), limit))
        return [_card(row) for row in found]

    def next_due_card(self, user_id: str) -> ReviewCard | None:
        found = self._run("SELECT * FROM review_cards WHERE user_id = ? ORDER BY due, card_id LIMIT 1", (user_id,))
        return _card(found[0]) if found else None

    def count_due_cards(self, user_id: str, until: datetime, limit: int) -> int:
        found = self._run("SELECT COUNT(*) AS n FROM (SELECT 1 FROM review_cards WHERE user_id = ? AND due <= ?"
                          " LIMIT ?)", (user_id, to_iso(until), limit))
        return int(found[0]["n"])

    def record_review(self, card: ReviewCard, log: ReviewLog) -> bool:
        if card.last_review_id != log.review_id or card.user_id != log.user_id or card.card_id != log.card_id:
            raise ValueError("the card's last_review_id must be the log's review_id")
        with write_transaction(self._connections.get()) as connection:
            done = connection.execute("SELECT 1 FROM review_logs WHERE user_id = ? AND review_id = ?",
                                      (log.user_id, log.review_id)).fetchone()
            if done:  # this very review was written before (a retry)
                connection.execute("ROLLBACK")
                return True
            written = connection.execute(
                "UPDATE review_cards SET due = ?, scheduler = ?, reps = ?, lapses = ?, last_rating = ?,"
                " last_review_id = ?, version = version + 1 WHERE user_id = ? AND card_id = ? AND version = ?",
                (to_iso(card.due), json.dumps(card.scheduler), card.reps, card.lapses, card.last_rating,
                 card.last_review_id, card.user_id, card.card_id, card.version)).rowcount
            if written != 1:
                connection.execute("ROLLBACK")
                return False
            connection.execute(
                "INSERT INTO review_logs (user_id, review_id, card_id, rating, reviewed_at, due_before, due_after,"
                " item, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (log.user_id, log.review_id, log.card_id, log.rating, to_iso(log.reviewed_at),
                 to_iso(log.due_before), to_iso(log.due_after), log.item, json.dumps(log.detail)))
        return True

    def list_review_logs(self, user_id: str, limit: int = 50) -> list[ReviewLog]:
        found = self._run("SELECT * FROM review_logs WHERE user_id = ? ORDER BY reviewed_at DESC, review_id DESC"
                          " LIMIT ?", (user_id, limit))
        return [_log(row) for row in found]

    def list_due_learners(self, until: datetime, limit: int = 100,
                          cursor: str | None = None) -> tuple[list[tuple[str, datetime]], str | None]:
        check_page_limit(limit)
        after = decode_cursor(cursor)["user"] if cursor else ""
        # The (user_id, due) index answers this in user order: MIN(due) is its first entry per learner.
        found = self._run(
            "SELECT user_id, MIN(due) AS due FROM review_cards WHERE user_id > ? GROUP BY user_id"
            " HAVING MIN(due) <= ? ORDER BY user_id LIMIT ?", (after, to_iso(until), limit + 1))
        items = [(row["user_id"], from_iso(row["due"])) for row in found]
        if len(items) <= limit:
            return items, None
        return items[:limit], encode_cursor({"user": items[limit - 1][0]})


def _card(row: sqlite3.Row) -> ReviewCard:
    return ReviewCard(
        user_id=row["user_id"], card_id=row["card_id"], kind=row["kind"], lesson_id=row["lesson_id"],
        due=from_iso(row["due"]), scheduler=json.loads(row["scheduler"]), reps=int(row["reps"]),
        lapses=int(row["lapses"]), last_rating=int(row["last_rating"]), last_review_id=row["last_review_id"],
        created_at=optional_from_iso(row["created_at"]), version=int(row["version"]),
    )


def _log(row: sqlite3.Row) -> ReviewLog:
    return ReviewLog(
        user_id=row["user_id"], review_id=row["review_id"], card_id=row["card_id"], rating=int(row["rating"]),
        reviewed_at=from_iso(row["reviewed_at"]), due_before=from_iso(row["due_before"]),
        due_after=from_iso(row["due_after"]), item=row["item"], detail=json.loads(row["detail"]),
    )

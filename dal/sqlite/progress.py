"""The progress side of the SQLite store (dal/progress.py): activity hours, summaries, achievements,
and every row of a learner for the data export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dal.base import EmailTaken
from dal.encoding import from_iso, optional_from_iso, to_iso
from dal.progress import ActivityHour, ProgressSummary
from dal.sqlite.connections import write_transaction

_HOUR_FORMAT = "%Y-%m-%dT%H"


class ProgressRecords:
    _run: Callable[..., list[sqlite3.Row]]
    _connections: Any

    def note_activity(self, user_id: str, at: datetime,
                      counts: dict[str, int]) -> tuple[ProgressSummary, datetime | None]:
        # Read and write under one lock: concurrent events add up.
        with write_transaction(self._connections.get()) as connection:
            found = connection.execute("SELECT * FROM progress_summaries WHERE user_id = ?", (user_id,)).fetchall()
            before = _summary(found[0]) if found else ProgressSummary(user_id)
            merged = dict(before.counts)
            for name, amount in counts.items():
                merged[name] = merged.get(name, 0) + amount
            first = min(before.first_event_at or at, at)
            last = max(before.last_event_at or at, at)
            connection.execute(
                "INSERT INTO progress_summaries (user_id, counts, first_event_at, last_event_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET counts = excluded.counts,"
                " first_event_at = excluded.first_event_at, last_event_at = excluded.last_event_at",
                (user_id, json.dumps(merged), to_iso(first), to_iso(last)),
            )
        return ProgressSummary(user_id, merged, first, last), before.last_event_at

    def add_activity_hour(self, user_id: str, hour: datetime, events: int, seconds: int) -> None:
        self._run(
            "INSERT INTO activity_hours (user_id, hour, events, seconds) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, hour) DO UPDATE SET events = events + excluded.events,"
            " seconds = seconds + excluded.seconds",
            (user_id, hour.strftime(_HOUR_FORMAT), events, seconds),
        )

    def list_activity_hours(self, user_id: str, since: datetime | None = None) -> list[ActivityHour]:
        start = since.strftime(_HOUR_FORMAT) if since is not None else ""
        found = self._run("SELECT hour, events, seconds FROM activity_hours WHERE user_id = ? AND hour >= ?"
                          " ORDER BY hour", (user_id, start))
        return [ActivityHour(from_iso(row["hour"] + ":00:00+00:00"), int(row["events"]), int(row["seconds"]))
                for row in found]

    def get_progress_summary(self, user_id: str) -> ProgressSummary | None:
        found = self._run("SELECT * FROM progress_summaries WHERE user_id = ?", (user_id,))
        return _summary(found[0]) if found else None

    def reset_progress_aggregates(self, user_id: str) -> None:
        self._run("DELETE FROM progress_summaries WHERE user_id = ?", (user_id,))
        self._run("DELETE FROM activity_hours WHERE user_id = ?", (user_id,))

    def award_achievement(self, user_id: str, achievement_id: str, at: datetime) -> bool:
        stored = self._run("INSERT INTO achievements (user_id, achievement_id, earned_at) VALUES (?, ?, ?)"
                           " ON CONFLICT DO NOTHING RETURNING 1", (user_id, achievement_id, to_iso(at)))
        return bool(stored)

    def list_achievements(self, user_id: str) -> dict[str, datetime]:
        found = self._run("SELECT achievement_id, earned_at FROM achievements WHERE user_id = ?", (user_id,))
        return {row["achievement_id"]: from_iso(row["earned_at"]) for row in found}

    def erase_user(self, user_id: str) -> None:
        # Freed pages are zeroed (secure_delete) and the WAL is folded into the database and emptied,
        # so neither file keeps the learner's rows.
        self._run("PRAGMA secure_delete = ON")
        try:
            self._run("DELETE FROM counters WHERE instr(key, ?) > 0", (user_id,))
            self._run("DELETE FROM users WHERE id = ?", (user_id,))
        finally:
            self._run("PRAGMA secure_delete = OFF")
        self._run("PRAGMA wal_checkpoint(TRUNCATE)")

    def change_email(self, user_id: str, old_email: str, new_email: str) -> bool:
        try:
            changed = self._connections.get().execute(
                "UPDATE users SET email = ? WHERE id = ? AND email = ? RETURNING 1", (new_email, user_id, old_email),
            ).fetchall()
        except sqlite3.IntegrityError as error:  # the UNIQUE email decides races between accounts
            raise EmailTaken(new_email) from error
        return bool(changed)

    def user_items(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        # Every table with a user_id column holds the learner's rows: a new area's table is included
        # without editing this (the deletion test checks the same way).
        out: dict[str, list[dict[str, Any]]] = {
            "users": [dict(row) for row in self._run("SELECT * FROM users WHERE id = ?", (user_id,))]}
        for table in self._run("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            name = table["name"]
            columns = {column["name"] for column in self._run(f"PRAGMA table_info({name})")}
            if "user_id" in columns:
                out[name] = [dict(row) for row in self._run(f"SELECT * FROM {name} WHERE user_id = ?", (user_id,))]  # noqa: S608 - table names from sqlite_master
        return out


def _summary(row: sqlite3.Row) -> ProgressSummary:
    return ProgressSummary(row["user_id"], json.loads(row["counts"]), optional_from_iso(row["first_event_at"]),
                           optional_from_iso(row["last_event_at"]))

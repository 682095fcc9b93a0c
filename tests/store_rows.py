"""What the test app's SQLite store holds, for checks that a request changed nothing (CSRF, another
learner's ids): every row as SQL text, and the text values of a learner's rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


def database(app) -> Path:
    return Path(app.config["SQLITE_PATH"] or Path(app.instance_path) / "codelearn.sqlite3")


def store_rows(app, user_id: str | None = None) -> list[str]:
    """Every row of the store (or only those holding `user_id`), as SQL text, in dump order."""
    with sqlite3.connect(database(app)) as connection:
        rows = [line for line in connection.iterdump() if not line.startswith(("BEGIN", "COMMIT"))]
    return [row for row in rows if user_id is None or user_id in row]


def owned_values(app, user_id: str, keep: Callable[[str], bool] = lambda value: True) -> set[str]:
    """Every short text value (ids, tokens, names) in the rows of tables keyed by user_id that belong
    to the learner, the learner's id itself left out; `keep` narrows them further."""
    values: set[str] = set()
    with sqlite3.connect(database(app)) as connection:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [c[1] for c in connection.execute(f"PRAGMA table_info({table})")]
            if "user_id" not in columns:
                continue
            for row in connection.execute(f"SELECT * FROM {table} WHERE user_id = ?", (user_id,)):  # noqa: S608
                values.update(v for v in row if isinstance(v, str) and v != user_id and 0 < len(v) <= 128
                              and keep(v))
    return values

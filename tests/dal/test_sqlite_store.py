"""SQLite-only behaviour: migrations, connection settings, several threads and processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

from dal.base import NotFound, Session, StoreUnavailable
from dal.sqlite import SqliteStore
from dal.sqlite.connections import open_connection
from dal.sqlite.migrations import MIGRATIONS, apply_migrations
from tests.dal.dynamodb_local import PROJECT_ROOT
from tests.dal.helpers import new_user


@pytest.fixture
def database(tmp_path):
    return str(tmp_path / "codelearn.db")


@pytest.fixture
def sqlite_store(database):
    store = SqliteStore(database)
    store.init_schema()
    yield store
    store.close()


def _applied(database: str) -> list[int]:
    with sqlite3.connect(database) as connection:
        numbers = [number for (number,) in connection.execute("SELECT number FROM schema_migrations ORDER BY 1")]
    connection.close()
    return numbers


def test_init_schema_records_every_migration_once(sqlite_store, database):
    sqlite_store.init_schema()
    sqlite_store.init_schema()
    assert _applied(database) == [number for number, _ in MIGRATIONS]


def test_migrations_are_numbered_in_order():
    numbers = [number for number, _ in MIGRATIONS]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1


def test_only_missing_migrations_run(sqlite_store, database):
    connection = open_connection(database)
    try:
        later = [*MIGRATIONS, (len(MIGRATIONS) + 1, "CREATE TABLE quiz_scores (id TEXT PRIMARY KEY);")]
        assert apply_migrations(connection, later) == [len(MIGRATIONS) + 1]
        assert apply_migrations(connection, later) == []
    finally:
        connection.close()
    assert _applied(database)[-1] == len(MIGRATIONS) + 1


def test_failed_migration_leaves_nothing_behind(sqlite_store, database):
    connection = open_connection(database)
    broken = [*MIGRATIONS, (99, "CREATE TABLE half_done (id TEXT);\nSELECT * FROM no_such_table;")]
    try:
        with pytest.raises(sqlite3.OperationalError):
            apply_migrations(connection, broken)
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()
    assert "half_done" not in tables
    assert 99 not in _applied(database)


def test_an_in_memory_database_is_refused():
    with pytest.raises(ValueError, match="database file"):
        SqliteStore(":memory:")


def test_connection_settings(sqlite_store):
    connection = sqlite_store._connections.get()
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_each_thread_gets_its_own_connection(sqlite_store):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(sqlite_store._connections.get()))
    thread.start()
    thread.join()
    assert seen[0] is not sqlite_store._connections.get()
    assert seen[0] is not None


def test_a_write_blocked_too_long_is_unavailable(database, sqlite_store):
    impatient = SqliteStore(database, busy_timeout_ms=50)
    blocker = open_connection(database)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable):
            impatient.put_setting("emergency_mode", True)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        impatient.close()


def test_items_of_an_unknown_user_are_refused(sqlite_store):
    now = datetime.now(UTC)
    with pytest.raises(NotFound):
        sqlite_store.create_session(
            Session(id="s", user_id="ghost", created_at=now, expires_at=now + timedelta(hours=1), last_seen_at=now)
        )


def test_counters_are_shared_by_processes_using_the_same_file(sqlite_store, database):
    """Two gunicorn-like worker processes incrementing one counter lose nothing."""
    worker = (
        "import sys\n"
        "from datetime import UTC, datetime, timedelta\n"
        "from dal.sqlite import SqliteStore\n"
        "store = SqliteStore(sys.argv[1]); store.init_schema()\n"
        "now = datetime.now(UTC)\n"
        "for _ in range(50):\n"
        "    store.increment_counter('shared', now + timedelta(minutes=5), now)\n"
        "store.close()\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", worker, database], cwd=PROJECT_ROOT, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    errors = [process.communicate(timeout=60)[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0], errors
    assert sqlite_store.get_counter("shared", datetime.now(UTC)) == 100


def test_processes_starting_together_apply_each_migration_once(database):
    """gunicorn starts its workers together; each runs init_schema on the same new file."""
    starter = "import sys\nfrom dal.sqlite import SqliteStore\nstore = SqliteStore(sys.argv[1])\nstore.init_schema()\n"
    processes = [
        subprocess.Popen([sys.executable, "-c", starter, database], cwd=PROJECT_ROOT, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    errors = [process.communicate(timeout=60)[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], errors
    assert _applied(database) == [number for number, _ in MIGRATIONS]


def _multi_statement_writes(store, user_id: str, now: datetime) -> dict:
    """One write of each mixin that runs several statements in one transaction (write_transaction)."""
    from dal.reviews import ReviewCard
    from dal.tutor import Mastery

    return {
        "review cards": lambda: store.add_review_cards(
            [ReviewCard(user_id, "concept:for-loops", "concept", "python-loops", now, scheduler={})]),
        "progress summary": lambda: store.note_activity(user_id, now, {"lesson_completed": 1}),
        "masteries": lambda: store.save_masteries(
            [Mastery(user_id, "for-loops", 0.4, evidence=1, recent="P", history=[(now, 0.4)], updated_at=now)]),
    }


def test_a_multi_statement_write_blocked_too_long_is_unavailable_and_writes_nothing(database, sqlite_store):
    now = datetime.now(UTC)
    user = new_user(sqlite_store)
    impatient = SqliteStore(database, busy_timeout_ms=50)
    blocker = open_connection(database)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        for name, write in _multi_statement_writes(impatient, user.id, now).items():
            with pytest.raises(StoreUnavailable):  # a 503 with Retry-After, not a 500
                write()
            assert not impatient._connections.get().in_transaction, name
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert sqlite_store.get_review_card(user.id, "concept:for-loops") is None
    assert sqlite_store.get_masteries(user.id, ["for-loops"]) == {}
    impatient.close()


def test_a_multi_statement_write_for_a_deleted_learner_is_not_found(sqlite_store):
    now = datetime.now(UTC)
    for name, write in _multi_statement_writes(sqlite_store, "ghost", now).items():
        with pytest.raises(NotFound):
            write()
        assert not sqlite_store._connections.get().in_transaction, name

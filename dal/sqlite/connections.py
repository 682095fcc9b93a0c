"""One SQLite connection per thread, configured for a web app served by several threads and
several processes (gunicorn workers) sharing one database file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from dal.base import NotFound, StoreError, StoreUnavailable

DEFAULT_BUSY_TIMEOUT_MS = 5000


def open_connection(path: str, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    # isolation_level=None: autocommit, so every statement is its own transaction unless the
    # store opens one explicitly; upserts with RETURNING are then atomic on their own.
    connection = sqlite3.connect(
        path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
    )
    connection.row_factory = sqlite3.Row
    # How long a write waits for another writer (thread or process) before giving up.
    connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    connection.execute("PRAGMA foreign_keys = ON")
    # WAL lets readers work while one writer commits; NORMAL sync is safe with WAL (a power cut
    # can lose the last commits, never corrupt the file).
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


class ConstraintViolated(StoreError):
    """A UNIQUE / PRIMARY KEY constraint refused a write (e.g. an id used twice)."""


def store_error(error: sqlite3.Error) -> StoreError | None:
    """The store's own error for a sqlite3 one (None: raise it as it is): a busy database is
    StoreUnavailable, a foreign key to a user that does not exist (any more) NotFound, any other
    constraint ConstraintViolated."""
    if isinstance(error, sqlite3.OperationalError) and ("locked" in str(error) or "busy" in str(error)):
        return StoreUnavailable(f"sqlite: {error}")
    if isinstance(error, sqlite3.IntegrityError):
        return NotFound("no such user") if "FOREIGN KEY" in str(error) else ConstraintViolated(f"sqlite: {error}")
    return None


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT: the statements inside read and write under one write lock, so
    concurrent writers serialise instead of interleaving. Any error rolls back (and is translated by
    store_error); the block may also roll back itself (`connection.execute("ROLLBACK")`) and return,
    when a condition it checks fails: nothing is committed then."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        yield connection
        if connection.in_transaction:
            connection.execute("COMMIT")
    except BaseException as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        translated = store_error(error) if isinstance(error, sqlite3.Error) else None
        if translated is not None:
            raise translated from error
        raise


class ThreadConnections:
    """Hands each thread its own connection, and remembers them all so close() releases every one
    (check_same_thread is off only for that; a connection is still used by one thread)."""

    def __init__(self, path: str, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def get(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = open_connection(self._path, self._busy_timeout_ms)
            self._local.connection = connection
            with self._lock:
                self._all.append(connection)
        return connection

    def close_all(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            connection.close()
        # Threads that still hold a closed connection get a new one on their next call.
        self._local = threading.local()

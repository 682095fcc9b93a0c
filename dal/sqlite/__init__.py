"""SQLite backend of the Store (local mode)."""

from dal.sqlite.store import SqliteStore

__all__ = ["SqliteStore"]

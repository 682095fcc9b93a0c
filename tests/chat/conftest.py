"""Fixtures of the chat tests: the curated library and lesson index, a store with two learners."""

from __future__ import annotations

import pytest

from dal.base import User
from dal.sqlite import SqliteStore
from services.ai.lesson_index import LessonIndex
from services.lessons.library import LessonLibrary
from tests.lessons.conftest import CONTENT


@pytest.fixture(scope="session")
def library():
    found, _ = LessonLibrary.from_directory(CONTENT)
    return found


@pytest.fixture(scope="session")
def index(library):
    return LessonIndex([lesson.to_dict() for lesson in library.all()])


@pytest.fixture
def store(tmp_path):
    found = SqliteStore(str(tmp_path / "chat.sqlite3"))
    found.init_schema()
    for user_id in ("u1", "u2"):
        found.create_user(User(id=user_id, email=f"{user_id}@example.com", password_hash="x"))
    yield found
    found.close()

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.ai.service import AIService
from services.ai.settings import AISettings
from tests.ai.memory_store import MemoryStore

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"


class FakeClock:
    """Wall clock and monotonic clock that tests move by hand."""

    def __init__(self, start: datetime = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)) -> None:
        self.now = start
        self.mono = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.mono += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture(scope="session")
def lesson_index() -> LessonIndex:
    return LessonIndex.from_dir(CONTENT)


@pytest.fixture
def offline(lesson_index: LessonIndex) -> OfflineProvider:
    return OfflineProvider(lesson_index)


@pytest.fixture
def offline_service(offline, store, clock) -> AIService:
    return AIService(offline, store, settings=AISettings(), clock=clock, monotonic=clock.monotonic)

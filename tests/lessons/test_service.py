"""Lesson service: next lesson over the prerequisite DAG, cache -> library -> AI, nearest fallback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dal.base import Progress
from dal.sqlite import SqliteStore
from services.ai import AIService, AISettings
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.errors import InvalidInput, NotFoundError
from services.grader import Grader
from services.lessons.catalogue import DONE, IN_PROGRESS, LOCKED, NEW, build_track, next_lesson
from services.lessons.library import LessonLibrary
from services.lessons.model import Lesson
from services.lessons.rendering import LessonRenderer
from services.lessons.service import LessonService, cache_key_of, generated_id, nearest_lesson
from tests.lessons.conftest import CONTENT

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def lesson(lesson_id: str, order: int, *prerequisites: str, level: str = "beginner", title: str = "") -> Lesson:
    return Lesson(id=lesson_id, title=title or lesson_id, language="python", level=level, topic=title or lesson_id,
                  order=order, concepts=("x",), prerequisites=prerequisites, lesson="", challenge="",
                  starter="", solution="x = 1", tests=(), hints=())


# a -> b, a -> c, (b, c) -> d ; e has no prerequisites but comes last
DAG = (lesson("a", 1), lesson("b", 2, "a"), lesson("c", 3, "a"), lesson("d", 4, "b", "c"), lesson("e", 5))


def test_next_lesson_follows_prerequisites_not_a_count():
    assert next_lesson(DAG, set()).id == "a"
    assert next_lesson(DAG, {"a"}).id == "b"
    assert next_lesson(DAG, {"a", "b"}).id == "c"
    assert next_lesson(DAG, {"a", "c"}).id == "b"  # skipping ahead does not skip b
    assert next_lesson(DAG, {"a", "b", "c"}).id == "d"
    assert next_lesson(DAG, {"b", "c", "d"}).id == "a"  # done out of order: a is still open
    assert next_lesson(DAG, {"a", "b", "c", "d"}).id == "e"
    assert next_lesson(DAG, {"a", "b", "c", "d", "e"}) is None
    assert next_lesson(DAG, {"e"}).id == "a"  # a learner who did only e: "count of completed" would say b


def test_track_statuses_and_progress():
    progress = [Progress("u", "a", attempts=2, completed_at=NOW), Progress("u", "b", attempts=1),
                Progress("u", "e", hints_used=1)]
    view = build_track("python", DAG, progress)
    statuses = {e.lesson.id: e.status for s in view.sections for e in s.entries}
    assert statuses == {"a": DONE, "b": IN_PROGRESS, "c": NEW, "d": LOCKED, "e": IN_PROGRESS}
    d = next(e for e in view.sections[0].entries if e.lesson.id == "d")
    assert [m.id for m in d.missing] == ["b", "c"]
    assert (view.completed, view.total, view.percent, view.next_lesson.id) == (1, 5, 20, "b")


def test_nearest_lesson_by_word_overlap():
    library, _ = LessonLibrary.from_directory(CONTENT)
    track = library.track("python")
    assert nearest_lesson(track, "while loops and break", "beginner").id == "python-loops"
    assert nearest_lesson(track, "dictionary comprehension tricks", "intermediate").id in (
        "python-list-comprehensions", "python-dictionaries")
    assert nearest_lesson(track, "recursive fibonacci with memoization", "advanced").id == "python-memoization"
    assert nearest_lesson(track, "zzz qqq", "advanced").level == "advanced"  # nothing shared: start of level


def test_generated_ids_map_back_to_cache_keys():
    key = "lesson:python:beginner:while-loops"
    assert generated_id(key) == "ai-python-beginner-while-loops"
    assert cache_key_of(generated_id(key)) == key
    assert cache_key_of("ai-python-expert-x") is None and cache_key_of("python-loops") is None


@pytest.fixture
def store(tmp_path: Path):
    db = SqliteStore(str(tmp_path / "t.sqlite3"))
    db.init_schema()
    yield db
    db.close()


@pytest.fixture
def library():
    return LessonLibrary.from_directory(CONTENT)[0]


def test_topic_lookup_caches_curated_lessons_and_counts_hits(store, library):
    service = LessonService(library, store, LessonRenderer(), clock=lambda: NOW)
    first = service.find("python", "beginner", "Loops: for and while")
    assert (first.lesson.id, first.source) == ("python-loops", "static")
    key = "lesson:python:beginner:loops-for-and-while"
    entry = store.get_cached_lesson(key, NOW)
    assert entry.source == "static" and entry.hit_count == 0
    assert entry.expires_at == NOW + timedelta(days=90)
    for _ in range(3):
        again = service.find("python", "beginner", "loops:  FOR and while")
        assert (again.lesson.id, again.source) == ("python-loops", "cache")
    assert store.get_cached_lesson(key, NOW).hit_count == 3
    assert store.get_cached_lesson(key, NOW + timedelta(days=91)) is None  # 90-day expiry


def test_unknown_topic_without_ai_gets_the_nearest_lesson_and_a_note(store, library):
    service = LessonService(library, store, LessonRenderer(), clock=lambda: NOW)
    found = service.find("python", "beginner", "while loops with break")
    assert (found.lesson.id, found.source) == ("python-loops", "nearest")
    assert "not available" in found.note and "closest lesson" in found.note
    with pytest.raises(InvalidInput):
        service.find("python", "beginner", "<script>")
    with pytest.raises(InvalidInput):
        service.find("cobol", "beginner", "loops")


def test_offline_ai_falls_back_to_the_nearest_curated_lesson(store, library):
    ai = AIService(OfflineProvider(LessonIndex.from_dir(CONTENT)), store, settings=AISettings(), clock=lambda: NOW)
    service = LessonService(library, store, LessonRenderer(), grader=Grader(), ai=ai,
                            lesson_index=LessonIndex.from_dir(CONTENT), clock=lambda: NOW)
    found = service.find("python", "advanced", "memoization of recursive calls", user_id="u1")
    assert found.source == "nearest" and found.lesson.id in ("python-memoization", "python-recursion")
    assert found.note


def test_generated_lessons_are_served_from_the_cache_by_id(store, library):
    from dal.base import LessonCacheEntry

    key = "lesson:python:beginner:while-loops"
    content = {**library.get("python-loops").to_dict(), "id": "ai-while-loops", "source": "ai"}
    content.pop("order")
    store.put_cached_lesson(LessonCacheEntry(key, content, "ai", NOW, NOW + timedelta(days=90)))
    service = LessonService(library, store, LessonRenderer(), clock=lambda: NOW)
    served = service.get("ai-python-beginner-while-loops")
    assert served.source == "ai" and served.tests == library.get("python-loops").tests
    assert "<h2" in service.rendered(served).lesson
    with pytest.raises(NotFoundError):
        service.get("ai-python-beginner-nothing-here")
    with pytest.raises(NotFoundError):
        service.get("python-nope")


def _generated_lesson(library) -> dict:
    """What a model might answer for "while loops": the loops lesson's parts under a new title."""
    loops = library.get("python-loops")
    return {"title": "While loops in depth", "lesson": loops.lesson, "challenge": loops.challenge,
            "starter": loops.starter, "solution": loops.solution, "tests": list(loops.tests),
            "hints": list(loops.hints), "concepts": ["while-loops"]}


def test_a_new_topic_is_generated_proved_cached_then_served_from_the_cache(store, library):
    from tests.ai.scripted import ScriptedProvider

    provider = ScriptedProvider(_generated_lesson(library))
    ai = AIService(provider, store, settings=AISettings(provider="bedrock"), clock=lambda: NOW,
                   fallback=OfflineProvider(LessonIndex.from_dir(CONTENT)))
    service = LessonService(library, store, LessonRenderer(), grader=Grader(), ai=ai,
                            lesson_index=LessonIndex.from_dir(CONTENT), clock=lambda: NOW)
    first = service.find("python", "intermediate", "while loops in depth", user_id="u1")
    assert first.source == "ai" and first.lesson.title == "While loops in depth"
    assert first.lesson.id == "ai-python-intermediate-while-loops-in-depth" and first.lesson.source == "ai"
    assert service.get(first.lesson.id).solution == library.get("python-loops").solution  # servable by id
    again = service.find("python", "intermediate", "While loops in depth", user_id="u1")
    assert again.source == "cache" and again.lesson.id == first.lesson.id
    assert len(provider.calls) == 1  # the model was asked once
    entry = store.get_cached_lesson("lesson:python:intermediate:while-loops-in-depth", NOW)
    assert entry.source == "ai" and entry.hit_count == 1 and entry.input_tokens == 1000


def test_curated_lesson_views_never_call_a_model(store, library):
    class NoModel:
        def run(self, *args, **kwargs):
            raise AssertionError("a curated lesson view called the AI layer")

    service = LessonService(library, store, LessonRenderer(), grader=Grader(), ai=NoModel(), clock=lambda: NOW)
    for lesson in library.all():
        assert service.get(lesson.id) is lesson
        assert service.rendered(lesson).lesson
    assert service.find("python", "beginner", "Functions").source == "static"

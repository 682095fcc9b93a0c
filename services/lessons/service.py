"""Serving lessons: curated ones by id straight from the in-memory library (never a model call), and
lessons by topic through cache -> curated library -> AI generation, with the nearest curated lesson
and a clear note when no new lesson can be made."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from dal.base import LessonCacheEntry, Store
from services.ai.cost_report import LessonViewCounter
from services.ai.errors import QuotaExceeded
from services.ai.lessons import InvalidTopic, LessonUnavailable, generate_lesson, lesson_cache_key, normalise_topic
from services.ai.models import CACHE, GENERATED, LIBRARY
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError, RateLimited
from services.grader.reference import Reference
from services.lessons.catalogue import TrackView, build_track, completed_ids, next_lesson
from services.lessons.library import LessonLibrary
from services.lessons.model import LEVELS, Lesson
from services.lessons.rendering import LessonRenderer, RenderedLesson

CACHE_DAYS = 90
AI_PREFIX = "ai-"
NOTE_NO_AI = "New lessons need the AI service, which is not available here."
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(["a", "an", "and", "the", "of", "in", "on", "to", "for", "with", "how", "what", "python",
                   "using", "use"])


@dataclass(frozen=True)
class LessonLookup:
    lesson: Lesson
    source: str  # cache | static | ai | nearest
    note: str = ""


def _words(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(text.lower()) if w not in _STOP}


def nearest_lesson(candidates: tuple[Lesson, ...], topic: str, level: str | None = None) -> Lesson | None:
    """The curated lesson sharing the most words with the topic (title, topic, concepts); ties go to the
    learner's level, then track order. With no shared word: the first lesson of the level."""
    wanted = _words(topic)
    best: tuple[float, int, Lesson] | None = None
    for lesson in candidates:
        have = _words(" ".join((lesson.title, lesson.topic, " ".join(c.replace("-", " ") for c in lesson.concepts))))
        score = len(wanted & have) + (0.5 if level and lesson.level == level else 0)
        if best is None or score > best[0] or (score == best[0] and lesson.order < best[1]):
            best = (score, lesson.order, lesson)
    if best is None:
        return None
    if best[0] < 1:
        same_level = [lesson for lesson in candidates if lesson.level == level]
        return same_level[0] if same_level else candidates[0]
    return best[2]


def generated_id(key: str) -> str:
    """`lesson:python:beginner:while-loops` -> `ai-python-beginner-while-loops` (and back: `cache_key_of`)."""
    return AI_PREFIX + key.split(":", 1)[1].replace(":", "-", 2)


def cache_key_of(lesson_id: str) -> str | None:
    parts = lesson_id[len(AI_PREFIX):].split("-", 2) if lesson_id.startswith(AI_PREFIX) else []
    if len(parts) != 3 or parts[1] not in LEVELS:
        return None
    return "lesson:" + ":".join(parts)


class LessonService:
    def __init__(
        self, library: LessonLibrary, store: Store, renderer: LessonRenderer, *, grader: Any = None,
        ai: Any = None, lesson_index: Any = None, clock: Clock = utcnow, cache_days: int = CACHE_DAYS,
        view_counter: LessonViewCounter | None = None, tutor: Any = None,
    ) -> None:
        self.library = library
        self._tutor = tutor  # services.tutor.TutorService: tested-out lessons and the next lesson; optional
        self._store = store
        self.view_counter = view_counter or LessonViewCounter(store, batch=1, clock=clock)
        self._renderer = renderer
        self._grader = grader
        self._ai = ai  # services.ai.AIService, or None where the AI layer is not set up
        self._lesson_index = lesson_index
        self._clock = clock
        self._cache_days = cache_days

    # --- by id ------------------------------------------------------------------------------
    def get(self, lesson_id: str) -> Lesson:
        """A curated lesson, or a generated one still in the cache; NotFoundError otherwise."""
        lesson = self.library.get(lesson_id)
        if lesson is not None:
            return lesson
        key = cache_key_of(lesson_id)
        entry = self._store.get_cached_lesson(key, self._clock()) if key else None
        if entry is None or entry.source != "ai":
            raise NotFoundError("We couldn't find that lesson. It may have been removed, or the link is mistyped.")
        return self._from_entry(entry)

    def view(self, lesson_id: str) -> Lesson:
        """`get` for a learner opening the lesson page: the view is counted for the cost report
        (curated: served from the library; generated: from the cache - no model call either way)."""
        lesson = self.get(lesson_id)
        self._count_view(LIBRARY if lesson.source == "static" else CACHE)
        if lesson.source != "static" and self._ai is not None:  # a read of the AI cache: its hit, batched
            self._ai.cache_hits.record(cache_key_of(lesson_id))
        return lesson

    def _count_view(self, source: str) -> None:
        self.view_counter.record(source)

    def rendered(self, lesson: Lesson) -> RenderedLesson:
        return self._renderer.render(lesson)

    def inline_markup(self, text: str) -> str:
        """Untrusted one-paragraph text (an AI hint) as sanitised inline HTML."""
        return self._renderer.inline(text)

    def markup(self, text: str, *, shift: int = 1) -> str:
        """Untrusted Markdown (an explanation, a quiz question) as sanitised HTML."""
        return self._renderer.markdown(text, shift=shift)

    # --- a learner's track ------------------------------------------------------------------
    def track(self, user_id: str, language: str = "python") -> TrackView:
        progress = self._store.list_progress(user_id)
        tested_out = self._tutor.tested_out(user_id, completed_ids(progress)) if self._tutor is not None else set()
        return build_track(language, self.library.track(language), progress, tested_out)

    def next_lesson(self, user_id: str, language: str = "python") -> Lesson | None:
        completed = completed_ids(self._store.list_progress(user_id))
        if self._tutor is not None:
            return self._tutor.next_lesson(user_id, completed)
        return next_lesson(self.library.track(language), completed)

    def next_after(self, lesson: Lesson, completed: set[str]) -> Lesson | None:
        return next_lesson(self.library.track(lesson.language), completed | {lesson.id})

    # --- by topic: cache -> library -> AI -----------------------------------------------------
    def find(self, language: str, level: str, topic: str, *, user_id: str | None = None) -> LessonLookup:
        """The lesson for a topic; counts as the learner's view of it (the page it leads to does not)."""
        found = self._find(language, level, topic, user_id)
        self._count_view({"cache": CACHE, "ai": GENERATED}.get(found.source, LIBRARY))
        return found

    def _find(self, language: str, level: str, topic: str, user_id: str | None) -> LessonLookup:
        if language not in self.library.tracks() or level not in LEVELS:
            raise InvalidInput("Choose one of the offered languages and levels.")
        try:
            topic = normalise_topic(topic)
        except InvalidTopic as exc:
            raise InvalidInput(str(exc), {"topic": str(exc)}) from None
        now = self._clock()
        key = lesson_cache_key(language, level, topic)
        entry = self._store.get_cached_lesson(key, now)
        if entry is not None:
            self._store.record_lesson_hit(key)
            return LessonLookup(self._from_entry(entry), "cache")
        curated = self._curated_match(language, level, topic)
        if curated is not None:
            self._store.put_cached_lesson(LessonCacheEntry(
                key=key, content=curated.to_dict(), source="static", created_at=now,
                expires_at=now + timedelta(days=self._cache_days)))
            return LessonLookup(curated, "static")
        return self._generate(language, level, topic, key, user_id)

    def _curated_match(self, language: str, level: str, topic: str) -> Lesson | None:
        slug = lesson_cache_key(language, level, topic).rsplit(":", 1)[-1]
        for lesson in self.library.level(language, level):
            names = (lesson.topic, lesson.title, lesson.id.split("-", 1)[1])
            if any(lesson_cache_key(language, level, name).rsplit(":", 1)[-1] == slug for name in names):
                return lesson
        return None

    def _generate(self, language: str, level: str, topic: str, key: str, user_id: str | None) -> LessonLookup:
        if self._ai is None or self._grader is None:
            return self._nearest(language, level, topic, f"{NOTE_NO_AI} Here is the closest lesson from the library.")
        try:
            content, source, note = generate_lesson(
                self._ai, self._grader, self._store, language=language, level=level, topic=topic,
                user_id=user_id, lesson_index=self._lesson_index, clock=self._clock)
        except QuotaExceeded as exc:
            raise RateLimited(str(exc), exc.retry_after) from None
        except LessonUnavailable as exc:
            nearest = self.library.get((exc.nearest or {}).get("id", ""))
            if nearest is not None:
                return LessonLookup(nearest, "nearest", str(exc))
            return self._nearest(language, level, topic, f"{exc}")
        curated = self.library.get(content.get("id", ""))
        if source == "library" and curated is not None:
            return LessonLookup(curated, "static", note)
        return LessonLookup(self._lesson_from_content(content, key), "ai", note)

    def _nearest(self, language: str, level: str, topic: str, note: str) -> LessonLookup:
        lesson = nearest_lesson(self.library.track(language), topic, level)
        if lesson is None:
            raise NotFoundError("There are no lessons in this track yet.")
        return LessonLookup(lesson, "nearest", note)

    def _from_entry(self, entry: LessonCacheEntry) -> Lesson:
        if entry.source == "static":  # the library copy is the current one
            curated = self.library.get(entry.content.get("id", ""))
            if curated is not None:
                return curated
        return self._lesson_from_content(entry.content, entry.key)

    @staticmethod
    def _lesson_from_content(content: dict[str, Any], key: str) -> Lesson:
        data = {"order": 0, **content, "id": generated_id(key)}
        # Generated lessons are proved on their visible tests only: no reference observations exist
        # for hidden checks, so any in the content are left out and the reference is empty - graded
        # as such, but not protected against hard-coding (README, "The grader").
        lesson = Lesson.from_dict({**data, "hidden": None}, source="ai")
        return lesson.with_reference(Reference(()))

"""The AI lesson cache, for the admin: its entries with their hit counts, and invalidation of one entry
or of everything a lesson's pages can be shown from the cache.

Keys: `lesson:<language>:<level>:<topic>` (a lesson found by topic: generated, or a pointer to a curated
one), `explain:<concept>:<band>` (an explanation), `quiz:<concept>` (generated quiz questions). There
is no hint cache: every AI hint is written for the learner's own code. Hits on explanations and
questions are counted in batches (services/ai/cache_hits.py); the page flushes this process's count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dal.base import LessonCacheEntry, Store
from services.admin.audit import AuditTrail
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError

PAGE_SIZE = 50
KINDS = {"lesson": "Lessons by topic", "explain": "Explanations", "quiz": "Quiz questions"}
MAX_KEY_CHARS = 300


@dataclass(frozen=True)
class CacheRow:
    entry: LessonCacheEntry
    kind: str  # lesson | explain | quiz | other
    about: str  # what the entry is for, in words: a concept's title, a topic
    lesson_id: str  # the curated lesson it belongs to, when one does


@dataclass(frozen=True)
class CachePage:
    rows: list[CacheRow]
    next_cursor: str | None
    kind: str


def kind_of(key: str) -> str:
    head = key.split(":", 1)[0]
    return head if head in KINDS else "other"


class LessonCacheAdmin:
    def __init__(self, store: Store, library: Any, concepts: Any, audit: AuditTrail, *, hits: Any = None,
                 clock: Clock = utcnow) -> None:
        """`library`: the curated LessonLibrary; `concepts`: the tutor's ConceptMap (or None);
        `hits`: the AI layer's CacheHitCounter (or None)."""
        self._store = store
        self._library = library
        self._concepts = concepts
        self._audit = audit
        self._hits = hits
        self._clock = clock

    def page(self, kind: str = "", cursor: str | None = None) -> CachePage:
        if kind and kind not in KINDS:
            raise InvalidInput("Choose one of the kinds of entry.")
        if self._hits is not None:
            self._hits.flush()  # this process's hits, up to now
        try:
            found = self._store.list_cached_lessons(self._clock(), limit=PAGE_SIZE, cursor=cursor or None,
                                                    prefix=f"{kind}:" if kind else "")
        except ValueError:
            raise InvalidInput("That page link is not valid any more; here is the first page.") from None
        return CachePage([self._row(entry) for entry in found.items], found.next_cursor, kind)

    def lessons(self) -> list[Any]:
        """The curated lessons, for the page's "invalidate a lesson" choice."""
        return list(self._library.all())

    def invalidate(self, admin_id: str, key: str) -> None:
        key = (key or "").strip()
        if not key or len(key) > MAX_KEY_CHARS:
            raise InvalidInput("Choose an entry to invalidate.")
        if not self._store.delete_cached_lesson(key):
            raise NotFoundError("That entry is not in the cache any more (it expired or was invalidated).")
        self._audit.record(admin_id, "invalidate_cache", target=key)

    def invalidate_lesson(self, admin_id: str, lesson_id: str) -> list[str]:
        """Remove every entry the lesson's pages can be served from: the explanations and generated
        questions of its concepts (shared with other lessons teaching them) and the topic lookups that
        lead to it. Returns the keys removed."""
        lesson = self._library.get(lesson_id or "")
        if lesson is None:
            raise NotFoundError("There is no such lesson.")
        keys = [e.key for e in self._entries_of(lesson)]
        removed = [key for key in keys if self._store.delete_cached_lesson(key)]
        self._audit.record(admin_id, "invalidate_lesson_cache", target=lesson.id,
                           detail={"entries": len(removed), "keys": removed[:20]})
        return removed

    def _entries_of(self, lesson: Any) -> list[LessonCacheEntry]:
        now = self._clock()
        found = []
        for concept in lesson.concepts:
            found += self._all(f"explain:{concept}:")
            quiz = self._store.get_cached_lesson(f"quiz:{concept}", now)
            if quiz is not None:
                found.append(quiz)
        found += [e for e in self._all(f"lesson:{lesson.language}:{lesson.level}:")
                  if e.content.get("id") == lesson.id]
        return found

    def _all(self, prefix: str) -> list[LessonCacheEntry]:
        entries, cursor = [], None
        while True:
            page = self._store.list_cached_lessons(self._clock(), limit=100, cursor=cursor, prefix=prefix)
            entries += page.items
            cursor = page.next_cursor
            if cursor is None:
                return entries

    def _row(self, entry: LessonCacheEntry) -> CacheRow:
        kind = kind_of(entry.key)
        parts = entry.key.split(":")
        about, lesson_id = entry.key, ""
        if kind in ("explain", "quiz") and len(parts) >= 2:
            concept = self._concepts.get(parts[1]) if self._concepts is not None else None
            about = concept.title if concept is not None else parts[1]
            if kind == "explain" and len(parts) >= 3:
                about += f" ({parts[2]})"
            lessons = self._concepts.lessons_of(parts[1]) if concept is not None else []
            lesson_id = lessons[0].id if lessons else ""
        elif kind == "lesson":
            about = str(entry.content.get("title") or entry.content.get("topic") or parts[-1])
            curated = self._library.get(str(entry.content.get("id", "")))
            lesson_id = curated.id if curated is not None and entry.source == "static" else ""
        return CacheRow(entry, kind, about, lesson_id)

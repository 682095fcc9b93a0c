"""AI lessons: a lesson on a topic the library lacks, generated, proved by the grader, then cached.

Order: cache -> (exact curated match) -> the `lesson` task. A generated lesson is only cached and shown
when its reference solution passes every test and its starter fails at least one. One retry with the
reason; then LessonUnavailable, carrying the nearest curated lesson for the page to show instead.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Protocol

from dal.base import LessonCacheEntry, Store
from services.ai.errors import AIUnavailable
from services.ai.hint_check import check_hint
from services.ai.lesson_index import LessonIndex
from services.ai.models import CACHE
from services.ai.service import AIService
from services.ai.tasks import TASKS
from services.clock import Clock, utcnow

LANGUAGES = ("python",)
LEVELS = ("beginner", "intermediate", "advanced")
_TOPIC = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ,.'()+#&:/?!-]*$")
FEATURE = TASKS["lesson"].feature


class InvalidTopic(ValueError):
    """The topic text is not acceptable; `str(exc)` says why, for the form."""


class LessonUnavailable(AIUnavailable):
    """No AI lesson could be made; `nearest` is the closest curated lesson (or None)."""

    def __init__(self, message: str, nearest: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.nearest = nearest


class Grader(Protocol):
    def grade(self, code: str, tests: list[str]) -> Any: ...


def normalise_topic(topic: str) -> str:
    """Validate a learner's free-text topic; returns it with whitespace collapsed."""
    text = " ".join((topic or "").split())
    if not 3 <= len(text) <= 80:
        raise InvalidTopic("A topic is 3 to 80 characters long.")
    if not _TOPIC.match(text):
        raise InvalidTopic("A topic may use letters, digits, spaces and basic punctuation only.")
    return text


def lesson_cache_key(language: str, level: str, topic: str) -> str:
    slug = re.sub(r"[^a-z0-9+#]+", "-", topic.lower()).strip("-")
    return f"lesson:{language.lower()}:{level.lower()}:{slug}"


def generate_lesson(
    ai_service: AIService,
    grader: Grader,
    store: Store,
    *,
    language: str,
    level: str,
    topic: str,
    user_id: str | None,
    lesson_index: LessonIndex | None = None,
    clock: Clock = utcnow,
) -> tuple[dict[str, Any], str, str]:
    """(lesson dict in the library format, source: cache | library | bedrock | ..., note for the page).
    Raises InvalidTopic, QuotaExceeded, or LessonUnavailable (an AIUnavailable) with `.nearest`."""
    if language not in LANGUAGES or level not in LEVELS:
        raise InvalidTopic("Choose one of the offered languages and levels.")
    topic = normalise_topic(topic)
    key = lesson_cache_key(language, level, topic)
    cached = store.get_cached_lesson(key, clock())
    if cached is not None:
        store.record_lesson_hit(key)
        ai_service.budget.record(FEATURE, CACHE)
        return cached.content, CACHE, ""
    nearest = lesson_index.nearest_lesson(topic, language, level) if lesson_index else None
    if nearest and lesson_cache_key(language, level, nearest.get("topic", "")) == key:
        return nearest, "library", "This topic is in the lesson library."
    feedback = ""
    for attempt in (1, 2):
        payload = {"language": language, "level": level, "topic": topic, "feedback": feedback}
        try:
            result = ai_service.run("lesson", payload, user_id=user_id if attempt == 1 else None)
        except AIUnavailable as exc:
            raise LessonUnavailable(f"{exc} {_nearest_note(nearest)}", nearest) from exc
        lesson = _as_library_lesson(result.data, key, language, level, topic)
        feedback = _prove(grader, lesson)
        if not feedback:
            now = clock()
            store.put_cached_lesson(
                LessonCacheEntry(
                    key=key,
                    content=lesson,
                    source="ai",
                    created_at=now,
                    expires_at=now + timedelta(days=ai_service.settings.lesson_cache_days),
                    model=result.model,
                    input_tokens=result.input_tokens,
                    output_tokens=result.output_tokens,
                    cost_usd=result.cost_usd,
                )
            )
            return lesson, result.source, "This lesson was written by AI and checked by running its tests."
    raise LessonUnavailable(
        f"We could not write a lesson on \u201c{topic}\u201d that passes its own tests. {_nearest_note(nearest)}",
        nearest,
    )


def _nearest_note(nearest: dict[str, Any] | None) -> str:
    if nearest:
        return f"Here is the closest lesson from the library: \u201c{nearest['title']}\u201d."
    return "Please pick a lesson from the library."


def _as_library_lesson(data: dict[str, Any], key: str, language: str, level: str, topic: str) -> dict[str, Any]:
    return {
        "id": "ai-" + key.split(":", 3)[-1][:60],
        "title": data["title"],
        "language": language,
        "level": level,
        "topic": topic,
        "concepts": data.get("concepts", []),
        "prerequisites": [],
        "lesson": data["lesson"],
        "challenge": data["challenge"],
        "starter": data["starter"],
        "solution": data["solution"],
        "tests": data["tests"],
        # The model's own hints pass the same gate as AI hints.
        "hints": [h for h in data["hints"] if check_hint(h, data["solution"])[0]],
        "source": "ai",
    }


def _status(report: Any) -> str:
    return str(report.get("status") if isinstance(report, dict) else getattr(report, "status", ""))


def _prove(grader: Grader, lesson: dict[str, Any]) -> str:
    """Empty when the lesson is proved; else what went wrong, fed back to the model on the retry."""
    tests = lesson["tests"]
    if len(tests) < 3 or not all(re.match(r"\s*def test_\w+\(\s*\):", t) for t in tests):
        return "tests must be at least 3 top-level `def test_<name>():` functions"
    if not lesson["solution"].strip() or not lesson["starter"].strip():
        return "both a reference solution and a starter are required"
    solution_status = _status(grader.grade(lesson["solution"], tests))
    if solution_status != "pass":
        return f"the reference solution does not pass its tests (status: {solution_status})"
    if _status(grader.grade(lesson["starter"], tests)) == "pass":
        return "the starter already passes every test; it must fail at least one"
    return ""

"""A learner's view of a track: each lesson's status, the progress figures and the next lesson.

Next lesson = the first lesson of the track, by order, that is not completed and whose prerequisites
all are (not "count of completed lessons", which breaks as soon as a learner skips ahead).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dal.base import Progress
from services.lessons.model import LEVEL_TITLES, Lesson

DONE = "done"
IN_PROGRESS = "in_progress"
LOCKED = "locked"  # prerequisites not completed yet; still openable
TESTED_OUT = "tested_out"  # not solved, but the placement quiz (or quizzes) showed its concepts mastered
NEW = "new"
STATUS_LABELS = {DONE: "Done", IN_PROGRESS: "In progress", LOCKED: "Builds on earlier lessons", NEW: "New",
                 TESTED_OUT: "Tested out"}


@dataclass(frozen=True)
class LessonEntry:
    lesson: Lesson
    status: str
    missing: tuple[Lesson, ...] = ()  # prerequisites not completed yet
    is_next: bool = False

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class LevelSection:
    level: str
    entries: tuple[LessonEntry, ...]

    @property
    def title(self) -> str:
        return LEVEL_TITLES.get(self.level, self.level.title())

    @property
    def done(self) -> int:
        return sum(1 for e in self.entries if e.status == DONE)


@dataclass(frozen=True)
class TrackView:
    language: str
    sections: tuple[LevelSection, ...]
    completed: int
    total: int
    next_lesson: Lesson | None
    tested_out: int = 0  # shown beside, never counted as solved

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def completed_ids(progress: Iterable[Progress]) -> set[str]:
    return {p.lesson_id for p in progress if p.completed}


def next_lesson(track: Sequence[Lesson], completed: set[str]) -> Lesson | None:
    for lesson in track:
        if lesson.id not in completed and all(p in completed for p in lesson.prerequisites):
            return lesson
    return None


def lesson_status(lesson: Lesson, progress: Progress | None, completed: set[str],
                  tested_out: set[str] = frozenset()) -> str:
    if lesson.id in completed:
        return DONE
    if lesson.id in tested_out:
        return TESTED_OUT
    if progress is not None and (progress.attempts or progress.hints_used):
        return IN_PROGRESS
    if any(p not in completed and p not in tested_out for p in lesson.prerequisites):
        return LOCKED
    return NEW


def build_track(language: str, track: Sequence[Lesson], progress: Iterable[Progress],
                tested_out: set[str] = frozenset()) -> TrackView:
    """`tested_out`: lessons the learner placed out of; they open what builds on them like solved ones."""
    by_lesson = {p.lesson_id: p for p in progress}
    completed = completed_ids(by_lesson.values())
    tested_out = set(tested_out) - completed
    following = next_lesson(track, completed | tested_out)
    by_id = {lesson.id: lesson for lesson in track}
    sections: dict[str, list[LessonEntry]] = {}
    for lesson in track:
        missing = tuple(by_id[p] for p in lesson.prerequisites if p not in completed | tested_out and p in by_id)
        entry = LessonEntry(lesson, lesson_status(lesson, by_lesson.get(lesson.id), completed, tested_out), missing,
                            is_next=following is not None and lesson.id == following.id)
        sections.setdefault(lesson.level, []).append(entry)
    return TrackView(
        language=language,
        sections=tuple(LevelSection(level, tuple(entries)) for level, entries in sections.items()),
        completed=sum(1 for lesson in track if lesson.id in completed),
        total=len(track),
        next_lesson=following,
        tested_out=sum(1 for lesson in track if lesson.id in tested_out),
    )

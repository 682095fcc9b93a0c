"""The curated lesson library: every lesson file read once per process, validated, indexed."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from services.lessons.model import LEVELS, Lesson
from services.lessons.quiz_programs import with_verified_answers
from services.lessons.references import (
    load_quiz_answers,
    load_reference,
    load_variant_reference,
    read_stored,
    reference_file,
)
from services.lessons.schema import validate_lesson

log = logging.getLogger(__name__)
STALE_REFERENCE = "its reference observations are missing or stale: run `flask lessons references`"
STALE_QUIZ_ANSWERS = ("the stored answers of its program quiz questions are missing or stale: "
                      "run `flask lessons references`")


@dataclass(frozen=True)
class FileProblem:
    path: str
    lesson_id: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: {self.lesson_id}" if self.lesson_id else self.path
        return f"{where}: {self.message}"


def lesson_files(root: Path) -> list[Path]:
    """content/lessons/<language>/<level>/<slug>.json, in a stable order."""
    return sorted(root.glob("*/*/*.json"))


def read_lesson_file(path: Path, root: Path, *, parse_code: bool = True) -> tuple[dict | None, list[FileProblem]]:
    """The file's JSON and the format problems it has (None when it cannot be parsed)."""
    shown = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, [FileProblem(shown, "", f"cannot be read as JSON: {exc}")]
    lesson_id = data.get("id", "") if isinstance(data, dict) else ""
    problems = validate_lesson(data, stem=path.stem, folder_level=path.parent.name, parse_code=parse_code)
    if isinstance(data, dict) and data.get("language") != path.parent.parent.name:
        problems.append(f"language {data.get('language')!r} does not match its folder {path.parent.parent.name!r}")
    return data, [FileProblem(shown, str(lesson_id), p) for p in problems]


def _served_variants(lesson: Lesson, stored: dict) -> tuple[Lesson, list[str]]:
    """The lesson with only the variants whose reference is current (each attached), and the ids of
    the others: a variant without a current reference is not served (no verdict on it could count)."""
    served, stale = [], []
    for variant in lesson.variants:
        reference = load_variant_reference(lesson.as_variant(variant), variant.id, stored)
        if reference is None:
            stale.append(variant.id)
        else:
            served.append(replace(variant, reference=reference))
    return lesson.with_variants(tuple(served)), stale


class LessonLibrary:
    """In-memory, read-only after construction: safe to share between threads."""

    def __init__(self, lessons: Iterable[Lesson]) -> None:
        ordered = sorted(lessons, key=lambda lesson: (lesson.language, lesson.order, lesson.id))
        self._by_id: dict[str, Lesson] = {}
        for lesson in ordered:
            if lesson.id in self._by_id:
                raise ValueError(f"duplicate lesson id {lesson.id!r}")
            self._by_id[lesson.id] = lesson
        self._tracks: dict[str, tuple[Lesson, ...]] = {}
        for lesson in ordered:
            self._tracks.setdefault(lesson.language, ())
            self._tracks[lesson.language] += (lesson,)

    @classmethod
    def from_directory(cls, root: str | Path) -> tuple[LessonLibrary, list[FileProblem]]:
        """Load every valid lesson; invalid files are left out and returned as problems
        (`flask lessons check` reports them; the app still starts)."""
        root = Path(root)
        lessons, problems, seen = [], [], set()
        for path in lesson_files(root):
            # The content check (part of the test run) parses and runs the code; start-up stays cheap.
            data, file_problems = read_lesson_file(path, root, parse_code=False)
            if file_problems or data is None:
                problems.extend(file_problems)
                continue
            if data["id"] in seen:
                problems.append(FileProblem(str(path), data["id"], "id used by another lesson"))
                continue
            seen.add(data["id"])
            lesson = Lesson.from_dict(data, path=str(path))
            stored = read_stored(reference_file(root, path))
            reference = load_reference(lesson, stored)
            lesson = lesson.with_quiz(with_verified_answers(lesson.quiz, load_quiz_answers(stored)))
            lesson, stale_variants = _served_variants(lesson, stored)
            problems.extend(FileProblem(str(path), lesson.id, f"variant {variant_id}: {STALE_REFERENCE}")
                            for variant_id in stale_variants)
            if reference is None:  # the lesson still shows; its submissions cannot count (see check)
                problems.append(FileProblem(str(path), lesson.id, STALE_REFERENCE))
            lessons.append(lesson if reference is None else lesson.with_reference(reference))
        for problem in problems:
            log.warning("lesson left out of the library: %s", problem)
        return cls(lessons), problems

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, lesson_id: object) -> bool:
        return lesson_id in self._by_id

    def get(self, lesson_id: str) -> Lesson | None:
        return self._by_id.get(lesson_id)

    def all(self) -> tuple[Lesson, ...]:
        return tuple(lesson for track in self._tracks.values() for lesson in track)

    def tracks(self) -> tuple[str, ...]:
        return tuple(self._tracks)

    def track(self, language: str) -> tuple[Lesson, ...]:
        """The track's lessons by `order`."""
        return self._tracks.get(language, ())

    def level(self, language: str, level: str) -> tuple[Lesson, ...]:
        return tuple(lesson for lesson in self.track(language) if lesson.level == level)

    def levels(self, language: str) -> tuple[str, ...]:
        present = {lesson.level for lesson in self.track(language)}
        return tuple(level for level in LEVELS if level in present)

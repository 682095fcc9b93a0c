"""Where a curated lesson's reference observations live: one JSON file per lesson, beside the library.

`content/references/<language>/<level>/<slug>.json` mirrors `content/lessons/...`. Each holds what the
reference solution observed for the lesson's hidden checks and a fingerprint of what they were
computed from (solution + checks), and the answers of the quiz's program questions as their runs
gave them (quiz_programs.py), each with its own fingerprint, and under "variants" the same for each
code variant (by variant id: fingerprint and observations). `flask lessons references` writes them;
`flask lessons check`
recomputes and refuses stale ones; the app only reads them, so no submission ever waits for the
reference solution to run (on Lambda that would double the cost of grading).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.grader import InvalidTests, Reference
from services.grader.reference import fingerprint, observations_from_json, observations_to_json
from services.lessons.model import Lesson

REFERENCES_FOLDER = "references"


def reference_file(lessons_root: Path, lesson_path: Path) -> Path:
    relative = lesson_path.resolve().relative_to(lessons_root.resolve())
    return lessons_root.parent / REFERENCES_FOLDER / relative


def read_stored(stored: Path) -> dict[str, Any]:
    """The lesson's stored references file as JSON, read once for the lesson, its variants and its quiz
    ({} when missing or unreadable: every loader below then answers "missing")."""
    try:
        data = json.loads(stored.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_reference(lesson: Lesson, stored: dict[str, Any]) -> Reference | None:
    """The lesson's reference, or None when its stored observations (read_stored) are missing or stale."""
    if not lesson.hidden:
        return Reference(())
    return _current_reference(lesson, stored)


def load_variant_reference(variant: Lesson, variant_id: str, stored: dict[str, Any]) -> Reference | None:
    """A variant's reference (`variant`: the lesson as that variant, Lesson.as_variant), or None when
    missing or stale. A variant without hidden checks (an unprotectable lesson's) needs no file."""
    if not variant.hidden:
        return Reference(())
    variants = stored.get("variants")
    return _current_reference(variant, variants.get(variant_id) if isinstance(variants, dict) else None)


def _current_reference(lesson: Lesson, kept: Any) -> Reference | None:
    """The observations kept for `lesson`'s solution and hidden checks, if their fingerprint is current."""
    try:
        if kept.get("fingerprint") != fingerprint(lesson.solution, lesson.hidden):
            return None
        return Reference(lesson.hidden, observations_from_json(kept["observations"]))
    except (ValueError, KeyError, TypeError, AttributeError, InvalidTests):
        return None


def load_quiz_answers(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored runs of the quiz's program questions, by question position ({} when none)."""
    quiz = stored.get("quiz")
    return quiz if isinstance(quiz, dict) else {}


def store_reference(lesson: Lesson, reference: Reference, stored: Path,
                    quiz_answers: dict[str, Any] | None = None,
                    variants: dict[str, Reference] | None = None) -> bool:
    """Write the file when its content changes; True when it did."""
    data: dict[str, Any] = {
        "lesson": lesson.id,
        "fingerprint": fingerprint(lesson.solution, lesson.hidden),
        "observations": observations_to_json(reference.observations),
    }
    if quiz_answers:
        data["quiz"] = quiz_answers
    kept = {v.id: variants[v.id] for v in lesson.variants if v.hidden and v.id in (variants or {})}
    if kept:
        data["variants"] = {
            variant_id: {"fingerprint": fingerprint(found.solution, found.hidden),
                         "observations": observations_to_json(kept[variant_id].observations)}
            for variant_id, found in ((v.id, v) for v in lesson.variants if v.id in kept)
        }
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if stored.exists() and stored.read_text(encoding="utf-8") == text:
        return False
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_text(text, encoding="utf-8")
    return True

"""`flask lessons new`: a lesson file with every key and TODO markers, which the check rejects
until an author fills it in (its starter equals its solution placeholder, so it cannot pass)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from services.errors import InvalidInput
from services.lessons.library import lesson_files
from services.lessons.model import LEVELS
from services.lessons.schema import KEYS

_LEVEL_BASE = {level: 100 * (number + 1) for number, level in enumerate(LEVELS)}
_LANGUAGE = re.compile(r"^[a-z][a-z0-9]*$")


def slugify(topic: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")


def _next_order(root: Path, language: str, level: str) -> int:
    orders = []
    for path in lesson_files(root):
        if path.parent.parent.name != language:
            continue
        try:
            order = json.loads(path.read_text(encoding="utf-8")).get("order")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(order, int):
            orders.append(order)
    base = _LEVEL_BASE[level]
    in_level = [o for o in orders if base <= o < base + 100]
    return max(in_level, default=base) + 1


def skeleton(language: str, level: str, topic: str, order: int) -> dict[str, Any]:
    slug = slugify(topic)
    placeholder = "# TODO: the reference solution (must pass every test)\n"
    data = {
        "id": f"{language}-{slug}",
        "title": f"TODO: a human title for {topic}",
        "language": language,
        "level": level,
        "topic": topic,
        "order": order,
        "concepts": ["TODO"],
        "prerequisites": [],
        "lesson": f"# {topic.capitalize()}\n\nTODO: explain the idea step by step, with at least two "
                  "runnable examples.\n\n```python\n# TODO: an example with print() and its output in a comment\n```\n",
        "challenge": "TODO: what to write - exact names, signatures, return values and an example call.",
        "starter": placeholder,
        "solution": placeholder,
        "tests": [
            "def test_todo_first():\n    assert False, 'TODO: a test with a message that teaches'",
            "def test_todo_second():\n    assert False, 'TODO: a test with a message that teaches'",
            "def test_todo_edge_case():\n    assert False, 'TODO: a test of an edge case'",
        ],
        "hidden": [
            {"name": "todo_other_inputs", "about": "TODO: the behaviour, e.g. a negative number",
             "check": "return None  # TODO: call the learner's code on inputs the tests never show"},
        ],
        "hints": ["TODO: a gentle hint", "TODO: a more specific hint"],
        "quiz": [{"question": "TODO: a question", "choices": ["TODO", "TODO", "TODO", "TODO"], "answer": 0,
                  "explanation": "TODO: why"}],
    }
    return {key: data[key] for key in KEYS if key in data}


def write_skeleton(root: str | Path, language: str, level: str, topic: str) -> Path:
    """Create content/lessons/<language>/<level>/<slug>.json; refuses to overwrite."""
    root = Path(root)
    language = language.strip().lower()
    if not _LANGUAGE.match(language):
        raise InvalidInput(f"Language {language!r} must be one lowercase word, e.g. python.")
    if level not in LEVELS:
        raise InvalidInput(f"Level must be one of {', '.join(LEVELS)}.")
    slug = slugify(topic)
    if not slug:
        raise InvalidInput("The topic needs at least one letter or digit.")
    path = root / language / level / f"{slug}.json"
    if path.exists():
        raise InvalidInput(f"{path} already exists.")
    path.parent.mkdir(parents=True, exist_ok=True)
    data = skeleton(language, level, topic, _next_order(root, language, level))
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path

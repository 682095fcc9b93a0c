"""Lesson tests work on a small copy of the library in a temp folder, so they can break it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"
REFERENCES = CONTENT.parent / "references"
SAMPLE = ("beginner/variables.json", "beginner/numbers.json", "beginner/strings.json")


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    for name in SAMPLE:
        target = root / "python" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CONTENT / "python" / name, target)
        stored = REFERENCES / "python" / name  # the reference observations travel with the lesson
        if stored.exists():
            (tmp_path / "references" / "python" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(stored, tmp_path / "references" / "python" / name)
    return root


@pytest.fixture
def app_config(app_config, lessons_dir):
    return {**app_config, "LESSONS_DIR": str(lessons_dir)}


def edit_lesson(root: Path, name: str, **changes) -> Path:
    path = root / "python" / name
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path

"""Lesson tests work on a small copy of the library in a temp folder, so they can break it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CONTENT = Path(__file__).resolve().parents[2] / "content" / "lessons"
REFERENCES = CONTENT.parent / "references"
CONCEPTS = CONTENT.parent / "concepts"
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
    write_sample_concepts(root)
    return root


def write_sample_concepts(root: Path) -> None:
    """The concept map cut down to the concepts the sample lessons teach (a full map would define
    concepts no lesson of the sample teaches)."""
    taught = {c for name in SAMPLE for c in json.loads((CONTENT / "python" / name).read_text())["concepts"]}
    full = json.loads((CONCEPTS / "python.json").read_text(encoding="utf-8"))
    kept = [{**c, "prerequisites": [p for p in c["prerequisites"] if p in taught]}
            for c in full["concepts"] if c["id"] in taught]
    target = root.parent / "concepts" / "python.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"language": "python", "concepts": kept}, indent=2), encoding="utf-8")


@pytest.fixture
def app_config(app_config, lessons_dir):
    return {**app_config, "LESSONS_DIR": str(lessons_dir)}


def edit_lesson(root: Path, name: str, **changes) -> Path:
    path = root / "python" / name
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path

"""The curated library: loaded once, validated, ordered; the seed's lesson kept as written."""

from __future__ import annotations

import json

from services.lessons.library import STALE_REFERENCE, LessonLibrary
from services.lessons.model import LEVELS
from services.lessons.schema import validate_lesson
from tests.lessons.conftest import CONTENT, edit_lesson

SEED_CHALLENGE_START = "Create three variables:\n1. A variable called `city`"


def test_the_whole_library_loads_in_track_order():
    library, problems = LessonLibrary.from_directory(CONTENT)
    assert problems == []
    assert len(library) == 33
    track = library.track("python")
    assert [lesson.order for lesson in track] == sorted(lesson.order for lesson in track)
    assert track[0].id == "python-variables"
    assert library.levels("python") == LEVELS
    assert [lesson.id for lesson in library.level("python", "beginner")][:3] == [
        "python-variables", "python-numbers", "python-strings"]


def test_the_seed_lesson_keeps_its_text_and_tests():
    library, _ = LessonLibrary.from_directory(CONTENT)
    seed = library.get("python-variables")
    assert seed.challenge.startswith(SEED_CHALLENGE_START)
    assert seed.tests[0].startswith("def test_city_exists():\n    assert 'city' in globals()")
    assert len(seed.tests) == 3 and seed.prerequisites == ()


def test_an_invalid_file_is_left_out_and_reported(lessons_dir):
    edit_lesson(lessons_dir, "beginner/numbers.json", level="expert")
    library, problems = LessonLibrary.from_directory(lessons_dir)
    assert "python-numbers" not in library and "python-variables" in library
    assert any("level 'expert'" in str(p) for p in problems)


def test_validation_names_each_problem():
    assert validate_lesson([]) == ["the file must hold one JSON object"]
    assert validate_lesson({"id": "python-x"})[0].startswith("missing keys:")
    library, _ = LessonLibrary.from_directory(CONTENT)
    data = library.get("python-numbers").to_dict()
    assert validate_lesson(data, stem="numbers", folder_level="beginner") == []
    assert any("must be 'python-other'" in p for p in validate_lesson(data, stem="other"))
    broken = {**data, "tests": ["assert True", "def test_a():\n    assert (", "def test_a():\n    pass"],
              "concepts": ["Bad Slug"], "order": 0}
    problems = " | ".join(validate_lesson(broken))
    assert "test 1 must define `def test_<name>():` or a `class Test...` TestCase" in problems
    assert "syntax error" in problems
    assert "lowercase-hyphen" in problems
    assert "`order` must be a positive whole number" in problems


def test_start_up_load_leaves_code_parsing_to_the_check(lessons_dir):
    edit_lesson(lessons_dir, "beginner/numbers.json", solution="def broken(:\n")
    library, problems = LessonLibrary.from_directory(lessons_dir)
    # cheap at start-up: only the stored reference's fingerprint says the solution changed ...
    assert "python-numbers" in library and [p.message for p in problems] == [STALE_REFERENCE]
    assert library.get("python-numbers").reference is None  # ... so no submission can complete it
    data = library.get("python-numbers").to_dict()
    assert any("syntax error" in p for p in validate_lesson(data))  # ... the content check catches it


def test_app_start_up_does_not_import_the_markdown_tools():
    import subprocess
    import sys

    probe = ("import sys, tempfile; from app import create_app; "
             "create_app({'INSTANCE_PATH': tempfile.mkdtemp(), 'SECRET_KEY': 'x', 'LOG_LEVEL': 'WARNING'}); "
             "print(sorted(m for m in ('markdown_it', 'pygments', 'nh3') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=str(CONTENT.parents[1])).stdout
    assert out.strip() == "[]"  # imported on the first lesson render instead (cold starts stay short)


def test_a_lesson_may_write_its_tests_in_unittest_style(lessons_dir):
    data = json.loads((lessons_dir / "python" / "beginner" / "numbers.json").read_text())
    data["tests"] = data["tests"][:2] + [
        "import unittest\n\nclass TestPizzas(unittest.TestCase):\n    def test_pizzas(self):\n"
        "        self.assertEqual(pizzas, 9)\n"]
    data.pop("test_concepts", None)  # it names the tests replaced here
    assert validate_lesson(data, stem="numbers", folder_level="beginner") == []

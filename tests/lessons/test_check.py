"""`flask lessons check` and `flask lessons new`: problems found, one line each, non-zero exit."""

from __future__ import annotations

import json

from services.lessons.check import graph_problems, python_blocks, run_blocks
from services.lessons.model import Lesson
from tests.lessons.conftest import edit_lesson


def test_a_good_library_passes(runner):
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 0, result.output
    assert "3 lesson files checked" in result.output and "0 problems" in result.output


def test_each_kind_of_problem_gets_a_line_and_a_non_zero_exit(runner, lessons_dir):
    edit_lesson(lessons_dir, "beginner/variables.json", solution="city = 'x'\n")
    edit_lesson(lessons_dir, "beginner/numbers.json", prerequisites=["python-nowhere"],
                lesson="Intro\n\n```python\nx = 1\n```\n\n```python\nprint(x / 0)\n```\n")
    strings = json.loads((lessons_dir / "python/beginner/strings.json").read_text())
    edit_lesson(lessons_dir, "beginner/strings.json", starter=strings["solution"] + "\n# same\n")
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 1
    out = result.output
    assert "python-variables: the reference solution does not pass (fail): test_population_exists" in out
    assert "python-numbers: prerequisite 'python-nowhere' does not exist" in out
    assert "python-numbers: python block 2 of the lesson text raised ZeroDivisionError" in out
    assert "python-strings: the starter passes every test" in out
    assert "python-variables: its reference observations are missing or stale" in out  # the solution changed
    assert "5 problems." in out


def test_ids_must_match_file_names_and_be_unique(runner, lessons_dir):
    edit_lesson(lessons_dir, "beginner/numbers.json", id="python-variables")
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 1
    assert "must be 'python-numbers'" in result.output


def test_a_new_skeleton_is_rejected_until_filled_in(runner, lessons_dir):
    result = runner.invoke(args=["lessons", "new", "python", "intermediate", "While loops & else"])
    assert result.exit_code == 0, result.output
    path = lessons_dir / "python/intermediate/while-loops-else.json"
    data = json.loads(path.read_text())
    assert list(data)[:4] == ["id", "title", "language", "level"] and data["id"] == "python-while-loops-else"
    assert data["order"] == 201 and data["starter"] == data["solution"]
    checked = runner.invoke(args=["lessons", "check"])
    assert checked.exit_code == 1
    assert "python-while-loops-else: still has TODO markers in:" in checked.output
    assert "python-while-loops-else: the starter is the same as the solution" in checked.output
    again = runner.invoke(args=["lessons", "new", "python", "intermediate", "While loops & else"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad_level = runner.invoke(args=["lessons", "new", "python", "expert", "x"])
    assert bad_level.exit_code != 0 and "Level must be one of" in bad_level.output


def _lesson(lesson_id: str, *prerequisites: str, order: int = 1) -> Lesson:
    return Lesson(id=lesson_id, title=lesson_id, language="python", level="beginner", topic=lesson_id,
                  order=order, concepts=("x",), prerequisites=prerequisites, lesson="", challenge="",
                  starter="", solution="x = 1", tests=(), hints=())


def test_prerequisite_cycles_are_found():
    lessons = [(_lesson("python-a", "python-c", order=1), "a"), (_lesson("python-b", "python-a", order=2), "b"),
               (_lesson("python-c", "python-b", order=3), "c"), (_lesson("python-d", "python-a", order=3), "d")]
    messages = [str(p) for p in graph_problems(lessons)]
    assert any("cycle: python-a -> python-c -> python-b -> python-a" in m for m in messages)
    assert any("order 3 is also used by python-c" in m for m in messages)


def test_only_python_blocks_run_in_one_namespace():
    text = "```python\nx = 2\n```\n\n```text\nnot python\n```\n\n```python\nassert x == 2\nopen('f', 'w')\n```"
    assert python_blocks(text) == ["x = 2\n", "assert x == 2\nopen('f', 'w')\n"]
    assert run_blocks(python_blocks(text)) is None
    assert "raised SystemExit" in run_blocks(["import sys\nsys.exit(3)"])
    assert "did not finish" in run_blocks(["while True:\n    pass"], timeout=1)

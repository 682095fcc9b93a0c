"""The exercise corpus: real exercises in the three test styles lessons use, graded end to end.

Each `exercises/<slug>.json` holds an exercise as a lesson author would write it: its tests (plain
`assert` functions, unittest `TestCase` classes, or pytest style with `raises`, `approx` and
`parametrize`), a reference solution, a starter, and plausible wrong solutions with what the grader
must say about them. `expect.message_contains` maps a test's name to a substring of its message; the
key "@report" means the report's own message (a load or syntax error has no test of its own).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.grader import Grader, Report

EXERCISES = Path(__file__).parent / "exercises"
STYLES = ("assert", "unittest", "pytest")
STATUSES = ("fail", "error", "timeout")
REPORT_KEY = "@report"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


CORPUS = {path.stem: _load(path) for path in sorted(EXERCISES.glob("*.json"))}


def _id(slug: str) -> str:
    return f"{CORPUS[slug].get('style')}-{slug}"


SLUGS = [pytest.param(slug, id=_id(slug)) for slug in CORPUS]
WRONG = [pytest.param(slug, index, id=f"{_id(slug)}-wrong{index}")
         for slug, exercise in CORPUS.items() for index in range(len(exercise.get("wrong", [])))]


@pytest.fixture(scope="module")
def exercise_grader() -> Grader:
    return Grader()


def _describe(report: Report) -> str:
    lines = [f"status {report.status}: {report.message}"]
    lines += [f"  {t.name}: {t.status} {t.message!r}" for t in report.tests]
    return "\n".join(lines)


def test_the_corpus_has_at_least_40_exercises_and_13_in_each_style():
    styles = [exercise.get("style") for exercise in CORPUS.values()]
    assert len(CORPUS) >= 40
    for style in STYLES:
        assert styles.count(style) >= 13, f"only {styles.count(style)} {style} exercises"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_exercise_file_is_well_formed(slug):
    exercise = CORPUS[slug]
    assert set(exercise) == {"title", "style", "tests", "reference", "starter", "wrong"}
    assert exercise["style"] in STYLES
    assert isinstance(exercise["title"], str) and exercise["title"].strip()
    assert exercise["tests"] and all(isinstance(test, str) for test in exercise["tests"])
    assert isinstance(exercise["reference"], str) and isinstance(exercise["starter"], str)
    assert exercise["starter"] != exercise["reference"]
    assert exercise["wrong"], "at least one plausible wrong solution"
    for wrong in exercise["wrong"]:
        assert set(wrong) == {"code", "why", "expect"}
        assert wrong["why"].strip() and wrong["code"] != exercise["reference"]
        expect = wrong["expect"]
        assert set(expect) <= {"status", "failing", "message_contains"} and expect["status"] in STATUSES
        assert isinstance(expect.get("failing", []), list)
        assert isinstance(expect.get("message_contains", {}), dict)
    joined = "\n".join(exercise["tests"])
    if exercise["style"] == "unittest":
        assert "import unittest" in joined and "(unittest.TestCase)" in joined
    elif exercise["style"] == "pytest":
        assert "import pytest" in joined
    else:
        assert "import unittest" not in joined and "import pytest" not in joined


@pytest.mark.parametrize("slug", SLUGS)
def test_the_reference_solution_passes(exercise_grader, slug):
    exercise = CORPUS[slug]
    report = exercise_grader.grade(exercise["reference"], exercise["tests"])
    assert report.status == "pass", _describe(report)
    assert report.tests and all(t.status == "pass" for t in report.tests), _describe(report)


@pytest.mark.parametrize("slug", SLUGS)
def test_the_starter_does_not_pass(exercise_grader, slug):
    exercise = CORPUS[slug]
    report = exercise_grader.grade(exercise["starter"], exercise["tests"])
    assert report.status != "pass", _describe(report)


@pytest.mark.parametrize(("slug", "index"), WRONG)
def test_the_wrong_solution_gets_its_verdict_and_messages(exercise_grader, slug, index):
    exercise = CORPUS[slug]
    wrong = exercise["wrong"][index]
    expect = wrong["expect"]
    report = exercise_grader.grade(wrong["code"], exercise["tests"])
    described = f"{wrong['why']}\n{_describe(report)}"
    assert report.status == expect["status"], described
    results = {t.name: t for t in report.tests}
    for name in expect.get("failing", []):
        assert name in results, f"no result named {name!r}\n{described}"
        assert results[name].status != "pass", described
    for name, fragment in expect.get("message_contains", {}).items():
        message = report.message if name == REPORT_KEY else results[name].message if name in results else None
        assert message is not None, f"no result named {name!r}\n{described}"
        assert fragment in message, described

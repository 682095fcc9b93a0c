"""Code variants: parsed into Lesson.variants, their references stored beside the lesson's under
"variants", served only when current, and proved by `flask lessons check` like the lesson."""

from __future__ import annotations

import json

from services.lessons.library import LessonLibrary
from tests.reviews.variants import EGG_BOXES, SHARED_BILL, add_variants


def test_variants_are_stored_served_and_proved(runner, lessons_dir):
    add_variants(lessons_dir)
    library, problems = LessonLibrary.from_directory(lessons_dir)
    assert library.get("python-numbers").variants == ()  # no reference yet: not served
    assert any("variant egg-boxes" in str(p) for p in problems)

    result = runner.invoke(args=["lessons", "references"])
    assert result.exit_code == 0, result.output
    stored = json.loads((lessons_dir.parent / "references/python/beginner/numbers.json").read_text())
    assert set(stored["variants"]) == {"egg-boxes", "shared-bill"}
    assert stored["variants"]["egg-boxes"]["observations"]["other_eggs"]["value"] == [5, 5]

    library, problems = LessonLibrary.from_directory(lessons_dir)
    lesson = library.get("python-numbers")
    assert [v.id for v in lesson.variants] == ["egg-boxes", "shared-bill"] and not problems
    assert all(v.reference is not None for v in lesson.variants)
    graded = lesson.as_variant(lesson.variant("egg-boxes"))
    assert graded.tests == tuple(EGG_BOXES["tests"]) and graded.reference is lesson.variants[0].reference

    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 0, result.output


def test_a_stale_variant_is_not_served_and_the_check_says_so(runner, lessons_dir):
    add_variants(lessons_dir)
    assert runner.invoke(args=["lessons", "references"]).exit_code == 0
    changed = {**SHARED_BILL, "solution": SHARED_BILL["solution"] + "# changed\n"}
    add_variants(lessons_dir, variants=[EGG_BOXES, changed])
    lesson = LessonLibrary.from_directory(lessons_dir)[0].get("python-numbers")
    assert [v.id for v in lesson.variants] == ["egg-boxes"]
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 1
    assert "variant shared-bill: its reference observations are missing or stale" in result.output


def test_a_variant_is_proved_like_the_lesson(runner, lessons_dir):
    passing_starter = {**EGG_BOXES, "starter": EGG_BOXES["solution"] + "\n# done\n"}
    no_hidden = {**SHARED_BILL, "hidden": [{"name": "same_bill", "about": "the same bill",
                                             "check": "return share"}]}
    add_variants(lessons_dir, variants=[passing_starter, no_hidden])
    assert runner.invoke(args=["lessons", "references"]).exit_code == 0
    out = runner.invoke(args=["lessons", "check"]).output
    assert "variant egg-boxes: the starter passes every test" in out
    assert "variant shared-bill: a hard-coded attack passes" in out

"""The concept map: built from content/concepts and the lessons, and every way it can be wrong said."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from services.lessons.library import LessonLibrary
from services.tutor.concepts import ConceptMap, load_concept_map
from tests.lessons.conftest import CONTENT


def library_lessons():
    library, problems = LessonLibrary.from_directory(CONTENT)
    assert problems == []
    return list(library.all())


def test_the_curated_map_is_sound_and_covers_every_lesson_concept():
    lessons = library_lessons()
    concepts, problems = load_concept_map(CONTENT, lessons)
    assert problems == []
    assert {c for lesson in lessons for c in lesson.concepts} == {c.id for c in concepts.all()}
    order = [c.id for c in concepts.all()]
    for concept in concepts.all():  # prerequisites come first
        assert all(order.index(p) < order.index(concept.id) for p in concept.prerequisites)
    assert concepts.introducing_lesson("recursion").id == "python-recursion"
    assert [x.id for x in concepts.lessons_of("recursion")] == ["python-recursion", "python-binary-search-trees"]
    assert "for-loops" in concepts.get("accumulator-pattern").prerequisites
    assert "accumulator-pattern" in concepts.dependants("for-loops")


def definitions(**changes):
    base = [{"id": "a", "title": "A", "description": "first", "prerequisites": []},
            {"id": "b", "title": "B", "description": "second", "prerequisites": ["a"]}]
    for item in base:
        item.update(changes.get(item["id"], {}))
    return base


def lessons_naming(*concepts):
    """One curated lesson, made to name `concepts`."""
    return [dataclasses.replace(library_lessons()[0], concepts=tuple(concepts), test_concepts=())]


def test_a_concept_no_definition_names_is_reported_with_its_lesson():
    problems = ConceptMap.build(definitions(), lessons_naming("a", "b", "c")).problems()
    assert any("'c'" in p and "has no definition" in p for p in problems)


def test_a_cycle_an_unknown_prerequisite_and_an_untaught_concept_are_reported():
    cyc = ConceptMap.build(definitions(a={"prerequisites": ["b"]}), lessons_naming("a", "b")).problems()
    assert any("cycle" in p for p in cyc)
    unknown = ConceptMap.build(definitions(b={"prerequisites": ["zzz"]}), lessons_naming("a", "b")).problems()
    assert any("'zzz'" in p for p in unknown)
    untaught = ConceptMap.build(definitions(), lessons_naming("a")).problems()
    assert any("'b' is defined but no lesson teaches it" in p for p in untaught)


def test_flask_lessons_check_fails_on_a_broken_concept_map(runner, lessons_dir):
    concepts_file = Path(lessons_dir).parent / "concepts" / "python.json"
    data = json.loads(concepts_file.read_text())
    data["concepts"][1]["prerequisites"] = [data["concepts"][2]["id"]]
    data["concepts"][2]["prerequisites"] = [data["concepts"][1]["id"]]
    concepts_file.write_text(json.dumps(data))
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 1 and "cycle" in result.output


def test_a_missing_concept_file_is_a_problem_not_a_crash(lessons_dir):
    (Path(lessons_dir).parent / "concepts" / "python.json").unlink()
    library, _ = LessonLibrary.from_directory(lessons_dir)
    concepts, problems = load_concept_map(lessons_dir, library.all())
    assert any("missing" in p for p in problems) and len(concepts) == 0

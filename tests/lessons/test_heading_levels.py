"""Headings in rendered lessons go down one level at a time under the page's own (the lesson text
under the <h1>, the challenge under its <h2>), whatever levels the Markdown used: a screen reader's
outline then has no gaps (axe's heading-order found h2 -> h4 in the challenges)."""

from __future__ import annotations

import re

from services.lessons.library import LessonLibrary
from services.lessons.rendering import LessonRenderer
from tests.lessons.conftest import CONTENT

_HEADING = re.compile(r"<h([1-6])[ >]")


def _jumps(html: str, start: int) -> list[str]:
    jumps, previous = [], start
    for level in map(int, _HEADING.findall(html)):
        if level > previous + 1 or level <= start:
            jumps.append(f"h{previous} -> h{level}")
        previous = level
    return jumps


def test_every_curated_lesson_has_no_heading_jump():
    library, _ = LessonLibrary.from_directory(CONTENT)
    renderer = LessonRenderer()
    problems = {}
    for lesson in library.all():
        rendered = renderer.render(lesson)
        found = [f"lesson {j}" for j in _jumps(rendered.lesson, 1)]
        found += [f"challenge {j}" for j in _jumps(rendered.challenge, 2)]
        if found:
            problems[lesson.id] = found
    assert not problems


def test_levels_follow_the_markdown_but_never_skip():
    renderer = LessonRenderer()
    html = renderer.markdown("## Task\n\ntext\n\n#### Detail\n\n# Back to the top\n\n### Below it\n", shift=2)
    assert re.findall(r"<(h\d)>", html) == ["h3", "h4", "h3", "h4"]
    assert "<h3>Task</h3>" in html and "<h4>Detail</h4>" in html

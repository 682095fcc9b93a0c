"""The answer gate's text part: fragments found in answers, and normalised comparison with the reference."""

import pytest

from services.ai.answer_text import extract_fragments, reference_units, repeats_reference

REFERENCE = '''def normalize_name(raw):
    """Docstrings never count."""
    words = []
    for word in raw.split():
        words.append(word.capitalize())
    return " ".join(words)


def summarize(numbers):
    total = sum(numbers) / len(numbers)
    return min(numbers), max(numbers), total
'''


def _sources(text):
    return [(f.where, f.source) for f in extract_fragments(text)]


def test_fragments_come_from_every_place_code_hides():
    text = (
        "Look:\n```python\nx = 1\n```\nThen `y = x + 1` inline.\n"
        "    z = y * 2\n"
        "total = z + 1\n"
        "and in prose you could just return min(xs), max(xs) and it works."
    )
    found = _sources(text)
    assert ("fenced", "x = 1") in found
    assert ("inline", "y = x + 1") in found
    assert ("indented", "z = y * 2") in found
    assert ("line", "total = z + 1") in found
    assert ("phrase", "return min(xs), max(xs)") in found


def test_prose_is_not_code():
    assert _sources("Try it. The str.split method helps; print what you get and compare.") == []


@pytest.mark.parametrize(
    "fragment",
    [
        "return ' '.join(words)",              # quote style
        '" ".join(words)',                      # return stripped
        "' '.join(names)",                    # renamed variable
        "avg = sum(values) / len(values)",     # other target, renamed
        "sum(xs)/len(xs)",                      # spacing, and the assignment stripped
        "min(values), max(values), mean",       # part of a line's expression
        "words.append(word.capitalize())",     # a whole statement
    ],
)
def test_normalised_reference_lines_are_found(fragment):
    (found,) = extract_fragments(f"`{fragment}`")
    assert repeats_reference(found.tree, reference_units(REFERENCE))


@pytest.mark.parametrize(
    "fragment",
    ["words = []", "for item in items:", "len(numbers)", "print(min([3, 1]))", "' '.join(['a', 'b'])",
     "return total", "word.capitalize()"],
)
def test_small_or_different_code_is_not_a_reference_line(fragment):
    (found,) = extract_fragments(f"`{fragment}`")
    assert not repeats_reference(found.tree, reference_units(REFERENCE))


def test_the_learners_own_lines_are_not_news():
    (found,) = extract_fragments("`return ' '.join(words)`")
    units = reference_units(REFERENCE)
    own = reference_units("def normalize_name(raw):\n    return ' '.join(raw)\n")
    assert repeats_reference(found.tree, units)
    assert not repeats_reference(found.tree, units, own)


def test_an_unparseable_reference_protects_nothing_and_does_not_raise():
    (found,) = extract_fragments("`x = 1 + 2`")
    assert not repeats_reference(found.tree, reference_units("def broken(:\n"))

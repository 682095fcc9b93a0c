"""Two code variants of the numbers lesson (beginner/numbers.json), for tests that need variants
before (or whatever) the content has: each with tests, hidden checks and test concepts."""

from __future__ import annotations

import json
from pathlib import Path

EGG_BOXES = {
    "id": "egg-boxes",
    "title": "Egg boxes",
    "challenge": "# Egg boxes\n\nKeep `eggs = 50` and `eggs_per_box = 12`. Compute `boxes` (whole boxes needed, "
                 "rounded **up**) and `empty_spaces` (places left empty in the last box).",
    "starter": "eggs = 50\neggs_per_box = 12\n\n# boxes, empty_spaces\n",
    "solution": "import math\n\neggs = 50\neggs_per_box = 12\nboxes = math.ceil(eggs / eggs_per_box)\n"
                "empty_spaces = boxes * eggs_per_box - eggs\n",
    "tests": [
        "def test_boxes():\n    assert 'boxes' in globals(), 'Variable boxes not found'\n"
        "    assert boxes == 5, '50 eggs need 5 boxes of 12'",
        "def test_empty_spaces():\n    assert 'empty_spaces' in globals(), 'Variable empty_spaces not found'\n"
        "    assert empty_spaces == 10, '5 boxes hold 60 eggs: 10 places stay empty'",
    ],
    "test_concepts": {"test_boxes": ["rounding", "arithmetic-operators"],
                      "test_empty_spaces": ["arithmetic-operators"]},
    "hidden": [{"name": "other_eggs", "about": "another number of eggs",
                "check": "ns = rerun(eggs=25, eggs_per_box=6)\nreturn [ns['boxes'], ns['empty_spaces']]"}],
}
SHARED_BILL = {
    "id": "shared-bill",
    "title": "A shared bill",
    "challenge": "# A shared bill\n\nKeep `total = 47.5` and `people = 6`. Compute `share`: the total split "
                 "equally, rounded to 2 decimal places.",
    "starter": "total = 47.5\npeople = 6\n\n# share\n",
    "solution": "total = 47.5\npeople = 6\nshare = round(total / people, 2)\n",
    "tests": [
        "def test_share_exists():\n    assert 'share' in globals(), 'Variable share not found'\n"
        "    assert isinstance(share, float), 'share should be a float'",
        "def test_share_value():\n    assert share == 7.92, '47.5 / 6 rounded to 2 places is 7.92'",
    ],
    "test_concepts": {"test_share_exists": ["numbers"], "test_share_value": ["rounding"]},
    "hidden": [{"name": "other_bill", "about": "another bill",
                "check": "ns = rerun(total=10.0, people=3)\nreturn ns['share']"}],
}
VARIANTS = [EGG_BOXES, SHARED_BILL]


def add_variants(lessons_root: Path, name: str = "beginner/numbers.json", variants: list | None = None) -> Path:
    path = lessons_root / "python" / name
    data = json.loads(path.read_text(encoding="utf-8"))
    data["variants"] = VARIANTS if variants is None else variants
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path

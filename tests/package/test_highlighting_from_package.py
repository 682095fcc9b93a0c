"""Code highlighting from the built zip, which keeps only some Pygments lexers (scripts/build_package.py):
every language the lessons fence is highlighted, and a fence in a language left out is plain text,
not an error."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from pygments.lexers import find_lexer_class_by_name

from scripts.build_package import KEPT_LEXERS, PROJECT_ROOT

_RENDER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from services.lessons.rendering import LessonRenderer
renderer = LessonRenderer()
print(json.dumps({language: renderer.markdown(f"```{language}\\n{code}\\n```")
                  for language, code in json.loads(sys.argv[2]).items()}))
"""
_FENCE = re.compile(r"```([A-Za-z0-9_+-]+)")  # in the lessons' JSON text too, where lines are "\n"


def test_every_language_the_lessons_fence_has_its_lexer_in_the_zip():
    languages = {m.group(1).lower() for path in (PROJECT_ROOT / "content" / "lessons").rglob("*.json")
                 for m in _FENCE.finditer(path.read_text(encoding="utf-8"))}
    assert {"python", "text"} <= languages
    for language in languages | {"text", "bash", "json", "pycon"}:
        module = find_lexer_class_by_name(language).__module__.rsplit(".", 1)[-1]
        assert module in KEPT_LEXERS, (language, module)


def test_kept_lexers_highlight_and_a_left_out_one_gives_plain_text(task_root: Path):
    blocks = {"python": "def f(x):\n    return x", "bash": "echo hi", "rust": "fn main() { let x = 1; }"}
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _RENDER, str(task_root), json.dumps(blocks)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    html = json.loads(done.stdout)
    assert '<span class="k">def</span>' in html["python"] and "<span" in html["bash"].split("<code", 1)[1]
    assert "fn main() { let x = 1; }" in html["rust"] and 'class="k"' not in html["rust"]

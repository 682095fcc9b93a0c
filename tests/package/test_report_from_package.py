"""The PDF progress report from the built zip: fpdf2 without Pillow (left out of the zip) and with
only the part of fontTools the package keeps writes a report in a TrueType font (issue 17)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from services.progress.report import find_font

_MAKE_REPORT = """
import sys
sys.path.insert(0, sys.argv[1])
import importlib.util
assert importlib.util.find_spec("PIL") is None, "Pillow is in the package"
from datetime import UTC, datetime
from services.progress.achievements import RULES, AchievementState
from services.progress.calendar import Streaks
from services.progress.dashboard import Dashboard, LevelCompletion
from services.progress.heatmap import heat_map
from services.progress.report import ReportInput, build_pdf
today = datetime.now(UTC).date()
board = Dashboard("Europe/Rome", [LevelCompletion("beginner", 1, 11)], Streaks(1, 1, True), heat_map({}, today), 5, 5,
                  [AchievementState(RULES[0], datetime.now(UTC))], [], 1, 33, {})
pdf = build_pdf(ReportInput("Lucia di città", "l@example.com", board, [("beginner", "Variables", None)],
                            [("Variables", 40)], datetime.now(UTC)), sys.argv[2])
assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf, "no embedded TrueType font"
print(len(pdf))
"""


def test_the_zip_makes_a_report_in_a_truetype_font_without_pillow(task_root: Path):
    font = find_font(None)
    if font is None:
        pytest.skip("no TrueType font on this machine (DejaVu Sans); set CODELEARN_REPORT_FONT to test with one")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _MAKE_REPORT, str(task_root), font],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip()) > 1000

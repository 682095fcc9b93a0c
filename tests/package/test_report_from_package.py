"""The PDF progress report from the built zip: fpdf2 without Pillow (left out of the zip), with only
the part of fontTools it imports, in the DejaVu Sans the package ships (Lambda has no fonts), so a
name such as "città" prints as typed (issue 17)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from pypdf import PdfReader

from scripts.build_package import PACKAGED_FONT

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
from services.progress.report import ReportInput, build_pdf, find_font
today = datetime.now(UTC).date()
board = Dashboard("Europe/Rome", [LevelCompletion("beginner", 1, 11)], Streaks(1, 1, True), heat_map({}, today), 5, 5,
                  [AchievementState(RULES[0], datetime.now(UTC))], [], 1, 33, {})
font = find_font(None)  # as on Lambda: CODELEARN_REPORT_FONT unset
print(font)
pdf = build_pdf(ReportInput("Lucia di città", "l@example.com", board, [("beginner", "Variables", None)],
                            [("Variables", 40)], datetime.now(UTC)), font)
open(sys.argv[2], "wb").write(pdf)
"""


def test_the_zip_ships_dejavu_sans_and_no_font_source_or_unused_font_tools(package_zip):
    names = set(zipfile.ZipFile(package_zip).namelist())
    assert PACKAGED_FONT in names
    assert not [n for n in names if n.startswith("fontTools/") and n.endswith(".c")]  # Cython sources
    assert not [n for n in names if n.startswith(("fontTools/feaLib/parser", "fontTools/varLib/interpolatable"))]


def test_the_zip_makes_a_report_in_its_own_unicode_font_without_pillow(task_root: Path, tmp_path: Path):
    out = tmp_path / "report.pdf"
    done = subprocess.run([sys.executable, "-I", "-S", "-c", _MAKE_REPORT, str(task_root), str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert Path(done.stdout.strip()) == task_root / PACKAGED_FONT  # the default where the zip is the code
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF") and b"/FontFile2" in pdf, "no embedded TrueType font"
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Lucia di città" in text

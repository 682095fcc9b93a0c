"""The fsrs package is imported when a review is scheduled, not when the app starts (a Lambda cold
start builds the app and serves pages that never schedule)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
from app import create_app
app = create_app({"INSTANCE_PATH": sys.argv[1], "SECRET_KEY": "x", "LOG_LEVEL": "ERROR"})
app.test_client().get("/")
print("fsrs" in sys.modules)
"""


def test_building_the_app_and_serving_a_page_does_not_import_fsrs(tmp_path):
    done = subprocess.run([sys.executable, "-c", CHECK, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"

"""Rendering under concurrency: the first lesson renders of a fresh process may happen in many request
threads at once (the page benchmark found a lazy-import race in Pygments this way)."""

from __future__ import annotations

import subprocess
import sys

from tests.lessons.conftest import CONTENT

_PROBE = """
import threading
from services.lessons.library import LessonLibrary
from services.lessons.rendering import LessonRenderer

library, _ = LessonLibrary.from_directory({root!r})
renderer = LessonRenderer()
lessons = library.all()
barrier = threading.Barrier(16)
failures = []

def first_render(number):
    barrier.wait()
    try:
        renderer.render(lessons[number % len(lessons)])
    except Exception as exc:  # the probe reports any failure to the test
        failures.append(repr(exc))

threads = [threading.Thread(target=first_render, args=(n,)) for n in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failures)
"""


def test_first_renders_in_many_threads_at_once_all_succeed():
    for _ in range(3):  # a race does not show every time: a few fresh processes
        done = subprocess.run([sys.executable, "-c", _PROBE.format(root=str(CONTENT))], capture_output=True,
                              text=True, check=True, cwd=str(CONTENT.parents[1]))
        assert done.stdout.strip() == "[]", done.stdout

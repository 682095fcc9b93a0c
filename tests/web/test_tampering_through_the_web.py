"""Tampering never completes a curated lesson through the web, whatever the visible tests report.

Each attack is built for every lesson from its starter and its reference solution's public names:
builtins handed over through `__all__`, objects whose `__class__` property and `__eq__` lie, frame
walking to the runner to write a complete passing report, and patching the runner's functions. Each
fools in-process tests; none can produce the reference's observations for inputs it never saw.
"""

from __future__ import annotations

import ast
import json

import pytest

from services.lessons.library import LessonLibrary
from tests.conftest import csrf_token
from tests.lessons.conftest import CONTENT

LIBRARY, PROBLEMS = LessonLibrary.from_directory(CONTENT)
LESSONS = [lesson for lesson in LIBRARY.all()]


def public_names(solution: str) -> list[str]:
    names = []
    for node in ast.parse(solution).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name) and not t.id.startswith("_")]
    return names


LIAR = '''
class Liar:
    @property
    def __class__(self):
        return int
    def __eq__(self, other):
        return True
    __hash__ = object.__hash__
    def __call__(self, *args, **kwargs):
        return Liar()
    def __getattr__(self, name):
        return Liar()
    def __iter__(self):
        return iter([])
    def __len__(self):
        return 1
    def __bool__(self):
        return True
'''
REACH_THE_RUNNER = '''
import sys
frame = sys._getframe()
while frame is not None and "run" not in frame.f_locals:
    frame = frame.f_back
run = frame.f_locals["run"]
job = frame.f_locals["job"]
'''


def attacks(lesson) -> dict[str, str]:
    names = public_names(lesson.solution)
    liars = "".join(f"{name} = Liar()\n" for name in names)
    return {
        "builtins_through_dunder_all": lesson.starter + "\n__builtins__ = dict(__builtins__, "
        "isinstance=lambda *a: True, len=lambda o: 1, hasattr=lambda *a: True)\n"
        "__all__ = ['__builtins__'] + " + json.dumps(names) + "\n" + LIAR + liars,
        "class_property_and_eq_spoofing": LIAR + liars,
        # A complete, correctly sequenced and signed report: every visible test passed, every hidden
        # check observed as None - then exit before the real tests run.
        "frame_walk_writes_a_passing_report": REACH_THE_RUNNER + '''
import marshal, os
items = marshal.loads(job["tests"])
run.emit("load", "ok", "", "")
for kind, name, code in items:
    if kind == "test":
        run.emit("result", name, "pass", "", "")
    elif kind == "observe":
        run.emit("observed", name, None, None)
run.emit("done")
os._exit(0)
''',
        "patched_runner_functions": REACH_THE_RUNNER + '''
main = sys.modules["__main__"]
main._run_one_test = lambda run, namespace, name: run.emit("result", name, "pass", "", "")
main._run_one_observation = lambda run, namespace, name, code: run.emit("observed", name, 0, None)
''' + lesson.starter,
    }


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SUBMISSIONS_PER_MINUTE": 10_000}


def test_every_curated_lesson_has_hidden_checks_and_a_reference():
    assert not PROBLEMS, PROBLEMS
    assert len(LESSONS) == 33
    for lesson in LESSONS:
        assert lesson.hidden, f"{lesson.id} has no hidden checks"
        assert lesson.reference is not None and lesson.reference.observations, lesson.id


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_no_tampering_completes_the_lesson(app, client, learner, lesson):
    token = csrf_token(client, f"/learn/{lesson.id}")
    store = app.extensions["codelearn.store"]
    for name, code in attacks(lesson).items():
        response = client.post(f"/learn/{lesson.id}/submit", data={"code": code},
                               headers={"X-CSRFToken": token, "Accept": "application/json"})
        assert response.status_code == 200, (name, response.get_data(as_text=True)[:300])
        body = response.get_json()
        assert body["status"] != "pass" and not body["completed"], (name, body["summary"])
        progress = store.get_progress(learner.id, lesson.id)
        assert progress is None or not progress.completed, name
    # Control: the reference solution completes it through the same path.
    response = client.post(f"/learn/{lesson.id}/submit", data={"code": lesson.solution},
                           headers={"X-CSRFToken": token, "Accept": "application/json"})
    assert response.get_json()["completed"], response.get_json()["summary"]

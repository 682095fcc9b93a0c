"""Property tests: whatever a form handler or the lesson loader is given, the answer is a success or a
4xx (a refusal the learner can read), never a 500 or an exception.

The form handlers are every POST page route in `app.url_map` (new ones are covered without editing
this file), posted with a valid CSRF token by a logged-in learner, with any fields and any text.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.grader.languages import LANGUAGES
from services.lessons.library import LessonLibrary
from services.lessons.model import Lesson
from services.lessons.rendering import LessonRenderer
from services.lessons.schema import validate_lesson
from tests.conftest import csrf_token
from tests.web.live_server import SlowSandbox
from tests.web.test_route_security import API_PREFIX

PROJECT = Path(__file__).resolve().parents[2]
SEED_LESSON = PROJECT / "content" / "lessons" / "python" / "beginner" / "variables.json"
# Logging out would end the learner's session for the examples after it; those routes are plain
# (a CSRF-checked button) and covered by the route checks.
SKIPPED = {"auth.logout", "auth.logout_everywhere"}
FIELDS = ["email", "password", "display_name", "confirm", "current_password", "new_password", "remember",
          "code", "stdin", "topic", "answer", "answers", "choice", "budget", "enabled", "csrf_token", "next"]

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
form_data = st.dictionaries(st.sampled_from(FIELDS) | text.filter(bool), text | st.lists(text, max_size=3),
                            max_size=6)
ids = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)
SLOW = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _post_rules(app):
    return [r for r in app.url_map.iter_rules()
            if "POST" in r.methods and r.endpoint not in SKIPPED and not r.rule.startswith(API_PREFIX)]


def _quick_grader(monkeypatch) -> None:
    monkeypatch.setitem(LANGUAGES, "python", SlowSandbox(0.0))  # the handlers, not the sandbox, are tested


@SLOW
@given(data=st.data())
def test_any_form_post_gets_a_success_or_a_4xx(app, client, learner, monkeypatch, data):
    _quick_grader(monkeypatch)
    rule = data.draw(st.sampled_from(_post_rules(app)), label="route")
    values = {name: quote(data.draw(ids, label=name), safe="") for name in rule.arguments}
    path = rule.build(values, append_unknown=False)[1]
    fields = data.draw(form_data, label="fields")
    if data.draw(st.booleans(), label="with a token"):
        fields["csrf_token"] = csrf_token(client, "/dashboard")
    response = client.post(path, data=fields)
    assert response.status_code < 500, f"POST {path} {fields!r}: {response.status_code}"


@SLOW
@given(data=st.data())
def test_any_form_post_by_a_visitor_gets_a_success_or_a_4xx(app, client, monkeypatch, data):
    _quick_grader(monkeypatch)
    rule = data.draw(st.sampled_from([r for r in _post_rules(app) if r.endpoint.startswith("auth.")]))
    values = {name: quote(data.draw(ids, label=name), safe="") for name in rule.arguments}
    path = rule.build(values, append_unknown=False)[1]
    fields = {**data.draw(form_data, label="fields"), "csrf_token": csrf_token(client, "/login")}
    response = client.post(path, data=fields)
    assert response.status_code < 500, f"POST {path} {fields!r}: {response.status_code}"


@SLOW
@given(path=ids)
def test_any_page_path_gets_a_success_a_redirect_or_a_4xx(app, client, learner, path):
    response = client.get("/" + quote(path))
    assert response.status_code < 500


# --- the lesson loader -------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)


def _seed() -> dict:
    return json.loads(SEED_LESSON.read_text(encoding="utf-8"))


@settings(max_examples=200, deadline=None, database=None)
@given(changes=st.dictionaries(st.sampled_from(sorted(_seed())) | text, json_values, max_size=4),
       dropped=st.lists(st.sampled_from(sorted(_seed())), max_size=3))
def test_a_lesson_with_any_fields_changed_is_refused_or_loads_and_renders(changes, dropped):
    data = copy.deepcopy(_seed())
    data.update(changes)
    for key in dropped:
        data.pop(key, None)
    problems = validate_lesson(data, stem=SEED_LESSON.stem, folder_level="beginner")
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:
        lesson = Lesson.from_dict(data)
        LessonRenderer().render(lesson)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_lesson_file_is_loaded_or_reported_never_raised(tmp_path_factory, content):
    root = tmp_path_factory.mktemp("lessons")
    folder = root / "python" / "beginner"
    folder.mkdir(parents=True)
    (folder / "odd.json").write_bytes(content)
    library, problems = LessonLibrary.from_directory(root)
    assert len(library) + len(problems) >= 1

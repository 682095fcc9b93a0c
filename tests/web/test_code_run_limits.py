"""Every path that runs a learner's code (submit, Run, AI hint) goes through one limiter: allowances
are checked before any code runs, each path has its own budget, one learner has one run at a time,
and a refusal keeps the learner's code. The real Grader stays; only its sandbox is a stand-in that takes a set time."""

from __future__ import annotations

import html

import pytest

from services.grader.languages import LANGUAGES
from services.grader.report import BUSY_MESSAGE, Report, TestResult
from tests.web.lessons_helpers import LESSON, events, post_form, post_json
from tests.web.live_server import SlowSandbox, all_at_once, code_of, live_learner, reveal_hints, serve

CODE = "city = 1\n"


@pytest.fixture
def sandbox(monkeypatch):
    fake = SlowSandbox(0.0)
    monkeypatch.setitem(LANGUAGES, "python", fake)
    return fake


def reveal_authored_hints(client) -> None:
    for _ in range(3):
        assert post_json(client, f"/learn/{LESSON}/hint").status_code == 200


def ask_ai_hint(client, code: str = CODE):
    return post_json(client, f"/learn/{LESSON}/ai-hint", {"code": code})


def test_an_ai_hint_before_the_authored_hints_runs_no_code(client, learner, sandbox):
    refused = ask_ai_hint(client)
    assert refused.status_code == 400 and "own hints first" in refused.json["error"]["message"]
    assert sandbox.runs == 0


def test_an_ai_hint_past_the_lessons_allowance_runs_no_code(app, client, learner, sandbox):
    reveal_authored_hints(client)
    assert [ask_ai_hint(client).status_code for _ in range(2)] == [200, 200]  # two per lesson by default
    assert sandbox.runs == 2
    refused = ask_ai_hint(client)
    assert refused.status_code == 400 and "AI hints of this lesson" in refused.json["error"]["message"]
    assert sandbox.runs == 2
    assert app.extensions["codelearn.store"].get_progress(learner.id, LESSON).ai_hints_used == 2


def test_an_ai_hint_past_the_hourly_quota_runs_no_code(app, client, learner, sandbox):
    app.extensions["codelearn.ai"].settings.quotas["hint"] = 1
    reveal_authored_hints(client)
    assert ask_ai_hint(client).status_code == 200
    refused = ask_ai_hint(client)
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "hint requests per hour" in refused.json["error"]["message"]
    assert sandbox.runs == 1


def test_ai_hints_and_submissions_each_have_their_own_budget(app_config, sandbox):
    from app import create_app
    from tests.conftest import login, register

    app = create_app({**app_config, "HINT_RUNS_PER_MINUTE": 1, "AI_HINTS_PER_LESSON": 5, "SUBMISSIONS_PER_MINUTE": 2})
    try:
        client = app.test_client()
        register(client)
        store = app.extensions["codelearn.store"]
        store.update_user(store.get_user_by_email("ada@example.com").id, verified=True)
        login(client)
        reveal_authored_hints(client)
        assert ask_ai_hint(client).status_code == 200
        refused = ask_ai_hint(client)
        assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
        assert "1 AI hints in the last minute" in refused.json["error"]["message"]
        assert sandbox.runs == 1
        submits = [post_json(client, f"/learn/{LESSON}/submit", {"code": CODE}).status_code for _ in range(3)]
        assert submits == [200, 200, 429]  # the hint did not use the submissions' budget
        assert sandbox.runs == 3
    finally:
        app.extensions["codelearn.store"].close()


def test_a_refused_ai_hint_on_the_plain_form_keeps_the_code_in_the_editor(app, client, learner, sandbox):
    app.extensions["codelearn.ai"].settings.quotas["hint"] = 1
    reveal_authored_hints(client)
    assert post_form(client, f"/learn/{LESSON}/ai-hint", {"code": "city = 'Lima'\n"}).status_code == 200
    page = post_form(client, f"/learn/{LESSON}/ai-hint", {"code": "city = 'Quito'\n", "stdin": "typed"})
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 429 and page.headers["Retry-After"]
    assert "city = 'Quito'" in text and "hint requests per hour" in text
    assert ">typed</textarea>" in text  # the Run button's input is kept too
    assert 'id="editor-form"' in text  # the lesson page, not an error page
    assert sandbox.runs == 1


def test_an_ai_hint_on_a_busy_grader_spends_no_allowance(app, client, learner):
    class BusyGrader:
        def grade(self, code, tests, *, language="python", reference=None):
            return Report(status="error", busy=True, message=BUSY_MESSAGE,
                          tests=[TestResult("test_city_exists", "error", BUSY_MESSAGE)])

    learning = app.extensions["codelearn.learning"]
    real, learning._grader = learning._grader, BusyGrader()
    reveal_authored_hints(client)
    refused = ask_ai_hint(client)
    assert refused.status_code == 503 and "busy" in refused.json["error"]["message"]
    assert app.extensions["codelearn.store"].get_progress(learner.id, LESSON).ai_hints_used == 0
    assert [e for e in events(app, learner.id, "hint") if e.detail.get("ai")] == []
    learning._grader = real
    assert ask_ai_hint(client).json["remaining"] == 1


@pytest.fixture
def slow_sandbox(monkeypatch):
    fake = SlowSandbox(1.0)
    monkeypatch.setitem(LANGUAGES, "python", fake)
    return fake


@pytest.mark.parametrize("action", ["ai-hint", "submit", "run"])
def test_one_learner_on_12_parallel_connections_runs_one_sandbox(app, slow_sandbox, action):
    ada = live_learner(app, "ada@example.com")
    with serve(app) as base:
        if action == "ai-hint":
            reveal_hints(base, ada)
        answers = all_at_once([lambda: ada.post(base, action, {"code": code_of(ada)})] * 12)
    statuses = sorted(a.status for a in answers)
    assert statuses == [200] + [429] * 11, statuses
    assert slow_sandbox.runs == 1 and slow_sandbox.peak == {"# ada@example.com": 1}
    refused = [a for a in answers if a.status == 429]
    assert all(a.response.headers["Retry-After"] for a in refused)
    assert all("already running" in a.response.json()["error"]["message"] for a in refused)
    assert max(a.seconds for a in refused) < 1.0  # told at once, not after the run


def test_a_flooding_learner_does_not_hold_up_another(app, slow_sandbox):
    ada, bob = live_learner(app, "ada@example.com"), live_learner(app, "bob@example.com")
    with serve(app) as base:
        flood = [lambda: ada.post(base, "submit", {"code": code_of(ada)})] * 12
        answers = all_at_once([*flood, lambda: bob.post(base, "submit", {"code": code_of(bob)})])
    bob_answer = answers[-1]
    assert bob_answer.status == 200 and not bob_answer.busy
    assert bob_answer.seconds < 1.0 + 0.8  # his own run, no queue behind ada's
    assert slow_sandbox.peak["# ada@example.com"] == 1

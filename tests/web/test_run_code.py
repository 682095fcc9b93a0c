"""Run without grading: the Run button runs the code in the grader's sandbox and limits, feeds the
input box to input(), shows what it printed, and records no progress. JSON for fetch(), the page
again for a plain form; its own budget in the one limiter; refusals keep the code and the input."""

from __future__ import annotations

import html

import pytest

from app import create_app
from services.grader.languages import LANGUAGES
from tests.conftest import login, register
from tests.web.lessons_helpers import LESSON, events, post_form, post_json
from tests.web.live_server import SlowSandbox

GREETER = "name = input('Name? ')\nage = int(input())\nprint(f'{name} is {age}')\n"


def run_json(client, code: str = GREETER, stdin: str = "Ada\n36\n"):
    return post_json(client, f"/learn/{LESSON}/run", {"code": code, "stdin": stdin})


def test_a_run_shows_what_the_code_printed_with_the_input_fed_to_input(client, learner):
    response = run_json(client)
    assert response.status_code == 200
    data = response.json
    assert (data["status"], data["output"], data["busy"]) == ("ok", "Name? Ada\n36\nAda is 36\n", False)
    assert data["summary"] == "Your code ran."
    assert "Ada is 36" in data["html"] and "not graded" in data["html"]


def test_stdout_and_stderr_come_in_the_order_they_were_written(client, learner):
    code = "import sys\nprint('one')\nprint('two', file=sys.stderr)\nprint('three')\n"
    assert run_json(client, code, "").json["output"] == "one\ntwo\nthree\n"


def test_an_error_shows_the_output_so_far_and_why_it_stopped(client, learner):
    data = run_json(client, "print('before')\n1 / 0\n", "").json
    assert data["status"] == "error" and data["output"] == "before\n"
    assert "ZeroDivisionError" in data["message"] and data["summary"].startswith("Your code raised an error")
    assert "stopped with an error" in data["html"]


def test_a_run_records_no_progress_no_attempt_and_no_report(app, client, learner):
    run_json(client)
    store = app.extensions["codelearn.store"]
    record = store.get_lesson_record(learner.id, LESSON)
    assert record.progress is None and record.last_report is None
    assert record.draft.code == GREETER  # the code is kept, as a submission keeps it
    assert events(app, learner.id, "attempt") == []
    assert [e.detail for e in events(app, learner.id, "run")] == [{"lesson_id": LESSON, "status": "ok"}]
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "data-attempts-badge hidden>0 attempts" in page and "Your last submission" not in page


def test_the_plain_form_re_renders_the_page_with_the_output_the_code_and_the_input(client, learner):
    response = post_form(client, f"/learn/{LESSON}/run", {"code": GREETER, "stdin": "Grace\r\n85\r\n"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Name? Grace\n85\nGrace is 85" in page  # the input echoed, as on a terminal
    assert "name = input('Name? ')" in page  # the code stays in the editor
    assert '<details class="stdin" open>' in page and ">Grace\n85\n</textarea>" in page


def test_the_output_panel_stays_hidden_until_something_ran(client, learner):
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert 'data-output-card hidden>' in page and '<details class="stdin">' in page  # input box collapsed


def test_a_run_without_the_csrf_token_is_refused(client, learner, monkeypatch):
    sandbox = SlowSandbox(0.0)
    monkeypatch.setitem(LANGUAGES, "python", sandbox)
    client.get(f"/learn/{LESSON}")
    response = client.post(f"/learn/{LESSON}/run", data={"code": GREETER})
    assert response.status_code == 400 and sandbox.runs == 0


def test_empty_code_and_oversized_input_are_refused_before_anything_runs(app, client, learner, monkeypatch):
    sandbox = SlowSandbox(0.0)
    monkeypatch.setitem(LANGUAGES, "python", sandbox)
    empty = run_json(client, "  \n", "")
    assert empty.status_code == 400 and "no code to run" in empty.json["error"]["message"]
    too_long = run_json(client, GREETER, "x" * (app.config["GRADER_MAX_CODE_CHARS"] + 1))
    assert too_long.status_code == 400 and "The input is" in too_long.json["error"]["message"]
    assert sandbox.runs == 0


@pytest.fixture
def tight_app(app_config, monkeypatch):
    monkeypatch.setitem(LANGUAGES, "python", SlowSandbox(0.0))
    application = create_app({**app_config, "RUNS_PER_MINUTE": 2, "SUBMISSIONS_PER_MINUTE": 1})
    application.config["TESTING"] = True
    client = application.test_client()
    register(client)
    store = application.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("ada@example.com").id, verified=True)
    login(client)
    yield application, client
    store.close()


def test_runs_have_their_own_budget_in_the_one_limiter(tight_app):
    app, client = tight_app
    statuses = [run_json(client).status_code for _ in range(2)]
    refused = run_json(client)
    assert statuses == [200, 200] and refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "run your code 2 times in the last minute" in refused.json["error"]["message"]
    # Runs did not spend the submissions' budget, and a submission does not spend the runs'.
    assert post_json(client, f"/learn/{LESSON}/submit", {"code": "# ada\ncity = 1\n"}).status_code == 200
    assert post_json(client, f"/learn/{LESSON}/submit", {"code": "# ada\ncity = 1\n"}).status_code == 429


def test_a_refused_run_on_the_plain_form_keeps_the_code_input_and_says_why(tight_app):
    app, client = tight_app
    for _ in range(2):
        assert post_form(client, f"/learn/{LESSON}/run", {"code": "# ada\n", "stdin": "one"}).status_code == 200
    page = post_form(client, f"/learn/{LESSON}/run", {"code": "# ada\nprint('kept')\n", "stdin": "typed input"})
    text = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 429 and page.headers["Retry-After"]
    assert "print('kept')" in text and ">typed input</textarea>" in text
    output_card = text.split('id="output"')[1].split("</section>")[0]
    assert "run your code 2 times" in output_card and " hidden>" not in output_card.split(">")[0]

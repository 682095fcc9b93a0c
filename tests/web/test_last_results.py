"""Results persist: a submission's report is kept as the learner's last on the lesson and shown when
the page opens again (hidden checks as they were), with no extra store round trip; a refused
submission's message appears beside those results; a busy grader's non-attempt is not kept."""

from __future__ import annotations

import collections
import html
import json
from datetime import UTC, datetime, timedelta

import pytest

from app import create_app
from blueprints.lessons import time_ago
from dal.base import Store
from services.grader.report import BUSY_MESSAGE, Report, TestResult
from services.lessons.learning import SHORTENED, STORED_REPORT_BYTES, report_from_dict, stored_copy
from tests.conftest import login, register
from tests.web.lessons_helpers import LESSON, SOLUTION, post_form, post_json

HALF_RIGHT = "city = 'Oslo'\n"


def results_card(page: str) -> str:
    return html.unescape(page.split('id="results"')[1].split("</section>")[0])


def test_the_last_results_are_shown_when_the_lesson_is_opened_again(client, learner):
    submitted = post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT}).json
    card = results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))
    assert "Your last submission" in card and "just now" in card
    assert f"{submitted['passed']} of {len(submitted['tests'])} tests passed" in card
    assert "Variable population not found" in card
    assert "Run the tests to see which ones pass" not in card
    assert "your code has changed since" not in card


def test_hidden_checks_are_kept_and_shown_as_they_were(app, client, learner):
    report = Report(status="fail", duration_ms=12.0, tests=[
        TestResult("test_city_exists", "pass"),
        TestResult("hidden_negative_numbers", "fail", "A hidden test with negative numbers failed.", hidden=True),
    ])

    class FixedGrader:
        def grade(self, code, tests, *, language="python", reference=None):
            return report

    app.extensions["codelearn.learning"]._grader = FixedGrader()
    post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT})
    kept = app.extensions["codelearn.store"].get_lesson_record(learner.id, LESSON).last_report
    assert report_from_dict(kept.report) == report
    card = results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))
    assert "hidden check: negative numbers" in card and "A hidden test with negative numbers failed." in card


def test_the_page_says_when_the_code_has_changed_since_the_results(client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT})
    post_json(client, f"/learn/{LESSON}/draft", {"code": HALF_RIGHT + "population = 1\n"})
    assert "your code has changed since" in results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))


def test_a_completed_lesson_shows_its_passing_results_and_the_way_on(client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    card = results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))
    assert "All tests pass!" in card and "Lesson complete!" not in card  # seen again, not completed again
    assert "Next lesson: Numbers and arithmetic" in card


def test_only_the_last_report_is_kept_and_each_learner_sees_their_own(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": "# nothing\n"})
    post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT})
    card = results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))
    assert "Variable population not found" in card and "Variable city not found" not in card
    other = app.test_client()
    register(other, email="bob@example.com", name="Bob")
    store = app.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("bob@example.com").id, verified=True)
    login(other, email="bob@example.com")
    assert "Your last submission" not in other.get(f"/learn/{LESSON}").get_data(as_text=True)


def test_the_lesson_page_reads_the_last_report_in_its_one_learner_read(app, client, learner, monkeypatch):
    post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT})
    store = app.extensions["codelearn.store"]
    calls: collections.Counter[str] = collections.Counter()
    for name in (n for n in dir(Store) if not n.startswith("_")):
        method = getattr(store, name)
        if callable(method):
            monkeypatch.setattr(store, name, lambda *a, _m=method, _n=name, **k: calls.update([_n]) or _m(*a, **k))
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "Your last submission" in page
    reads = {name: count for name, count in calls.items() if name.startswith(("get_", "list_"))}
    assert reads == {"get_session_with_user": 1, "get_lesson_record": 1}


def test_a_busy_grader_keeps_the_previous_results(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT})

    class BusyGrader:
        def grade(self, code, tests, *, language="python", reference=None):
            return Report(status="error", busy=True, message=BUSY_MESSAGE,
                          tests=[TestResult("test_city_exists", "error", BUSY_MESSAGE)])

    app.extensions["codelearn.learning"]._grader = BusyGrader()
    assert post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).json["busy"] is True
    card = results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))
    assert "Variable population not found" in card and "busy" not in card


@pytest.fixture
def one_submission_a_minute(app_config):
    application = create_app({**app_config, "SUBMISSIONS_PER_MINUTE": 1})
    application.config["TESTING"] = True
    client = application.test_client()
    register(client)
    store = application.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("ada@example.com").id, verified=True)
    login(client)
    yield client
    store.close()


def test_a_rate_limited_form_submission_shows_the_message_beside_the_previous_results(one_submission_a_minute):
    client = one_submission_a_minute
    assert post_form(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT}).status_code == 200
    refused = post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    page = refused.get_data(as_text=True)
    card = results_card(page)
    assert "1 submissions in the last minute" in card  # in the results card, where the learner looks
    assert "Variable population not found" in card  # and the previous results are still there
    assert "is_capital = True" in html.unescape(page)  # the code is never lost


def test_a_rate_limited_json_submission_answers_429_and_keeps_the_kept_report(one_submission_a_minute):
    client = one_submission_a_minute
    post_json(client, f"/learn/{LESSON}/submit", {"code": HALF_RIGHT})
    refused = post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert "Variable population not found" in results_card(client.get(f"/learn/{LESSON}").get_data(as_text=True))


def test_a_very_large_report_is_kept_shortened_and_a_normal_one_whole():
    normal = Report(status="fail", tests=[TestResult("test_a", "fail", "assert 1 == 2", "out\n")], output="hi\n")
    assert stored_copy(normal) == normal.to_dict()
    huge = Report(status="fail", output="x" * 70_000, tests=[
        TestResult(f"test_{i}", "fail", "m" * 30_000, "o" * 30_000) for i in range(5)])
    kept = stored_copy(huge)
    assert len(json.dumps(kept).encode()) < STORED_REPORT_BYTES
    assert kept["output"].endswith(SHORTENED) and kept["tests"][0]["message"].startswith("m" * 100)
    assert [t["name"] for t in kept["tests"]] == [f"test_{i}" for i in range(5)]  # every verdict kept


def test_a_kept_report_from_another_version_still_shows():
    kept = {"status": "pass", "tests": [{"name": "test_a", "status": "pass", "seconds": 0.1}], "new_field": 1}
    assert report_from_dict(kept) == Report(status="pass", tests=[TestResult("test_a", "pass")])


def test_when_results_were_made_is_said_in_words():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert [time_ago(now - delta, now) for delta in (timedelta(seconds=20), timedelta(minutes=1),
            timedelta(minutes=5), timedelta(hours=3), timedelta(days=1), timedelta(days=4))] == \
        ["just now", "1 minute ago", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago"]

"""The learning loop over HTTP: submissions (JSON and plain form), drafts, hints, throttling, limits,
CSRF, and one completion when two passing submissions race."""

from __future__ import annotations

import threading

import pytest

from app import create_app
from services.ai import AIService, AISettings
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.grader.report import BUSY_MESSAGE, Report, TestResult
from tests.conftest import login
from tests.lessons.conftest import CONTENT
from tests.web.lessons_helpers import LESSON, SOLUTION, STARTER_FAILS, events, post_form, post_json


def test_a_failing_submission_reports_each_test_and_records_the_attempt(app, client, learner):
    response = post_json(client, f"/learn/{LESSON}/submit", {"code": STARTER_FAILS})
    assert response.status_code == 200
    data = response.json
    assert data["status"] == "fail" and data["completed"] is False and data["attempts"] == 1
    assert [t["status"] for t in data["tests"]] == ["fail"] * 5  # three visible tests, two hidden checks
    assert [t["hidden"] for t in data["tests"]] == [False, False, False, True, True]
    assert data["tests"][0]["message"] == "Variable city not found"
    assert data["summary"] == "0 of 5 tests passed."
    assert "Variable city not found" in data["html"]
    assert "solution" not in data and "Lisbon" not in response.get_data(as_text=True)
    attempt = events(app, learner.id, "attempt")
    assert len(attempt) == 1 and attempt[0].detail == {"lesson_id": LESSON, "status": "fail", "passed": 0, "total": 5}
    progress = app.extensions["codelearn.store"].get_progress(learner.id, LESSON)
    assert progress.attempts == 1 and progress.first_attempt_at and not progress.completed


def test_a_passing_submission_completes_once_and_offers_the_next_lesson(app, client, learner):
    first = post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).json
    assert first["status"] == "pass" and first["completed_now"] is True
    assert first["next"] == {"id": "python-numbers", "title": "Numbers and arithmetic", "url": "/learn/python-numbers"}
    assert "Lesson complete!" in first["html"] and "Data types" in first["html"]  # what you learned (concept titles)
    again = post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).json
    assert again["completed"] is True and again["completed_now"] is False
    assert len(events(app, learner.id, "completion")) == 1
    assert len(events(app, learner.id, "attempt")) == 2


def test_the_form_fallback_re_renders_the_page_with_results_and_the_code(client, learner):
    response = post_form(client, f"/learn/{LESSON}/submit", {"code": "city = 'Oslo'\n"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 of 5 tests passed" in page and "Variable population not found" in page
    assert "city = &#39;Oslo&#39;" in page  # the code is kept in the editor
    done = post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).get_data(as_text=True)
    assert "Lesson complete!" in done and "Next lesson: Numbers and arithmetic" in done


def test_drafts_are_saved_restored_reset_and_private(app, client, learner):
    assert post_json(client, f"/learn/{LESSON}/draft", {"code": "city = 'Rome'\n"}).json["saved"] is True
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "city = &#39;Rome&#39;" in page and "Draft restored" in page
    other = app.test_client()
    from tests.conftest import register

    register(other, email="bob@example.com", name="Bob")
    assert login(other, email="bob@example.com").status_code == 302
    assert "Rome" not in other.get(f"/learn/{LESSON}").get_data(as_text=True)  # Bob sees the starter
    post_json(other, f"/learn/{LESSON}/draft", {"code": "city = 'Bern'\n"})
    assert "Rome" in client.get(f"/learn/{LESSON}").get_data(as_text=True)  # Ada's draft is untouched
    reset = post_json(client, f"/learn/{LESSON}/reset")
    assert reset.json["code"].startswith("# Create your three variables")
    assert "Rome" not in client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert app.extensions["codelearn.store"].get_lesson_record(learner.id, LESSON).draft is None


def test_submitting_saves_the_draft(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": "city = 'Kyiv'\n"})
    assert app.extensions["codelearn.store"].get_lesson_record(learner.id, LESSON).draft.code == "city = 'Kyiv'\n"


def test_hints_are_revealed_one_at_a_time_and_stay_revealed(app, client, learner):
    first = post_json(client, f"/learn/{LESSON}/hint")
    assert first.json["revealed"] == 1 and 'id="hint-1"' in first.json["html"]
    assert "Show a hint (2 of 3)" in first.json["html"]
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "A variable is created the moment you assign to it" in page and 'id="hint-2"' not in page
    post_json(client, f"/learn/{LESSON}/hint")
    third = post_json(client, f"/learn/{LESSON}/hint").json
    assert third["revealed"] == 3 and "Show a hint" not in third["html"]
    assert "Ask for an AI hint (2 left)" in third["html"]  # the AI layer answers offline locally
    too_many = post_json(client, f"/learn/{LESSON}/hint")
    assert too_many.status_code == 400 and "every hint" in too_many.json["error"]["message"]
    assert app.extensions["codelearn.store"].get_progress(learner.id, LESSON).hints_used == 3
    assert [e.detail["number"] for e in reversed(events(app, learner.id, "hint"))] == [1, 2, 3]


def test_without_an_ai_layer_no_ai_hint_is_offered(app, client, learner):
    app.extensions["codelearn.learning"]._ai = None
    for _ in range(3):
        post_json(client, f"/learn/{LESSON}/hint")
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "seen every hint" in page and "Ask for an AI hint" not in page
    assert post_json(client, f"/learn/{LESSON}/ai-hint", {"code": "x = 1"}).status_code == 503


def test_ai_hints_after_the_authored_ones_say_which_mode_answered(app, client, learner):
    store = app.extensions["codelearn.store"]
    learning = app.extensions["codelearn.learning"]
    learning._ai = AIService(OfflineProvider(LessonIndex.from_dir(CONTENT)), store, settings=AISettings())
    early = post_json(client, f"/learn/{LESSON}/ai-hint", {"code": "city = 1"})
    assert early.status_code == 400 and "own hints first" in early.json["error"]["message"]
    for _ in range(3):
        post_json(client, f"/learn/{LESSON}/hint")
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "Ask for an AI hint (2 left)" in page
    answer = post_json(client, f"/learn/{LESSON}/ai-hint", {"code": "city = 1\n"}).json
    assert answer["remaining"] == 1 and answer["note"] == "Answered by the offline assistant."
    assert "city" in answer["text"] and "Offline assistant" not in answer["text"]
    assert "Ask for an AI hint (1 left)" in answer["html"]
    post_json(client, f"/learn/{LESSON}/ai-hint", {"code": "city = 1\n"})
    limit = post_json(client, f"/learn/{LESSON}/ai-hint", {"code": "city = 1\n"})
    assert limit.status_code == 400 and "AI hints of this lesson" in limit.json["error"]["message"]
    assert store.get_progress(learner.id, LESSON).ai_hints_used == 2
    done = post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).json
    assert done["completed_now"] and store.get_progress(learner.id, LESSON).assisted


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SUBMISSIONS_PER_MINUTE": 3, "GRADER_MAX_CODE_CHARS": 300}


def test_submissions_are_throttled_with_a_friendly_429(app, client, learner):
    for _ in range(3):
        assert post_json(client, f"/learn/{LESSON}/submit", {"code": STARTER_FAILS}).status_code == 200
    throttled = post_json(client, f"/learn/{LESSON}/submit", {"code": STARTER_FAILS})
    assert throttled.status_code == 429
    assert 1 <= int(throttled.headers["Retry-After"]) <= 60
    assert "submissions in the last minute" in throttled.json["error"]["message"]
    page = post_form(client, f"/learn/{LESSON}/submit", {"code": "city = 'Lima'\n"})
    assert page.status_code == 429 and page.headers["Retry-After"]
    assert "city = &#39;Lima&#39;" in page.get_data(as_text=True)  # the code survives the refusal
    assert len(events(app, learner.id, "attempt")) == 3


def test_oversized_code_is_refused_before_grading(app, client, learner):
    response = post_json(client, f"/learn/{LESSON}/submit", {"code": "x = 1\n" * 100})
    assert response.status_code == 400
    assert "600 characters long; the limit is 300" in response.json["error"]["message"]
    assert events(app, learner.id, "attempt") == []
    assert app.extensions["codelearn.store"].get_lesson_record(learner.id, LESSON).draft is None
    assert post_json(client, f"/learn/{LESSON}/draft", {"code": "x" * 301}).status_code == 400


def test_a_busy_grader_asks_to_try_again_and_records_nothing(app, client, learner):
    class BusyGrader:
        def grade(self, code, tests, *, language="python", reference=None):
            return Report(status="error", busy=True, message=BUSY_MESSAGE,
                          tests=[TestResult("test_city_exists", "error", BUSY_MESSAGE)])

    app.extensions["codelearn.learning"]._grader = BusyGrader()
    data = post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}).json
    assert data["busy"] is True and "try again" in data["summary"]
    assert "The grader is busy" in data["html"]
    assert events(app, learner.id, "attempt") == []


def test_missing_csrf_or_fields_are_400_and_change_nothing(app, client, learner):
    store = app.extensions["codelearn.store"]
    no_token = client.post(f"/learn/{LESSON}/submit", data={"code": SOLUTION})
    assert no_token.status_code == 400
    assert client.post(f"/learn/{LESSON}/draft", data={"code": "x"}).status_code == 400
    assert client.post(f"/learn/{LESSON}/hint").status_code == 400
    assert post_json(client, f"/learn/{LESSON}/submit", {"not_code": "x"}).status_code == 400
    assert post_json(client, f"/learn/{LESSON}/draft", {}).status_code == 400
    assert store.get_progress(learner.id, LESSON) is None and store.get_lesson_record(learner.id, LESSON).draft is None


def test_two_passing_submissions_at_once_complete_the_lesson_once(app_config):
    # Two runs of one learner at once, as two server processes would admit (each admits one).
    application = create_app({**app_config, "SUBMISSIONS_PER_MINUTE": 10, "CODE_RUNS_PER_LEARNER": 2})
    store = application.extensions["codelearn.store"]
    first, second = application.test_client(), application.test_client()
    from tests.conftest import register

    register(first)
    user = store.get_user_by_email("ada@example.com")
    store.update_user(user.id, verified=True)
    tokens = []
    for client in (first, second):
        assert login(client).status_code == 302
        from tests.conftest import csrf_token

        tokens.append(csrf_token(client, f"/learn/{LESSON}"))
    barrier = threading.Barrier(2)
    results: list[dict] = []

    def submit(client, token):
        barrier.wait()
        results.append(post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION}, token=token).json)

    threads = [threading.Thread(target=submit, args=pair) for pair in zip((first, second), tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    try:
        assert [r["status"] for r in results] == ["pass", "pass"]
        assert sorted(r["completed_now"] for r in results) == [False, True]
        assert len(events(application, user.id, "completion")) == 1
        assert store.get_progress(user.id, LESSON).attempts == 2
    finally:
        store.close()


def test_the_leaving_beacon_saves_quietly(app, client, learner):
    response = post_form(client, f"/learn/{LESSON}/draft", {"code": "city = 'Quito'\n", "quiet": "1"})
    assert response.status_code == 204
    assert app.extensions["codelearn.store"].get_lesson_record(learner.id, LESSON).draft.code == "city = 'Quito'\n"
    assert "draft is saved" not in client.get(f"/learn/{LESSON}").get_data(as_text=True)


def test_draft_saves_are_bounded_per_learner(app, client, learner, monkeypatch):
    monkeypatch.setattr("services.lessons.learning.DRAFTS_PER_MINUTE", 2)
    for _ in range(2):
        assert post_json(client, f"/learn/{LESSON}/draft", {"code": "x = 1"}).status_code == 200
    refused = post_json(client, f"/learn/{LESSON}/draft", {"code": "x = 2"})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert app.extensions["codelearn.store"].get_lesson_record(learner.id, LESSON).draft.code == "x = 1"

"""The code assistant through the web (offline) and with a scripted model: a review with findings of
several kinds and complexity, debug from the lesson's failed results, explain, optimize; generate
never writes the solution of an uncompleted curated challenge (three tried); bad input (unknown mode,
empty or non-UTF-8 code) gets a clear 4xx and keeps what was typed."""

from __future__ import annotations

import pytest

from services.ai import AIService, AISettings
from services.ai.offline import OfflineProvider
from services.assistant.service import AssistantService
from services.grader import Grader
from tests.ai.scripted import ScriptedProvider
from tests.chat.conftest import index, library, store  # noqa: F401 - fixtures
from tests.conftest import csrf_token
from tests.web.lessons_helpers import LESSON, STARTER_FAILS, post_form

CODE = ("import os\n\ndef total(xs, seen=[]):\n    t = 0\n    for i in range(len(xs)):\n        t += xs[i]\n"
        "    return t\n")


def ask(client, **fields):
    token = csrf_token(client, "/assistant/")
    return client.post("/assistant/", data={"csrf_token": token, "mode": "review", "code": CODE, **fields})


def test_a_review_shows_findings_of_several_kinds_and_complexity(client, learner):
    page = ask(client).get_data(as_text=True)
    for kind in ("finding-actionable", "finding-informative", "finding-celebratory"):
        assert kind in page
    assert "mutable default" in page and "enumerate" in page and "line 3" in page
    assert "Complexity per function" in page and "<code>total</code>" in page
    assert "no AI model was used" in page


def test_debug_starts_from_the_lessons_failed_results(client, learner):
    post_form(client, f"/learn/{LESSON}/submit", {"code": STARTER_FAILS})
    page = client.get(f"/assistant/?lesson={LESSON}&mode=debug").get_data(as_text=True)
    assert 'value="debug" checked' in page and "city" in page  # the failing test's message, prefilled
    answered = ask(client, mode="debug", code="print(city)\n", lesson_id=LESSON,
                   error="NameError: name 'city' is not defined").get_data(as_text=True)
    assert "Look at line 1" in answered and "city" in answered


@pytest.mark.parametrize("mode", ["explain", "optimize"])
def test_explain_and_optimize_answer_offline(client, learner, mode):
    response = ask(client, mode=mode)
    assert response.status_code == 200 and "assistant-answer" in response.get_data(as_text=True)


def test_the_lesson_page_offers_the_assistant(client, learner):
    assert f"/assistant/?lesson={LESSON}" in client.get(f"/learn/{LESSON}").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"mode": "poetry"}, 400, "Unknown assistant mode"),
    ({"code": "   "}, 422, "Paste some code first"),
    ({"code": "x = 1\n" * 5000}, 422, "at most"),
])
def test_bad_input_gets_a_clear_4xx_and_keeps_the_form(client, learner, fields, status, message):
    response = ask(client, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == status and message in page and 'role="alert"' in page


def test_non_utf8_code_is_refused(client, learner):
    token = csrf_token(client, "/assistant/")
    body = (b'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode()
            + b'\r\n--XX\r\nContent-Disposition: form-data; name="mode"\r\n\r\nreview'
            + b'\r\n--XX\r\nContent-Disposition: form-data; name="code"\r\n\r\nx = "\xff\xfe"\r\n--XX--\r\n')
    response = client.post("/assistant/", data=body, content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 422 and "not UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize(("lesson_id", "description"), [
    ("python-loops", "a function that adds up the numbers in a list with a loop"),
    ("python-dictionaries", "count how many times each word appears, with a dictionary"),
    ("python-strings", "a function that builds a greeting with an f-string"),
])
def test_generate_never_writes_an_uncompleted_challenges_solution(store, index, library, lesson_id,  # noqa: F811
                                                                  description):
    lesson = library.get(lesson_id)
    model = ScriptedProvider({"code": lesson.solution, "explanation": "Here you go."})
    ai = AIService(model, store, settings=AISettings(provider="bedrock"), fallback=OfflineProvider(index))
    assistant = AssistantService(store, ai, index, library, Grader())
    answer = assistant.ask("u1", "generate", description=f"{description}: {lesson.challenge[:300]}")
    assert answer.source == "refused" and lesson.solution.strip() not in answer.code
    assert lesson.title in answer.summary or answer.summary


def test_generate_writes_code_that_solves_no_challenge(store, index, library):  # noqa: F811
    model = ScriptedProvider({"code": "def shout(text):\n    # upper-case it\n    return text.upper() + '!'\n",
                              "explanation": "upper() makes capitals."})
    ai = AIService(model, store, settings=AISettings(provider="bedrock"), fallback=OfflineProvider(index))
    answer = AssistantService(store, ai, index, library, Grader()).ask("u1", "generate",
                                                                       description="shout a text in capitals")
    assert answer.source == "bedrock" and "upper" in answer.code


def test_a_model_review_is_merged_with_lines_checked_and_duplicates_dropped(store, index, library):  # noqa: F811
    model = ScriptedProvider({"summary": "ok", "issues": [
        {"line": 3, "severity": "warning", "message": "Mutable default again."},  # static has it: dropped
        {"line": 99, "severity": "error", "message": "A line that does not exist."},
        {"line": 6, "severity": "info", "message": "Name t could be total."}], "strengths": ["Clear loop."]})
    ai = AIService(model, store, settings=AISettings(provider="bedrock"), fallback=OfflineProvider(index))
    answer = AssistantService(store, ai, index, library, Grader()).ask("u1", "review", CODE)
    messages = [f.message for f in answer.findings]
    assert "Name t could be total." in messages and "Clear loop." in messages
    assert "Mutable default again." not in messages and "A line that does not exist." not in messages


def test_the_last_requests_are_listed_with_their_results_and_deletable(app, client, learner):
    ask(client)
    ask(client, mode="explain")
    page = client.get("/assistant/").get_data(as_text=True)
    assert "Your last requests" in page and "Review my code" in page and "Explain this code" in page
    assert "Kept 30 days" in page
    history = app.extensions["codelearn.assistant"].history(learner.id)
    assert len(history) == 2 and history[1].result["findings"]
    token = csrf_token(client, "/assistant/")
    assert client.post(f"/assistant/history/{history[0].id}/delete", data={"csrf_token": token}).status_code == 302
    assert len(app.extensions["codelearn.assistant"].history(learner.id)) == 1
    assert client.post("/assistant/history/nope/delete", data={"csrf_token": token}).status_code == 404
    assert client.post("/assistant/history/delete", data={"csrf_token": token}).status_code == 302
    assert "No requests yet" in client.get("/assistant/").get_data(as_text=True)

"""Every fake-Bedrock fault driven through the learner's pages: no 5xx, a useful fallback, a note."""

from __future__ import annotations

import html
import time

import pytest

import app as app_module
from tests.conftest import csrf_token
from tests.fakes.bedrock_server import FakeBedrock

LESSON = "python-variables"
WRONG_CODE = "City = 'Lisbon'\npopulation = 545000\nis_capital = True\n"
FAULT_NOTES = {
    "throttle": "busy",
    "server_error": "unavailable",
    "unavailable": "unavailable",
    "model_timeout": "too long",
    "slow": "too long",
    "max_tokens": "could not be used",
    "malformed": "could not be used",
    "malformed_stop": "could not be used",
    "wrong_schema": "could not be used",
}


@pytest.fixture
def fake():
    with FakeBedrock() as server:
        server.slow_seconds = 1.2
        yield server


@pytest.fixture
def app_config(app_config, fake):
    return {
        **app_config,
        "AI_PROVIDER": "bedrock",
        "AI_ENDPOINT_URL": fake.url,
        "AI_READ_TIMEOUT_S": 0.5,
        "AI_CONNECT_TIMEOUT_S": 0.5,
        "AI_MAX_ATTEMPTS": 1,
        "AI_CALL_DEADLINE_S": 2.0,
        "AI_BREAKER_THRESHOLD": 3,
        "AI_BREAKER_COOLDOWN_S": 0.3,
    }


@pytest.fixture
def ai_app(monkeypatch, app_config):
    # The app factory builds the Bedrock provider itself; botocore only needs some credentials to sign.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    app = app_module.create_app(app_config)
    app.config["TESTING"] = True
    ai = app.extensions["codelearn.ai"]
    assert ai.provider.name == "bedrock"
    yield app
    ai.provider._client.close()
    app.extensions["codelearn.store"].close()


@pytest.fixture
def client(ai_app):
    return ai_app.test_client()


@pytest.fixture
def app(ai_app):
    return ai_app


def reveal_authored_hints(client) -> str:
    token = csrf_token(client, f"/learn/{LESSON}")
    for _ in range(3):
        assert client.post(f"/learn/{LESSON}/hint", data={"csrf_token": token}).status_code == 302
    return token


def ask_ai_hint(client, token, as_json=True):
    headers = {"Accept": "application/json"} if as_json else {}
    return client.post(f"/learn/{LESSON}/ai-hint", data={"csrf_token": token, "code": WRONG_CODE}, headers=headers)


def test_ai_hint_page_shows_the_model_hint(ai_app, client, learner, fake):
    token = reveal_authored_hints(client)
    page = ask_ai_hint(client, token, as_json=False)
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "AI hint" in text and "letter by letter" in text
    prompt = fake.requests[-1]["body"]["messages"][0]["content"][0]["text"]
    assert "City = 'Lisbon'" in prompt and 'city = "Lisbon"' not in prompt


@pytest.mark.parametrize("fault", sorted(FAULT_NOTES))
def test_every_fault_gives_the_offline_hint_and_a_note(ai_app, client, learner, fake, fault):
    token = reveal_authored_hints(client)
    fake.fail(fault)
    response = ask_ai_hint(client, token)
    assert response.status_code == 200
    body = response.get_json()
    assert FAULT_NOTES[fault] in body["note"] and "offline answer" in body["note"]
    assert "`City`" in body["text"] or "`city`" in body["text"]  # the offline hint names the missing variable
    page = ask_ai_hint(client, token, as_json=False)  # the second (last) AI hint, as an HTML page
    assert page.status_code == 200 and "offline answer" in html.unescape(page.get_data(as_text=True))


def test_ai_lesson_request_through_the_topic_form(ai_app, client, learner, fake):
    token = csrf_token(client, "/learn/")
    response = client.post("/learn/topic", data={"csrf_token": token, "level": "beginner", "topic": "caesar cipher"})
    assert response.status_code == 302 and "/learn/ai-" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and "Caesar Cipher" in page.get_data(as_text=True)


@pytest.mark.parametrize("fault", ["throttle", "server_error", "slow", "wrong_schema"])
def test_failed_generation_shows_the_nearest_curated_lesson_with_a_note(ai_app, client, learner, fake, fault):
    fake.fail(fault)
    token = csrf_token(client, "/learn/")
    response = client.post(
        "/learn/topic",
        data={"csrf_token": token, "level": "beginner", "topic": "variables and their values"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    text = html.unescape(response.get_data(as_text=True))
    assert "Variables and data types" in text and "closest lesson" in text


def test_circuit_opens_after_repeated_failures_and_closes_later(ai_app, client, learner, fake):
    ai = ai_app.extensions["codelearn.ai"]
    fake.fail("unavailable")
    token = csrf_token(client, "/learn/")

    def ask(topic):
        return client.post(
            "/learn/topic", data={"csrf_token": token, "level": "beginner", "topic": topic}, follow_redirects=True
        )

    for n in range(3):  # an outage is not retried by the lesson flow: one failed call per request
        assert ask(f"loops topic {n}").status_code == 200
    assert ai.breaker.state == "open" and fake.calls() == 3
    page = ask("loops topic 3")
    assert page.status_code == 200 and fake.calls() == 3  # no model traffic while open
    assert "closest lesson" in html.unescape(page.get_data(as_text=True))
    fake.clear()
    time.sleep(0.35)
    response = client.post("/learn/topic", data={"csrf_token": token, "level": "beginner", "topic": "caesar cipher"})
    assert "/learn/ai-" in response.headers["Location"] and ai.breaker.state == "closed"


def test_quota_answers_429_with_retry_after(ai_app, client, learner):
    ai = ai_app.extensions["codelearn.ai"]
    ai.settings.quotas["hint"] = 1
    token = reveal_authored_hints(client)
    assert ask_ai_hint(client, token).status_code == 200
    refused = ask_ai_hint(client, token)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "limit of 1 hint requests per hour" in refused.get_json()["error"]["message"]
    page = ask_ai_hint(client, token, as_json=False)
    assert page.status_code == 429 and "Try again in" in html.unescape(page.get_data(as_text=True))


def test_generated_markdown_is_sanitised_on_the_page(ai_app, client, learner, fake):
    from tests.fakes.bedrock_answers import lesson_answer

    def hostile(body):
        answer = lesson_answer(body)
        return {
            **answer,
            "lesson": answer["lesson"] + "\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n",
        }

    fake.answers["lesson"] = hostile
    token = csrf_token(client, "/learn/")
    page = client.post(
        "/learn/topic", data={"csrf_token": token, "level": "beginner", "topic": "morse code"}, follow_redirects=True
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Morse Code" in text
    assert "<script>alert(1)" not in text and "<img src=x" not in text  # dropped or shown as text, never live

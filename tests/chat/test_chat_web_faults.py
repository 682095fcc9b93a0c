"""Fake-Bedrock faults through the chat and assistant pages (the app factory's own Bedrock provider):
no 5xx, the offline answer, and a note that says why."""

from __future__ import annotations

import html

import pytest

from tests.ai.test_web_faults import FAULT_NOTES, ai_app, app, app_config, client, fake  # noqa: F401 - fixtures
from tests.chat.test_chat_pages import ask, conversation_id, start
from tests.conftest import csrf_token


@pytest.mark.parametrize("fault", ["throttle", "model_timeout", "malformed", "malformed_stop"])
def test_the_chat_page_answers_offline_and_says_so(client, learner, fake, fault):  # noqa: F811
    cid = conversation_id(start(client))
    fake.fail(fault)
    assert ask(client, cid, "What does break do in a loop?").status_code == 302
    page = html.unescape(client.get(f"/chat/{cid}").get_data(as_text=True))
    assert "Offline answer: quoted from the lessons" in page and FAULT_NOTES[fault] in page
    assert 'class="chat-sources"' in page


@pytest.mark.parametrize("fault", ["throttle", "malformed"])
def test_the_assistant_page_answers_offline_and_says_so(client, learner, fake, fault):  # noqa: F811
    fake.fail(fault)
    token = csrf_token(client, "/assistant/")
    response = client.post("/assistant/", data={"csrf_token": token, "mode": "debug", "code": "print(x)\n",
                                                "error": "NameError: name 'x' is not defined"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "offline assistant" in page and FAULT_NOTES[fault] in page

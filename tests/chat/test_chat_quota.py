"""Past the learner's chat quota the page answers 429 with Retry-After and the friendly page."""

from __future__ import annotations

import pytest

from tests.chat.test_chat_pages import ask, conversation_id, start


@pytest.fixture
def app_config(app_config):
    return {**app_config, "AI_QUOTA_CHAT": 2}


def test_past_the_quota_a_friendly_429_with_retry_after(client, learner):
    cid = conversation_id(start(client, "What is a list?"))
    assert ask(client, cid, "What is a tuple?").status_code == 302
    refused = ask(client, cid, "What is a set?")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Slow down a little" in refused.get_data(as_text=True)

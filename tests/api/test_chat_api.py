"""The tutor chat through /api/v1 (offline provider): start (from a lesson, with a first question),
list a page at a time, open, rename, ask (answer with citations, source, notes), messages a page at a
time, delete; bad input (empty, too long or 1 MB message, lone surrogates, another learner's
conversation) refused and nothing stored; the quota a 429 with Retry-After; the JSON says what the
conversation page says for the same learner."""

from __future__ import annotations

import pytest

from services.chat.service import PAGE_SIZE
from tests.api.area_helpers import get, on_the_pages, other_learner, post
from tests.api.conftest import API

LOOPS = "python-loops"


def start(client, who, **body):
    answer = post(client, who, "/chat/conversations", body)
    assert answer.status_code == 201, answer.json
    return answer.json


def test_a_chat_from_a_lesson_answers_with_citations_and_follows_up(client, ada):
    opened = start(client, ada, lesson_id=LOOPS, message="What does break do in a loop?")
    conversation = opened["conversation"]
    assert conversation["lesson_id"] == LOOPS and conversation["title"].startswith("About Loops")
    question, reply = opened["messages"]
    assert question["role"] == "learner" and question["text"] == "What does break do in a loop?"
    assert reply["role"] == "tutor" and reply["source"] == "offline" and reply["citations"]
    assert all(c["lesson_id"] and c["section"] for c in reply["citations"])

    follow_up = post(client, ada, f"/chat/conversations/{conversation['id']}/messages",
                     {"message": "And continue?"})
    assert follow_up.status_code == 201 and follow_up.json["role"] == "tutor"
    listed = get(client, ada, f"/chat/conversations/{conversation['id']}/messages").json
    assert [m["role"] for m in listed["messages"]] == ["learner", "tutor", "learner", "tutor"]
    assert listed["messages"][-1] == follow_up.json and listed["next_cursor"] is None


def test_an_off_topic_question_is_refused_without_citations(client, ada):
    opened = start(client, ada, message="What is the best pizza topping in Naples?")
    reply = opened["messages"][-1]
    assert reply["source"] == "refusal" and reply["citations"] == []


def test_conversations_and_messages_come_a_page_at_a_time(client, ada):
    made = [start(client, ada)["conversation"]["id"] for _ in range(PAGE_SIZE + 2)]
    first = get(client, ada, "/chat/conversations").json
    assert len(first["conversations"]) == PAGE_SIZE and first["next_cursor"]
    second = client.get(f"{API}/chat/conversations", query_string={"after": first["next_cursor"]},
                        headers=ada.headers).json
    seen = [c["id"] for c in first["conversations"] + second["conversations"]]
    assert sorted(seen) == sorted(made) and second["next_cursor"] is None
    bad = client.get(f"{API}/chat/conversations", query_string={"after": "not-a-cursor"}, headers=ada.headers)
    assert bad.status_code == 404 and bad.json["error"]["code"] == "not_found"

    cid = made[0]
    for n in range(PAGE_SIZE // 2 + 1):  # a question and an answer each: past one page
        post(client, ada, f"/chat/conversations/{cid}/messages", {"message": f"What is a for loop, take {n}?"})
    newest = get(client, ada, f"/chat/conversations/{cid}/messages").json
    assert len(newest["messages"]) == PAGE_SIZE and newest["next_cursor"]
    older = client.get(f"{API}/chat/conversations/{cid}/messages", query_string={"before": newest["next_cursor"]},
                       headers=ada.headers).json
    assert len(older["messages"]) == 2 and older["messages"][0]["text"] == "What is a for loop, take 0?"


def test_rename_and_delete(client, ada):
    cid = start(client, ada)["conversation"]["id"]
    renamed = client.patch(f"{API}/chat/conversations/{cid}", json={"title": "  Loops,   again "}, headers=ada.headers)
    assert renamed.status_code == 200 and renamed.json["title"] == "Loops, again"
    assert get(client, ada, f"/chat/conversations/{cid}").json["conversation"]["title"] == "Loops, again"
    empty = client.patch(f"{API}/chat/conversations/{cid}", json={"title": "   "}, headers=ada.headers)
    assert empty.status_code == 422
    surrogate = client.patch(f"{API}/chat/conversations/{cid}", json={"title": "Loops \udce9"}, headers=ada.headers)
    assert surrogate.status_code == 422 and "title" in surrogate.json["error"]["details"]["fields"]
    assert client.delete(f"{API}/chat/conversations/{cid}", headers=ada.headers).status_code == 204
    assert get(client, ada, f"/chat/conversations/{cid}").status_code == 404
    assert client.delete(f"{API}/chat/conversations/{cid}", headers=ada.headers).status_code == 404


@pytest.mark.parametrize("message, status", [
    ("", 422), ("   \n ", 422), ("x" * 2_001, 422), ("x" * 1_000_000, 413), ("\ud800 loops", 422), (42, 422),
])
def test_a_bad_message_is_refused_and_nothing_is_stored(app, client, ada, message, status):
    cid = start(client, ada)["conversation"]["id"]
    answer = post(client, ada, f"/chat/conversations/{cid}/messages", {"message": message})
    assert answer.status_code == status, answer.get_data(as_text=True)[:300]
    assert answer.json["error"]["requestId"]
    assert get(client, ada, f"/chat/conversations/{cid}/messages").json["messages"] == []


def test_a_non_utf8_body_is_a_400_and_nothing_is_stored(client, ada):
    cid = start(client, ada)["conversation"]["id"]
    answer = client.post(f"{API}/chat/conversations/{cid}/messages", data=b'{"message": "caf\xe9 loops"}',
                         headers={**ada.headers, "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_json"
    assert get(client, ada, f"/chat/conversations/{cid}/messages").json["messages"] == []


def test_an_unknown_lesson_is_a_404_and_starts_nothing(client, ada):
    assert post(client, ada, "/chat/conversations", {"lesson_id": "no-such-lesson"}).status_code == 404
    assert get(client, ada, "/chat/conversations").json["conversations"] == []


def test_another_learners_conversation_is_a_404_and_stays_as_it_was(app, client, ada):
    opened = start(client, ada, lesson_id=LOOPS, message="What does break do in a loop?")
    cid = opened["conversation"]["id"]
    grace = other_learner(app)
    assert get(client, grace, f"/chat/conversations/{cid}").status_code == 404
    assert get(client, grace, f"/chat/conversations/{cid}/messages").status_code == 404
    assert post(client, grace, f"/chat/conversations/{cid}/messages", {"message": "hi loops"}).status_code == 404
    assert client.patch(f"{API}/chat/conversations/{cid}", json={"title": "Mine"},
                        headers=grace.headers).status_code == 404
    assert client.delete(f"{API}/chat/conversations/{cid}", headers=grace.headers).status_code == 404
    assert get(client, grace, "/chat/conversations").json["conversations"] == []
    assert get(client, ada, f"/chat/conversations/{cid}").json == opened


def test_the_json_matches_the_conversation_page(app, client, ada):
    opened = start(client, ada, lesson_id=LOOPS, message="What does break do in a loop?")
    cid = opened["conversation"]["id"]
    page = on_the_pages(app, ada).get(f"/chat/{cid}").get_data(as_text=True)
    assert opened["conversation"]["title"] in page and "What does break do in a loop?" in page
    for citation in opened["messages"][-1]["citations"]:
        assert f'/learn/{citation["lesson_id"]}#' in page and citation["title"] in page
    listing = on_the_pages(app, ada).get("/chat/").get_data(as_text=True)
    assert f"/chat/{cid}" in listing


class TestQuota:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "AI_QUOTA_CHAT": 2}

    def test_past_the_quota_a_429_with_retry_after(self, client, ada):
        cid = start(client, ada)["conversation"]["id"]
        for n in range(2):
            assert post(client, ada, f"/chat/conversations/{cid}/messages",
                        {"message": f"What is a list, {n}?"}).status_code == 201
        refused = post(client, ada, f"/chat/conversations/{cid}/messages", {"message": "What is a dict?"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert refused.json["error"]["details"]["retry_after"] == int(refused.headers["Retry-After"])

"""The tutor chat through the web (offline provider, Flask test client, so no JavaScript): a
conversation started from a lesson with a cited answer, a follow-up, rename, delete, paging; bad
input (empty or 1 MB message, another learner's conversation, non-UTF-8 text) gets a clear 4xx and
loses nothing. The quota: test_chat_quota.py."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, login, register

LOOPS = "python-loops"


def start(client, message: str = "", lesson_id: str = ""):
    token = csrf_token(client, "/chat/")
    return client.post("/chat/", data={"csrf_token": token, "message": message, "lesson_id": lesson_id})


def ask(client, conversation_id: str, message):
    token = csrf_token(client, f"/chat/{conversation_id}")
    return client.post(f"/chat/{conversation_id}/messages", data={"csrf_token": token, "message": message})


def conversation_id(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return re.search(r"/chat/([0-9a-f]+)", response.headers["Location"]).group(1)


def test_a_chat_from_a_lesson_page_answers_with_cited_links_and_follows_up(client, learner):
    lesson_page = client.get(f"/learn/{LOOPS}").get_data(as_text=True)
    assert 'action="/chat/"' in lesson_page and f'value="{LOOPS}"' in lesson_page  # Ask the tutor, a plain form
    cid = conversation_id(start(client, lesson_id=LOOPS))
    assert ask(client, cid, "What does break do?").status_code == 302
    page = client.get(f"/chat/{cid}").get_data(as_text=True)
    assert "About Loops" in page and "What does break do?" in page
    assert "Offline answer: quoted from the lessons" in page
    assert re.search(rf'href="/learn/{LOOPS}#[a-z0-9-]+"', page)  # a citation opens the lesson section
    assert "Now try it on your challenge" in page  # Socratic beside the open challenge
    assert ask(client, cid, "and what about continue then?").status_code == 302
    page = client.get(f"/chat/{cid}").get_data(as_text=True)
    assert page.count('class="chat-message chat-tutor') == 2
    assert 'data-busy-label="Thinking' in page and "js/busy.js" in page  # the thinking state, with script


def test_conversations_are_listed_renamed_and_deleted(client, learner):
    cid = conversation_id(start(client, "How do I read a file line by line?"))
    listing = client.get("/chat/").get_data(as_text=True)
    assert "How do I read a file line by line?" in listing and "2 messages" in listing
    token = csrf_token(client, f"/chat/{cid}")
    assert client.post(f"/chat/{cid}/rename", data={"csrf_token": token, "title": "Files"}).status_code == 302
    assert ">Files</a>" in client.get("/chat/").get_data(as_text=True)
    assert client.post(f"/chat/{cid}/delete", data={"csrf_token": token}).status_code == 302
    assert client.get(f"/chat/{cid}").status_code == 404
    assert "No conversations yet" in client.get("/chat/").get_data(as_text=True)


def test_messages_are_paged_oldest_on_the_next_page(app, client, learner):
    cid = conversation_id(start(client, "What is a list?"))
    for number in range(11):
        ask(client, cid, f"What is a list, take {number}?")
    page = client.get(f"/chat/{cid}").get_data(as_text=True)
    older = re.search(r'href="(/chat/[0-9a-f]+\?before=[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "take 10" in page and "<p>What is a list?</p>" not in page
    assert "<p>What is a list?</p>" in client.get(older).get_data(as_text=True)


@pytest.mark.parametrize(("message", "status"), [("", 422), ("   ", 422), ("x" * 2_001, 422)])
def test_a_bad_message_is_refused_clearly_and_kept(client, learner, message, status):
    cid = conversation_id(start(client, "What is a tuple?"))
    response = ask(client, cid, message)
    page = response.get_data(as_text=True)
    assert response.status_code == status and 'role="alert"' in page
    if message.strip():
        assert message in page  # what the learner typed comes back
    assert page.count('class="chat-message chat-') == 2  # nothing else was stored


def test_a_one_megabyte_message_is_refused_with_413(client, learner):
    cid = conversation_id(start(client, "What is a set?"))
    assert ask(client, cid, "x" * 1_000_000).status_code == 413
    assert client.get(f"/chat/{cid}").get_data(as_text=True).count('class="chat-message chat-') == 2


def test_non_utf8_text_is_refused_and_stores_nothing(client, learner):
    cid = conversation_id(start(client, "What is a set?"))
    token = csrf_token(client, f"/chat/{cid}")
    body = (b'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n' + token.encode()
            + b'\r\n--XX\r\nContent-Disposition: form-data; name="message"\r\n\r\nwhy \xff\xfe\x80\r\n--XX--\r\n')
    response = client.post(f"/chat/{cid}/messages", data=body, content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 422 and "not UTF-8" in response.get_data(as_text=True)
    assert client.get(f"/chat/{cid}").get_data(as_text=True).count('class="chat-message chat-') == 2


def test_another_learners_conversation_is_not_found_and_unchanged(app, client, learner):
    cid = conversation_id(start(client, "What is a dictionary?"))
    other = app.test_client()
    register(other, email="bob@example.com")
    login(other, email="bob@example.com")
    assert other.get(f"/chat/{cid}").status_code == 404
    assert ask(other, cid, "mine now?").status_code == 404
    token = csrf_token(other, "/chat/")
    assert other.post(f"/chat/{cid}/rename", data={"csrf_token": token, "title": "x"}).status_code == 404
    assert other.post(f"/chat/{cid}/delete", data={"csrf_token": token}).status_code == 404
    page = client.get(f"/chat/{cid}").get_data(as_text=True)
    assert "mine now?" not in page and "What is a dictionary?" in page


def test_an_unknown_lesson_is_not_found(client, learner):
    assert start(client, lesson_id="python-nope").status_code == 404


def test_chat_pages_need_a_login(client):
    assert client.get("/chat/").status_code == 302
    assert client.post("/chat/", data={"message": "hi"}).status_code in (302, 400)

"""The tutor chat in a real browser: from a lesson page, 'Ask the tutor' starts a conversation about
the lesson; the answer cites lesson sections whose links open them; a follow-up uses the history; the
conversation is renamed and deleted. Screenshots at 1280 and 390 px; axe finds nothing serious."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_learner

pytestmark = pytest.mark.e2e
LOOPS = "python-loops"


def test_a_chat_from_a_lesson_page_cites_follows_up_and_is_deleted(live_server, page, both_widths):
    log_in_learner(live_server, page, email="chat@example.com", name="Chat")
    page.goto(f"{live_server.url}/learn/{LOOPS}")
    page.get_by_role("button", name="Ask the tutor about this lesson").click()
    page.get_by_role("heading", name="About Loops").wait_for()
    page.get_by_label("Your question").fill("What does break do inside a loop?")
    page.get_by_role("button", name="Ask").click()
    page.locator(".chat-tutor").first.wait_for()
    answer = page.locator(".chat-tutor").first
    assert "Offline answer" in answer.inner_text()
    source = answer.locator(".chat-sources a").first
    href = source.get_attribute("href")
    assert href.startswith(f"/learn/{LOOPS}#")
    both_widths("70-chat-answer")

    page.get_by_label("Your question").fill("And continue?")
    page.get_by_role("button", name="Ask").click()
    page.locator(".chat-tutor").nth(1).wait_for()
    follow_up = page.locator(".chat-tutor").nth(1).inner_text()
    assert "continue" in follow_up.lower()  # the history made the short follow-up about loops
    both_widths("71-chat-follow-up")

    anchor = href.split("#", 1)[1]
    page.goto(live_server.url + href)
    assert page.locator(f"#{anchor}").count() == 1  # the cited section exists on the lesson page

    page.goto(live_server.url + "/chat/")
    both_widths("72-chat-list")
    page.get_by_role("link", name="About Loops").click()
    page.get_by_text("Rename or delete this conversation").click()
    page.get_by_label("Name").fill("Breaking out of loops")
    page.get_by_role("button", name="Rename").click()
    page.get_by_role("heading", name="Breaking out of loops").wait_for()
    page.get_by_text("Rename or delete this conversation").click()
    page.get_by_role("button", name="Delete conversation").click()
    page.get_by_text("No conversations yet").wait_for()

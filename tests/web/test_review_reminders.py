"""Review reminders: opt-in on the account page, `flask reviews remind` mails learners with reviews
due once a day (a rerun sends nothing twice), and the mailed one-click link turns them off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.conftest import csrf_token, outbox
from tests.web.lessons_helpers import LESSON, SOLUTION, post_form


@pytest.fixture
def app_config(app_config):
    return {**app_config, "REVIEW_FUZZ": False}


def test_opted_in_learners_with_reviews_due_get_one_mail_a_day_and_can_unsubscribe(app, client, learner, runner):
    reviews = app.extensions["codelearn.reviews"]
    post_form(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    later = reviews.now() + timedelta(days=3, hours=1)
    reviews.clock = lambda: later
    assert "Review reminders" in client.get("/account/sessions").get_data(as_text=True)

    result = runner.invoke(args=["reviews", "remind"])
    assert result.exit_code == 0 and "0 reminders sent (1 learners with reviews due" in result.output  # not opted in

    token = csrf_token(client, "/account/sessions")
    assert client.post("/review/reminders", data={"csrf_token": token, "reminders": "on"}).status_code == 302
    before = len(outbox(app))
    assert "1 reminders sent" in runner.invoke(args=["reviews", "remind", "--base-url", "https://codelearn.example"]).output
    assert "0 reminders sent" in runner.invoke(args=["reviews", "remind"]).output  # same day: nothing twice
    mails = outbox(app)[before:]
    assert len(mails) == 1 and "review" in mails[0]["subject"]
    assert "https://codelearn.example/review" in mails[0]["text"]
    link = re.search(r"(https://codelearn.example/review/unsubscribe/\S+)", mails[0]["text"]).group(1)

    anonymous = app.test_client()
    page = anonymous.get(link.replace("https://codelearn.example", ""))
    assert page.status_code == 200 and "Review reminders are off" in page.get_data(as_text=True)
    user = app.extensions["codelearn.store"].get_user(learner.id)
    assert user.preferences.get("review_reminders") is False
    assert anonymous.get("/review/unsubscribe/not-a-real-token").status_code == 404

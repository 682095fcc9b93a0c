"""The mobile-style client (tests/mobile_client.py) through the Lambda handler with payload 2.0 events:
sign up, confirm, log in, solve a lesson, take its quiz, chat with the tutor, refresh, log out; every step
as documented."""

from __future__ import annotations

from pathlib import Path

import lambda_handler
from app import create_app
from tests.mobile_client import MobileClient, journey


def test_a_first_session_on_the_phone_through_lambda(app_config):
    app = create_app(app_config)
    client = MobileClient(lambda_handler.build_handler(app))
    seen = journey(client, Path(app.instance_path) / "outbox", app.extensions["codelearn.lesson_library"])

    assert seen["sign_up"].status == 202 and seen["confirm"].status == 200
    assert seen["log_in"].status == 200 and seen["log_in"].body["user"]["verified"] is True
    assert seen["catalogue"].status == 200 and seen["catalogue"].body["completed"] == 0
    lesson = seen["lesson"].body
    assert seen["lesson"].status == 200 and lesson["code"] == lesson["starter"] and "solution" not in lesson
    assert seen["run"].status == 200 and seen["run"].body["output"] == "hello\n"
    wrong = seen["wrong"].body
    assert seen["wrong"].status == 200 and wrong["status"] == "fail" and not wrong["completed"]
    assert seen["hint"].status == 200 and seen["hint"].body["revealed"] == 1
    solved = seen["solve"].body
    assert seen["solve"].status == 200 and solved["status"] == "pass" and solved["completed_now"] is True
    assert solved["attempts"] == 2 and solved["next"] is not None
    assert seen["quiz"].status == 201 and seen["quiz"].body["questions"]
    marked = seen["quiz_marked"].body
    assert seen["quiz_marked"].status == 200 and marked["submitted"] and marked["score"] == marked["total"] > 0
    chat = seen["chat"].body
    assert seen["chat"].status == 201 and [m["role"] for m in chat["messages"]] == ["learner", "tutor"]
    assert chat["messages"][1]["text"] and seen["chat_follow_up"].status == 201
    assert seen["chat_follow_up"].body["role"] == "tutor" and seen["chat_follow_up"].body["text"]
    assert seen["refresh"].status == 200 and client.access_token != seen["old_access_after_refresh"]
    assert seen["after_refresh"].status == 200 and seen["after_refresh"].body["email"] == "mo@example.com"
    assert seen["log_out"].status == 204
    assert seen["after_log_out"].status == 401 and seen["after_log_out"].body["error"]["code"] == "session_ended"
    assert client.refresh().status == 401  # the refresh token died with the session
    app.extensions["codelearn.store"].close()

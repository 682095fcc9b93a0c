"""Sign-up tells nobody which addresses have accounts, is throttled per address, and lets a newcomer
try the editor before confirming the address, within tighter limits that the page states."""

from __future__ import annotations

import dataclasses
import re

import pytest

from services.grader.languages import LANGUAGES
from tests.conftest import PASSWORD, csrf_token, login, outbox, register
from tests.web.lessons_helpers import LESSON, post_json
from tests.web.live_server import SlowSandbox


def _page_without(response, email: str) -> str:
    page = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'name="csrf-token" content="[^"]+"', "", page)  # each client has its own


def test_signing_up_with_a_taken_address_answers_as_for_a_new_one(app, client):
    new = register(client, email="ada@example.com")
    again = register(app.test_client(), email="ada@example.com", password="another long passphrase")
    fresh = register(app.test_client(), email="bob@example.com")
    assert new.status_code == again.status_code == fresh.status_code == 200
    assert "already exists" not in again.get_data(as_text=True)
    assert _page_without(again, "ada@example.com") == _page_without(fresh, "bob@example.com")


def test_the_owner_of_a_taken_address_is_told_someone_tried(app, client):
    register(client, email="ada@example.com")
    register(app.test_client(), email="Ada@Example.com", password="another long passphrase")
    mail = outbox(app)[-1]
    assert mail["to"] == "ada@example.com"
    assert "tried to sign up" in mail["text"]
    assert "/login" in mail["text"] and "/forgot" in mail["text"]
    users = app.extensions["codelearn.store"]
    assert users.get_user_by_email("ada@example.com").password_hash  # the account is unchanged
    assert login(client, password=PASSWORD).status_code == 302  # the first password still works


def test_sign_ups_are_throttled_per_address(app):
    limit = 3
    accounts = app.extensions["codelearn.accounts"]
    accounts.settings = dataclasses.replace(accounts.settings, signups_per_address_per_hour=limit)
    client = app.test_client()
    for i in range(limit):
        assert register(client, email=f"user{i}@example.com").status_code == 200
    refused = register(client, email="one-more@example.com")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert app.extensions["codelearn.store"].get_user_by_email("one-more@example.com") is None
    elsewhere = app.test_client()
    token = csrf_token(elsewhere, "/register")
    other = elsewhere.post("/register", data={"csrf_token": token, "email": "bob@example.com",
                                              "password": PASSWORD}, environ_overrides={"REMOTE_ADDR": "192.0.2.8"})
    assert other.status_code == 200


@pytest.fixture
def sandbox(monkeypatch):
    fake = SlowSandbox(0.0)
    monkeypatch.setitem(LANGUAGES, "python", fake)
    return fake


@pytest.fixture
def newcomer(app, client):
    """Signed up and logged in, address not confirmed yet."""
    register(client)
    assert login(client).status_code == 302
    return app.extensions["codelearn.store"].get_user_by_email("ada@example.com")


def test_an_unconfirmed_newcomer_can_submit_within_tighter_limits(app, client, newcomer, sandbox):
    limit = app.config["UNVERIFIED_SUBMISSIONS_PER_MINUTE"]
    assert limit < app.config["SUBMISSIONS_PER_MINUTE"]
    token = csrf_token(client, f"/learn/{LESSON}")
    for _ in range(limit):
        assert post_json(client, f"/learn/{LESSON}/submit", {"code": "city = 1\n"}, token).status_code == 200
    refused = post_json(client, f"/learn/{LESSON}/submit", {"code": "city = 1\n"}, token)
    assert refused.status_code == 429
    assert "confirm your email address" in refused.json["error"]["message"].lower()
    assert sandbox.runs == limit


def test_a_confirmed_learner_keeps_the_full_limits(app, client, learner, sandbox):
    token = csrf_token(client, f"/learn/{LESSON}")
    for _ in range(app.config["UNVERIFIED_SUBMISSIONS_PER_MINUTE"] + 1):
        assert post_json(client, f"/learn/{LESSON}/submit", {"code": "city = 1\n"}, token).status_code == 200


def test_the_lesson_page_tells_a_newcomer_the_limits(app, client, newcomer):
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert "not confirmed yet" in page
    assert f"{app.config['UNVERIFIED_SUBMISSIONS_PER_MINUTE']} submissions" in page
    app.extensions["codelearn.store"].update_user(newcomer.id, verified=True)
    assert "not confirmed yet" not in client.get(f"/learn/{LESSON}").get_data(as_text=True)

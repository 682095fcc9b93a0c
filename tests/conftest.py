"""Shared fixtures: a fresh app on a throwaway SQLite store per test, a client, a CLI runner,
and helpers to sign up and log in through the real pages (CSRF included)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app import create_app

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app_config(tmp_path: Path) -> dict:
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key",
        "BCRYPT_ROUNDS": 4,  # fast hashing in tests; production uses 12
        "LOG_LEVEL": "WARNING",
        "LESSON_VIEWS_BATCH": 1,  # every view in the ledger at once, so tests can count them
        "SIGNUPS_PER_ADDRESS_PER_HOUR": 1000,  # many sign-ups from one address (test_signup.py sets it low)
    }


@pytest.fixture
def app(app_config):
    application = create_app(app_config)
    application.config["TESTING"] = True
    yield application
    application.extensions["codelearn.store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def outbox(app) -> list[dict]:
    folder = Path(app.instance_path) / "outbox"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


def last_link(app) -> str:
    text = outbox(app)[-1]["text"]
    return re.search(r"https?://\S+", text).group(0)


def register(client, email: str = "ada@example.com", password: str = PASSWORD, name: str = "Ada"):
    token = csrf_token(client, "/register")
    return client.post("/register", data={"csrf_token": token, "email": email, "password": password,
                                          "display_name": name})


def login(client, email: str = "ada@example.com", password: str = PASSWORD, remember: bool = False):
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def verified_learner(app, email: str):
    """Another learner: signed up, verified and logged in on a client of their own -> (client, user)."""
    client = app.test_client()
    register(client, email=email)
    store = app.extensions["codelearn.store"]
    user = store.get_user_by_email(email)
    store.update_user(user.id, verified=True)
    assert login(client, email=email).status_code == 302
    return client, user


@pytest.fixture
def learner(app, client):
    """A registered, verified learner, logged in on `client`."""
    register(client)
    user = app.extensions["codelearn.store"].get_user_by_email("ada@example.com")
    app.extensions["codelearn.store"].update_user(user.id, verified=True)
    response = login(client)
    assert response.status_code == 302
    return user


@pytest.fixture
def reviews(app):
    """The app's ReviewService with its clock stopped at the test's start (tests/review_clock.move_clock
    moves it)."""
    service = app.extensions["codelearn.reviews"]
    start = service.now()
    service.clock = lambda: start
    return service

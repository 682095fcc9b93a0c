"""Helpers of the API tests: a learner signed up and logged in through /api/v1 itself."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest

from tests.conftest import PASSWORD

API = "/api/v1"


@dataclass
class ApiLearner:
    user_id: str
    email: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def api_login(client, email: str, password: str = PASSWORD, user_agent: str = "CodeLearnApp/1.0 (iPhone)"):
    return client.post(f"{API}/auth/login", json={"email": email, "password": password},
                       headers={"User-Agent": user_agent})


def api_learner(app, email: str = "ada@example.com", *, verified: bool = True) -> ApiLearner:
    """Signed up through the API, confirmed in the store, logged in through the API."""
    client = app.test_client()
    assert client.post(f"{API}/auth/register", json={"email": email, "password": PASSWORD,
                                                      "display_name": email.split("@")[0]}).status_code == 202
    store = app.extensions["codelearn.store"]
    user = store.get_user_by_email(email)
    if verified:
        store.update_user(user.id, verified=True)
    answer = api_login(client, email)
    assert answer.status_code == 200, answer.get_json()
    return ApiLearner(user.id, email, answer.json["access_token"], answer.json["refresh_token"])


@pytest.fixture
def ada(app) -> ApiLearner:
    return api_learner(app, "ada@example.com")


@contextmanager
def tokens_clock_moved(app, **delta) -> Iterator[None]:
    """The app's token service sees its clock `delta` later inside the block (expiry, the refresh grace)."""
    tokens = app.extensions["codelearn.api_tokens"]
    real_clock = tokens._clock
    tokens._clock = lambda: real_clock() + timedelta(**delta)
    try:
        yield
    finally:
        tokens._clock = real_clock

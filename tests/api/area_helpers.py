"""Helpers of the area tests (tutor, reviews, chat, assistant, progress): the same learner on the pages,
and a second learner for the 'not yours' checks."""

from __future__ import annotations

from tests.api.conftest import API, ApiLearner, api_learner
from tests.conftest import login


def on_the_pages(app, who: ApiLearner):
    """A browser client logged in as the API learner: the page face of the same account."""
    client = app.test_client()
    assert login(client, email=who.email).status_code == 302
    return client


def other_learner(app) -> ApiLearner:
    return api_learner(app, "grace@example.com")


def get(client, who: ApiLearner, path: str):
    return client.get(f"{API}{path}", headers=who.headers)


def post(client, who: ApiLearner, path: str, body: dict | None = None):
    if body is None:
        return client.post(f"{API}{path}", headers=who.headers)
    return client.post(f"{API}{path}", json=body, headers=who.headers)

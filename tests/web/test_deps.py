"""blueprints/deps.py: one way for an area's pages to say "logged in only" (flask-login's own
unauthorized handling, public endpoints excepted) and "the service, or 404 where the app factory did
not build it"; the chat, assistant, tutor and review pages all use it."""

from __future__ import annotations

import pytest

from blueprints import assistant, chat, reviews, tutor
from blueprints.deps import require_login, service_or_404

PAGES = ["/chat/", "/assistant/", "/skills", "/review"]


@pytest.mark.parametrize("path", PAGES)
def test_every_area_page_sends_a_visitor_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_public_endpoint_stays_public(client):
    # The mailed unsubscribe link works without a login (its signed token says who): a forged one is a 404
    # from the page itself, not a redirect to the login page.
    assert client.get("/review/unsubscribe/not-a-token").status_code == 404


@pytest.mark.parametrize("path", ["/chat/", "/assistant/"])
def test_an_area_without_its_service_is_a_404_for_a_learner(app, client, learner, path):
    name = path.strip("/")
    app.extensions[f"codelearn.{name}"] = None  # as the factory leaves it without an AI layer
    assert client.get(path).status_code == 404


def test_the_helpers_are_the_ones_the_blueprints_use():
    for module in (chat, assistant, tutor, reviews):
        assert module.require_login is require_login
    assert chat.service_or_404 is service_or_404 and assistant.service_or_404 is service_or_404

"""Helpers of the identity-provider tests: an app with the fake OIDC provider set up, and the
browser's round trip through it (the app's redirect, the provider's redirect back, the callback)."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from tests.conftest import csrf_token
from tests.fakes.oidc_provider import FakeOIDCProvider


@pytest.fixture
def provider():
    fake = FakeOIDCProvider().start()
    yield fake
    fake.stop()


@pytest.fixture
def app_config(app_config, provider):
    return {**app_config, "OIDC_PROVIDERS": {"fake": provider.settings()}}


def start(client, path: str = "/login") -> str:
    """Press "Continue with Fake ID" on `path`: the provider's authorize URL the app's page moves on to
    (a same-origin page with a meta refresh and a link: the CSP's form-action forbids a redirect)."""
    response = client.post("/login/with/fake", data={"csrf_token": csrf_token(client, path)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", page
    link = html.unescape(re.search(r'id="provider-link" href="([^"]+)"', page).group(1))
    refresh = html.unescape(re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page).group(1))
    assert link == refresh
    return link


def at_provider(authorize_url: str) -> str:
    """What the provider sends the browser back to: the app's callback URL with code and state."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def sign_in(client, path: str = "/login"):
    """The whole round trip; the app's answer to the callback."""
    return client.get(at_provider(start(client, path)))


def is_logged_in(client) -> bool:
    return client.get("/account/sessions").status_code == 200

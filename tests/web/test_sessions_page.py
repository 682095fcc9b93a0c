"""The sessions page names devices the way people do ("Chrome on Linux"), not by raw user-agent strings."""

from __future__ import annotations

import pytest

from services.devices import describe_device
from tests.conftest import PASSWORD, csrf_token, register

CHROME_LINUX = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/131.0.0.0 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.mark.parametrize(("user_agent", "label"), [
    (CHROME_LINUX, "Chrome on Linux"),
    (SAFARI_IPHONE, "Mobile Safari on iOS (iPhone)"),
    (FIREFOX_WINDOWS, "Firefox on Windows"),
    ("curl/8.5.0", "curl"),
    ("", "Unknown device"),
    ("\x00" * 300, "Unknown device"),
])
def test_devices_are_named_by_browser_and_system(user_agent, label):
    assert describe_device(user_agent) == label


def test_the_sessions_page_shows_browser_and_system(app, client):
    register(client)
    token = csrf_token(client, "/login")
    client.post("/login", data={"csrf_token": token, "email": "ada@example.com", "password": PASSWORD},
                headers={"User-Agent": CHROME_LINUX})
    page = client.get("/account/sessions", headers={"User-Agent": CHROME_LINUX}).get_data(as_text=True)
    assert "Chrome on Linux" in page
    assert "AppleWebKit" not in page  # the raw string is only in the title attribute's place: nowhere

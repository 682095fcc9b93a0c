"""Sign up -> open the verification link from the outbox -> log in -> dashboard -> log out."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, outbox
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


def test_sign_up_verify_log_in_and_out(live_server, page):
    page.goto(live_server.url + "/")
    screenshot(page, "01-landing")
    page.get_by_role("link", name="Start learning").click()
    page.get_by_label("Your name (optional)").fill("Ada")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot(page, "02-register")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    screenshot(page, "03-check-email")

    link = next(word for word in outbox(live_server.app)[-1]["text"].split() if "/verify/" in word)
    page.goto(link)
    page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_text("Your email address is confirmed").wait_for()
    screenshot(page, "04-login-after-verify")

    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Hello, Ada!").wait_for()
    assert page.url.endswith("/dashboard")
    assert page.get_by_text("Please confirm your email").count() == 0  # verified: no banner
    screenshot(page, "05-dashboard")

    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You are logged out").wait_for()
    page.goto(live_server.url + "/dashboard")
    assert "/login" in page.url
    page.get_by_text("Please log in to see that page.").wait_for()
    screenshot(page, "06-protected-redirect")


def test_wrong_password_and_error_pages_look_right(live_server, page):
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password", exact=True).fill("not the right one")
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("That email and password don't match an account.").wait_for()
    assert page.get_by_label("Email").input_value() == "nobody@example.com"  # kept what was typed
    screenshot(page, "07-login-error")
    response = page.goto(live_server.url + "/no-such-page")
    assert response.status == 404
    page.get_by_role("heading", name="Page not found").wait_for()
    screenshot(page, "08-not-found")

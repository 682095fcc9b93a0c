"""Sign-in through an identity provider in a real browser: the log-in page's button -> the fake OIDC
provider's own page (another origin) -> back to the dashboard with a new account; the account page's
"Sign-in methods" (only way in: no unlink), a first password, then unlink; the pages at 1280 and 390 px
(no sideways scrolling, axe clean) and a refused sign-in's page."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in_learner
from tests.fakes.oidc_provider import FakeOIDCProvider

pytestmark = pytest.mark.e2e


@pytest.fixture
def provider():
    fake = FakeOIDCProvider().start()
    fake.auto_approve = False  # the provider shows its own sign-in page, as real ones do
    fake.person = {**fake.person, "email": "lin@example.com", "name": "Lin"}
    yield fake
    fake.stop()


@pytest.fixture
def oidc_server(serve_app, provider):
    return serve_app(OIDC_PROVIDERS={"fake": provider.settings()})


def test_sign_up_through_the_provider_then_manage_sign_in_methods(oidc_server, provider, page, both_widths):
    page.goto(oidc_server.url + "/login")
    both_widths("identity-01-login")
    page.get_by_role("button", name="Continue with Fake ID").click()
    page.get_by_role("heading", name="Fake ID", exact=True).wait_for()
    assert page.url.startswith(provider.issuer + "/authorize")
    page.get_by_role("button", name="Sign in as lin@example.com").click()
    page.get_by_role("heading", name="Hello, Lin!").wait_for()
    assert page.url.endswith("/dashboard")
    page.get_by_text("Your account was made with Fake ID").wait_for()

    page.goto(oidc_server.url + "/account/sessions")
    section = page.locator("#sign-in-methods")
    section.get_by_text("Your only way in").wait_for()
    assert section.get_by_role("button", name="Unlink Fake ID").count() == 0
    both_widths("identity-02-sign-in-methods")
    page.goto(oidc_server.url + "/account/delete")
    page.get_by_role("button", name="Email me the confirmation link").wait_for()
    both_widths("identity-02b-delete-by-link")
    page.goto(oidc_server.url + "/account/sessions")
    section = page.locator("#sign-in-methods")

    section.get_by_label("New password", exact=True).fill(PASSWORD)
    section.get_by_label("Repeat the new password").fill(PASSWORD)
    section.get_by_role("button", name="Set password").click()
    page.get_by_text("Your password is set").wait_for()
    both_widths("identity-03-password-set")
    page.locator("#sign-in-methods").get_by_role("button", name="Unlink Fake ID").click()
    page.get_by_text("Fake ID sign-in unlinked.").wait_for()
    assert page.locator("#sign-in-methods").get_by_role("button", name="Link Fake ID").count() == 1


def test_a_refused_sign_in_shows_a_clear_page(oidc_server, provider, page, both_widths):
    provider.fault = "tampered"
    page.goto(oidc_server.url + "/login")
    page.get_by_role("button", name="Continue with Fake ID").click()
    page.get_by_role("button", name="Sign in as lin@example.com").click()
    page.get_by_role("heading", name="Sign-in refused").wait_for()
    page.get_by_text("not signed by Fake ID").wait_for()
    both_widths("identity-04-refused")


def test_a_provider_email_with_an_account_is_linked_after_logging_in(oidc_server, provider, page, both_widths):
    log_in_learner(oidc_server, page, email="lin@example.com", name="Lin")  # an account with a password
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("You are logged out").wait_for()
    page.goto(oidc_server.url + "/login")
    page.get_by_role("button", name="Continue with Fake ID").click()
    page.get_by_role("button", name="Sign in as lin@example.com").click()
    page.get_by_role("heading", name="Link your Fake ID sign-in").wait_for()
    page.get_by_text("already exists").wait_for()
    both_widths("identity-05-log-in-to-link")
    page.get_by_role("link", name="Log in to link").click()
    page.get_by_label("Email").fill("lin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Link Fake ID").wait_for()
    both_widths("identity-06-confirm-link")
    page.get_by_role("button", name="Link Fake ID").click()
    page.get_by_text("You can now log in with Fake ID").wait_for()
    user = oidc_server.app.extensions["codelearn.store"].get_user_by_email("lin@example.com")
    assert oidc_server.app.extensions["codelearn.store"].get_identity("fake", "fake-sub-1").user_id == user.id

"""Linking provider identities to accounts: an identity whose email has an account is linked only after
the learner logs in to that account (no takeover through a provider's email, verified or not), a
logged-in learner links from the account page, unlinking never leaves an account without a way in,
and an account made through a provider can set a password."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token, login, register
from tests.web.oidc_helpers import app_config, at_provider, is_logged_in, provider, sign_in, start

assert app_config and provider  # fixtures, used by name


def _store(app):
    return app.extensions["codelearn.store"]


@pytest.mark.parametrize("provider_verified", [True, False])
def test_a_provider_email_with_an_account_is_not_logged_in_until_the_owner_logs_in(
        app, client, provider, provider_verified):
    register(client)  # ada@example.com, with a password (not logged in yet)
    provider.person = {**provider.person, "email_verified": provider_verified}
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/login/link"
    page = client.get("/login/link").get_data(as_text=True)
    assert "already exists" in page and "Log in to link" in page
    assert not is_logged_in(client)
    owner = _store(app).get_user_by_email("ada@example.com")
    assert _store(app).list_identities(owner.id) == [] and _store(app).get_identity("fake", "fake-sub-1") is None


def test_logging_in_with_the_password_then_confirming_links_the_identity(app, client, provider):
    register(client)
    sign_in(client)  # -> "log in to link"
    response = login(client)
    assert response.status_code == 302
    link_page = client.get("/login/link").get_data(as_text=True)
    assert "Link Fake ID" in link_page and "ada@example.com" in link_page
    linked = client.post("/login/link", data={"csrf_token": csrf_token(client, "/login/link"), "decision": "link"})
    assert linked.status_code == 302 and linked.headers["Location"] == "/account/sessions"
    owner = _store(app).get_user_by_email("ada@example.com")
    assert _store(app).get_identity("fake", "fake-sub-1").user_id == owner.id
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert sign_in(client).headers["Location"] == "/dashboard" and is_logged_in(client)  # the provider now logs in


def test_declining_the_link_links_nothing(app, client, provider):
    register(client)
    sign_in(client)
    login(client)
    client.post("/login/link", data={"csrf_token": csrf_token(client, "/login/link"), "decision": "cancel"})
    assert _store(app).get_identity("fake", "fake-sub-1") is None
    assert client.get("/login/link").headers["Location"] == "/login"  # nothing waits any more


def test_a_logged_in_learner_links_a_provider_from_the_account_page(app, client, provider, learner):
    provider.person = {**provider.person, "email": "ada.other@example.org", "sub": "fake-sub-9"}
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "Sign-in methods" in page and "Link Fake ID" in page
    response = client.get(at_provider(start(client, "/account/sessions")))
    assert response.headers["Location"] == "/account/sessions"
    assert _store(app).get_identity("fake", "fake-sub-9").user_id == learner.id
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "ada.other@example.org" in page and "Unlink" in page  # a password is the other way in


def test_an_identity_linked_to_another_account_is_not_moved(app, client, provider, learner):
    provider.person = {**provider.person, "sub": "fake-sub-2", "email": "bo@example.com"}
    sign_in(app.test_client())  # bo's account is made through the provider
    bo = _store(app).get_identity("fake", "fake-sub-2").user_id
    response = client.get(at_provider(start(client, "/account/sessions")))  # ada tries to link bo's identity
    assert response.status_code == 409 and "linked to another CodeLearn account" in response.get_data(as_text=True)
    assert _store(app).get_identity("fake", "fake-sub-2").user_id == bo
    assert _store(app).list_identities(learner.id) == []


def test_a_provider_made_account_cannot_unlink_its_only_way_in_until_it_sets_a_password(app, client, provider):
    sign_in(client)
    user = _store(app).get_user_by_email("ada@example.com")
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "Your only way in" in page and "Set a password" in page and "Change password</a>" not in page
    token = csrf_token(client, "/account/sessions")
    refused = client.post("/account/sign-in/unlink", data={"csrf_token": token, "provider": "fake",
                                                          "subject": "fake-sub-1"}, follow_redirects=True)
    assert "only way to log in" in refused.get_data(as_text=True)
    assert _store(app).get_identity("fake", "fake-sub-1") is not None
    weak = client.post("/account/sign-in/password", data={"csrf_token": token, "password": "short",
                                                          "confirm": "short"})
    assert weak.status_code == 400 and "at least 10" in weak.get_data(as_text=True)
    set_ok = client.post("/account/sign-in/password", data={"csrf_token": token, "password": PASSWORD,
                                                            "confirm": PASSWORD})
    assert set_ok.status_code == 302
    again = client.post("/account/sign-in/password", data={"csrf_token": token, "password": PASSWORD + "x",
                                                           "confirm": PASSWORD + "x"})
    assert again.status_code == 400 and "has a password already" in again.get_data(as_text=True)
    unlinked = client.post("/account/sign-in/unlink", data={"csrf_token": token, "provider": "fake",
                                                           "subject": "fake-sub-1"})
    assert unlinked.status_code == 302 and _store(app).list_identities(user.id) == []
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert login(client).status_code == 302  # the password is the way in now


def test_another_learners_identity_cannot_be_unlinked(app, client, provider, learner):
    other = app.test_client()
    provider.person = {**provider.person, "sub": "fake-sub-2", "email": "bo@example.com"}
    sign_in(other)
    token = csrf_token(client, "/account/sessions")
    response = client.post("/account/sign-in/unlink", data={"csrf_token": token, "provider": "fake",
                                                           "subject": "fake-sub-2"})
    assert response.status_code == 404
    assert _store(app).get_identity("fake", "fake-sub-2") is not None


def test_unlinking_needs_the_forms_csrf_token(app, client, provider):
    sign_in(client)
    _store(app).update_user(_store(app).get_user_by_email("ada@example.com").id, password_hash="x")
    response = client.post("/account/sign-in/unlink", data={"provider": "fake", "subject": "fake-sub-1"})
    assert response.status_code == 400 and _store(app).get_identity("fake", "fake-sub-1") is not None


def test_a_password_reset_on_an_unconfirmed_account_drops_its_provider_links(app, client, provider):
    """Someone signs up through a provider that did not verify the address; the address's real owner
    resets the password (proving the mailbox): the other person's sign-in no longer gets in."""
    provider.person = {**provider.person, "email_verified": False}
    sign_in(app.test_client())  # not the owner: an unconfirmed account with their identity linked
    user = _store(app).get_user_by_email("ada@example.com")
    assert _store(app).list_identities(user.id) and user.verified is False
    client.post("/forgot", data={"csrf_token": csrf_token(client, "/forgot"), "email": "ada@example.com"})
    from urllib.parse import urlsplit

    from tests.conftest import last_link

    path = urlsplit(last_link(app)).path
    reset = client.post(path, data={"csrf_token": csrf_token(client, path), "password": PASSWORD,
                                    "confirm": PASSWORD})
    assert reset.status_code == 302
    assert _store(app).list_identities(user.id) == []
    intruder = app.test_client()
    assert sign_in(intruder).headers["Location"] == "/login/link" and not is_logged_in(intruder)


def test_a_password_reset_on_a_confirmed_account_keeps_its_provider_links(app, client, provider):
    sign_in(app.test_client())  # the provider verified the address
    user = _store(app).get_user_by_email("ada@example.com")
    client.post("/forgot", data={"csrf_token": csrf_token(client, "/forgot"), "email": "ada@example.com"})
    from urllib.parse import urlsplit

    from tests.conftest import last_link

    path = urlsplit(last_link(app)).path
    client.post(path, data={"csrf_token": csrf_token(client, path), "password": PASSWORD, "confirm": PASSWORD})
    assert [i.subject for i in _store(app).list_identities(user.id)] == ["fake-sub-1"]

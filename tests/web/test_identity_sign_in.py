"""Sign-in with an identity provider, through Authlib against the fake OIDC provider (a real HTTP
server): first-time sign-up, logging in again, PKCE / state / nonce on the wire, and every refused
answer (tampered or foreign-signed ID token, wrong nonce, wrong state, replayed code, expired token,
a cancelled sign-in) getting a clear page that logs nobody in and changes nothing."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import csrf_token
from tests.fakes.oidc_provider import CLIENT_SECRET
from tests.web.oidc_helpers import app_config, at_provider, is_logged_in, provider, sign_in, start, with_query

assert app_config and provider  # fixtures, used by name


def test_the_login_and_sign_up_pages_show_the_provider_button(client):
    assert "Continue with Fake ID" in client.get("/login").get_data(as_text=True)
    assert "Continue with Fake ID" in client.get("/register").get_data(as_text=True)


def test_first_sign_in_makes_an_account_with_the_provider_verified_email_and_logs_in(app, client, provider):
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert is_logged_in(client)
    store = app.extensions["codelearn.store"]
    user = store.get_user_by_email("ada@example.com")
    assert user.verified is True and user.password_hash == "" and user.display_name == "Ada"
    assert [(i.provider, i.subject) for i in store.list_identities(user.id)] == [("fake", "fake-sub-1")]
    sent = provider.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and len(sent["code_challenge"]) == 43
    assert sent["nonce"] and sent["state"] and sent["scope"] == "openid email profile"
    assert len(provider.token_requests[-1]["code_verifier"]) >= 43


def test_an_unverified_provider_email_makes_an_unconfirmed_account_and_mails_a_link(app, client, provider):
    provider.person = {**provider.person, "email": "bo@example.com", "email_verified": False}
    assert sign_in(client).status_code == 302 and is_logged_in(client)
    user = app.extensions["codelearn.store"].get_user_by_email("bo@example.com")
    assert user.verified is False
    from tests.conftest import outbox

    assert outbox(app)[-1]["to"] == "bo@example.com" and "/verify/" in outbox(app)[-1]["text"]


def test_signing_in_again_logs_in_to_the_same_account(app, client, provider):
    sign_in(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert not is_logged_in(client)
    response = sign_in(client)
    assert response.status_code == 302
    assert "Welcome back, Ada!" in client.get("/dashboard").get_data(as_text=True)
    assert is_logged_in(client)
    assert len(app.extensions["codelearn.store"].list_users().items) == 1


def test_without_settings_there_is_no_button_and_no_route(tmp_path):
    from app import create_app

    plain = create_app({"INSTANCE_PATH": str(tmp_path / "plain"), "SECRET_KEY": "k", "BCRYPT_ROUNDS": 4})
    client = plain.test_client()
    assert "Continue with" not in client.get("/login").get_data(as_text=True)
    token = csrf_token(client)
    assert client.post("/login/with/fake", data={"csrf_token": token}).status_code == 404
    assert client.get("/login/with/fake/callback?code=x&state=y").status_code == 404
    plain.extensions["codelearn.store"].close()


def test_starting_a_sign_in_needs_the_forms_csrf_token(client):
    assert client.post("/login/with/fake").status_code == 400


def _refused(client, response, *words):
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert "Sign-in refused" in page and "Nothing was changed" in page
    for word in words:
        assert word in page, page
    assert not is_logged_in(client)


@pytest.mark.parametrize(("fault", "words"), [
    ("tampered", ["not signed by Fake ID"]),
    ("foreign_key", ["could not be verified"]),
    ("wrong_nonce", ["another sign-in attempt", "nonce"]),
    ("expired", ["expired"]),
    ("other_audience", ["could not be verified"]),
])
def test_a_bad_id_token_is_refused_with_a_clear_page(app, client, provider, fault, words):
    provider.fault = fault
    _refused(client, sign_in(client), *words)
    assert app.extensions["codelearn.store"].get_user_by_email("ada@example.com") is None


def test_a_wrong_state_is_refused_and_the_code_is_not_exchanged(app, client, provider):
    back = at_provider(start(client))
    _refused(client, client.get(with_query(back, state="forged-state")), "does not belong")
    assert provider.token_requests == []
    assert app.extensions["codelearn.store"].get_user_by_email("ada@example.com") is None


def test_an_answer_from_a_sign_in_started_elsewhere_is_refused(app, client, provider):
    back = at_provider(start(app.test_client()))  # started in another browser
    _refused(client, client.get(back), "does not belong")
    assert provider.token_requests == []


def test_a_replayed_code_is_refused(app, client, provider):
    back = at_provider(start(client))
    assert client.get(back).status_code == 302  # the first use signs in
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    # The same answer again: its state was spent with it.
    _refused(client, client.get(back), "does not belong")
    # The old code under a fresh attempt's state: the provider refuses the code itself.
    fresh = at_provider(start(client))
    old_code = with_query(back).split("code=")[1].split("&")[0]
    _refused(client, client.get(with_query(fresh, code=old_code)), "already used or has expired")
    assert provider.token_requests[-1]["code"] == old_code


def test_a_sign_in_cancelled_at_the_provider_is_refused(client):
    back = at_provider(start(client))
    cancelled = with_query(back, error="access_denied")
    _refused(client, client.get(cancelled), "cancelled")


def test_an_unreachable_provider_gets_a_page_not_a_crash(app, client, provider):
    provider.stop()
    response = client.post("/login/with/fake", data={"csrf_token": csrf_token(client)})
    page = response.get_data(as_text=True)
    assert response.status_code == 502 and "not answering" in page and "Traceback" not in page


def test_the_client_secret_never_reaches_a_page_or_the_log(client, provider, caplog):
    caplog.set_level(logging.DEBUG)
    pages = [client.get("/login").get_data(as_text=True), client.get("/register").get_data(as_text=True)]
    sign_in(client)
    pages.append(client.get("/account/sessions").get_data(as_text=True))
    provider.fault = "tampered"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    pages.append(sign_in(client).get_data(as_text=True))
    assert all(CLIENT_SECRET not in page for page in pages)
    assert CLIENT_SECRET not in caplog.text

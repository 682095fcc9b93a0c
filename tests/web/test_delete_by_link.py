"""Deleting an account without a password (made through an identity provider): the typed word, then a
mailed single-use link; opening the link deletes nothing (mail scanners prefetch links), the typed word
posted from it deletes everything; dead, used and mistyped links and a wrong word lose nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.conftest import csrf_token, last_link, login, outbox
from tests.web.oidc_helpers import app_config, is_logged_in, provider, sign_in

assert app_config and provider  # fixtures, used by name


def _provider_account(app, client):
    sign_in(client)
    return app.extensions["codelearn.store"].get_user_by_email("ada@example.com")


def _ask_for_link(client, word="DELETE"):
    return client.post("/account/delete", data={"csrf_token": csrf_token(client, "/account/delete"),
                                                "confirmation": word})


def test_the_delete_page_of_a_passwordless_account_asks_only_for_the_word(app, client):
    _provider_account(app, client)
    page = client.get("/account/delete").get_data(as_text=True)
    assert "Email me the confirmation link" in page and "Your password" not in page


def test_a_wrong_word_sends_no_link(app, client):
    _provider_account(app, client)
    response = _ask_for_link(client, "delete")
    assert response.status_code == 400 and "Type DELETE in capitals" in response.get_data(as_text=True)
    assert not any("delete" in mail["subject"].lower() for mail in outbox(app))


def test_the_mailed_link_deletes_only_after_the_typed_word_is_posted_from_it(app, client):
    user = _provider_account(app, client)
    store = app.extensions["codelearn.store"]
    response = _ask_for_link(client)
    assert response.status_code == 200 and "We sent a confirmation link to" in response.get_data(as_text=True)
    mail = outbox(app)[-1]
    assert mail["to"] == "ada@example.com" and "deleting your CodeLearn account" in mail["subject"]
    path = urlsplit(last_link(app)).path
    opened = client.get(path)  # what a mail scanner does too
    assert opened.status_code == 200 and "Delete your account?" in opened.get_data(as_text=True)
    assert store.get_user(user.id) is not None
    wrong = client.post(path, data={"csrf_token": csrf_token(client, path), "confirmation": "yes"})
    assert wrong.status_code == 400 and store.get_user(user.id) is not None
    done = client.post(path, data={"csrf_token": csrf_token(client, path), "confirmation": "DELETE"})
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert store.get_user(user.id) is None and store.get_identity("fake", "fake-sub-1") is None
    assert not is_logged_in(client)
    again = client.get(path)  # the link's token went with the account
    assert again.status_code == 404 and "deleted already" in again.get_data(as_text=True)


def test_a_mistyped_link_says_so_and_deletes_nothing(app, client):
    user = _provider_account(app, client)
    response = client.get("/account/delete/confirm/not-a-real-token")
    assert response.status_code == 404 and "We don't know this link" in response.get_data(as_text=True)
    posted = client.post("/account/delete/confirm/not-a-real-token",
                         data={"csrf_token": csrf_token(client, "/account/sessions"), "confirmation": "DELETE"})
    assert posted.status_code == 404
    assert app.extensions["codelearn.store"].get_user(user.id) is not None


def test_a_link_for_another_purpose_does_not_delete(app, client):
    user = _provider_account(app, client)
    store = app.extensions["codelearn.store"]
    store.update_user(user.id, verified=False)
    client.post("/verify/resend", data={"csrf_token": csrf_token(client, "/dashboard")})
    verify_token = urlsplit(last_link(app)).path.rsplit("/", 1)[1]
    response = client.get(f"/account/delete/confirm/{verify_token}")
    assert response.status_code == 404 and store.get_user(user.id) is not None


def test_an_account_with_a_password_still_deletes_with_the_password(app, client, learner):
    page = client.get("/account/delete").get_data(as_text=True)
    assert "Your password" in page and "Email me the confirmation link" not in page
    assert login  # the password path is tested in tests/web/test_progress_pages.py

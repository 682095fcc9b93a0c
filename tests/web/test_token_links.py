"""Links from mails are checked when opened (without spending them): a dead link says why at once."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import PASSWORD, csrf_token, last_link, login, register


def _path(app) -> str:
    return last_link(app).split("localhost", 1)[1]


def _later(app, hours: float) -> None:
    accounts = app.extensions["codelearn.accounts"]
    real_clock = accounts._clock
    accounts._clock = lambda: real_clock() + timedelta(hours=hours)


def _reset_link(app, client) -> str:
    register(client)
    client.post("/forgot", data={"csrf_token": csrf_token(client, "/forgot"), "email": "ada@example.com"})
    return _path(app)


def test_an_unknown_reset_link_says_so_on_opening_and_offers_a_new_one(client):
    page = client.get("/reset/not-a-real-token")
    body = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "Save new password" not in body and 'href="/forgot"' in body


def test_a_used_reset_link_says_it_was_used(app, client):
    path = _reset_link(app, client)
    new = "another long passphrase"
    client.post(path, data={"csrf_token": csrf_token(client, path), "password": new, "confirm": new})
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 410 and "already used" in body and 'href="/forgot"' in body
    assert "Save new password" not in body


def test_an_expired_reset_link_says_it_expired(app, client):
    path = _reset_link(app, client)
    _later(app, 2)
    page = client.get(path)
    assert page.status_code == 410 and "expired" in page.get_data(as_text=True)


def test_opening_a_good_reset_link_does_not_spend_it(app, client):
    path = _reset_link(app, client)
    for _ in range(2):
        page = client.get(path)
        assert page.status_code == 200 and "Save new password" in page.get_data(as_text=True)
    new = "another long passphrase"
    done = client.post(path, data={"csrf_token": csrf_token(client, path), "password": new, "confirm": new})
    assert done.status_code == 302


def test_a_used_verification_link_says_the_address_is_confirmed(app, client):
    register(client)
    path = _path(app)
    client.post(path, data={"csrf_token": csrf_token(client, path)})
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 410 and "already used" in body
    assert "Confirm my email address" not in body and 'href="/login"' in body


def test_an_expired_verification_link_says_how_to_get_a_new_one(app, client):
    register(client)
    path = _path(app)
    _later(app, 49)
    page = client.get(path)
    body = page.get_data(as_text=True)
    assert page.status_code == 410 and "expired" in body and "Confirm my email address" not in body
    assert "send a new one" in body.lower()


def test_an_unknown_verification_link_is_not_found(client):
    page = client.get("/verify/nope")
    assert page.status_code == 404 and "Confirm my email address" not in page.get_data(as_text=True)


def test_a_logged_in_learner_with_an_expired_link_can_resend_from_the_page(app, client):
    register(client)
    path = _path(app)
    assert login(client, password=PASSWORD, remember=True).status_code == 302  # still logged in 49 h on
    _later(app, 49)
    body = client.get(path).get_data(as_text=True)
    assert 'action="/verify/resend"' in body

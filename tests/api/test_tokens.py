"""Access and refresh tokens of /api/v1: bearer only, short-lived, rotating, tied to the
server-side sessions (logout, "log out everywhere", password change and reset end them)."""

from __future__ import annotations

from tests.api.conftest import API, api_login, tokens_clock_moved
from tests.conftest import PASSWORD, csrf_token, last_link, login, register


def _refresh(client, token: str):
    return client.post(f"{API}/auth/refresh", json={"refresh_token": token})


def test_login_gives_a_pair_that_opens_the_api(app, client, ada):
    assert client.get(f"{API}/account", headers=ada.headers).json["email"] == "ada@example.com"
    assert client.get(f"{API}/account").status_code == 401


def test_a_wrong_password_is_401_in_the_error_format(app, client, ada):
    answer = api_login(client, "ada@example.com", "not the password at all")
    assert answer.status_code == 401
    assert set(answer.json["error"]) == {"code", "message", "details", "timestamp", "requestId"}


def test_a_tampered_or_foreign_token_is_refused(app, client, ada):
    head, payload, signature = ada.access_token.split(".")

    def other_first(text: str) -> str:  # the first base64 character carries 6 whole bits: always a change
        return ("B" if text[0] != "B" else "C") + text[1:]

    for token in (f"{head}.{payload}.{other_first(signature)}", f"{head}.{other_first(payload)}.{signature}",
                  "nonsense", "a.b.c"):
        answer = client.get(f"{API}/account", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401 and answer.json["error"]["code"] == "invalid_token", token
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_access_token_is_refused_and_a_refresh_brings_a_working_one(app, client, ada):
    with tokens_clock_moved(app, minutes=16):
        expired = client.get(f"{API}/account", headers=ada.headers)
        assert expired.status_code == 401 and expired.json["error"]["code"] == "token_expired"
        fresh = _refresh(client, ada.refresh_token)
        assert fresh.status_code == 200
        again = client.get(f"{API}/account", headers={"Authorization": f"Bearer {fresh.json['access_token']}"})
        assert again.status_code == 200


def test_refresh_rotates_and_a_retry_within_the_grace_gets_the_same_pair(app, client, ada):
    first = _refresh(client, ada.refresh_token)
    retry = _refresh(client, ada.refresh_token)
    assert first.status_code == retry.status_code == 200
    assert first.json["refresh_token"] != ada.refresh_token
    assert (retry.json["access_token"], retry.json["refresh_token"]) == (first.json["access_token"],
                                                                        first.json["refresh_token"])
    following = _refresh(client, first.json["refresh_token"])  # in the same second, most likely
    assert following.status_code == 200 and following.json["refresh_token"] != first.json["refresh_token"]
    assert len({ada.access_token, first.json["access_token"], following.json["access_token"]}) == 3


def test_a_replayed_refresh_token_after_the_grace_revokes_the_whole_family(app, client, ada):
    tokens = app.extensions["codelearn.api_tokens"]
    rotated = _refresh(client, ada.refresh_token).json
    with tokens_clock_moved(app, seconds=tokens.settings.refresh_grace_seconds + 5):
        replay = _refresh(client, ada.refresh_token)
    assert replay.status_code == 401 and replay.json["error"]["code"] == "refresh_token_reused"
    # The thief's and the learner's tokens of that login are all dead now.
    assert _refresh(client, rotated["refresh_token"]).status_code == 401
    assert client.get(f"{API}/account", headers={"Authorization": f"Bearer {rotated['access_token']}"}
                      ).status_code == 401
    assert client.get(f"{API}/account", headers=ada.headers).status_code == 401


def test_logout_ends_this_clients_tokens_only(app, client, ada):
    phone = ada
    tablet = api_login(client, "ada@example.com").json
    assert client.post(f"{API}/auth/logout", headers=phone.headers).status_code == 204
    assert client.get(f"{API}/account", headers=phone.headers).status_code == 401
    assert _refresh(client, phone.refresh_token).status_code == 401
    assert client.get(f"{API}/account", headers={"Authorization": f"Bearer {tablet['access_token']}"}
                      ).status_code == 200


def test_logging_out_everywhere_on_the_site_ends_the_api_tokens(app, client, ada):
    assert login(client).status_code == 302
    token = csrf_token(client, "/account/sessions")
    client.post("/logout-everywhere", data={"csrf_token": token})
    assert client.get(f"{API}/account", headers=ada.headers).status_code == 401
    assert _refresh(client, ada.refresh_token).status_code == 401


def test_a_password_change_through_the_api_ends_the_other_clients(app, client, ada):
    other = api_login(client, "ada@example.com").json
    answer = client.post(f"{API}/account/password", headers=ada.headers,
                         json={"current_password": PASSWORD, "new_password": "another long passphrase"})
    assert answer.status_code == 200 and answer.json["signed_out"] == 1
    assert client.get(f"{API}/account", headers={"Authorization": f"Bearer {other['access_token']}"}
                      ).status_code == 401
    assert _refresh(client, other["refresh_token"]).status_code == 401
    assert client.get(f"{API}/account", headers=ada.headers).status_code == 200


def test_a_password_reset_ends_every_api_token(app, client, ada):
    assert client.post(f"{API}/auth/forgot", json={"email": "ada@example.com"}).status_code == 202
    token = last_link(app).rstrip("/").rsplit("/", 1)[1]
    assert client.post(f"{API}/auth/reset", json={"token": token, "password": "another long passphrase"}
                       ).status_code == 200
    assert client.get(f"{API}/account", headers=ada.headers).status_code == 401
    assert _refresh(client, ada.refresh_token).status_code == 401


def test_the_site_session_cookie_is_not_accepted_by_the_api(app, client):
    register(client)
    assert login(client).status_code == 302
    assert client.get("/dashboard").status_code == 200  # logged in on the site
    assert client.get(f"{API}/account").status_code == 401
    assert client.get(f"{API}/lessons").status_code == 401


def test_api_logins_are_listed_and_revocable_with_the_site_sessions(app, client, ada):
    second = api_login(client, "ada@example.com", user_agent="CodeLearnApp/1.0 (Android)").json
    listed = client.get(f"{API}/account/sessions", headers=ada.headers).json["sessions"]
    assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
    other_id = next(s["id"] for s in listed if not s["current"])
    assert client.delete(f"{API}/account/sessions/{other_id}", headers=ada.headers).status_code == 204
    assert client.get(f"{API}/account", headers={"Authorization": f"Bearer {second['access_token']}"}
                      ).status_code == 401
    assert _refresh(client, second["refresh_token"]).status_code == 401

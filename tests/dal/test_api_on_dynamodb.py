"""The JSON API's tokens with the whole app on DynamoDB (moto and DynamoDB Local): login, a refresh
and its retry, a replay ending the family, "log out everywhere" and deleting the account ending the
rest — where no foreign key removes a session's refresh tokens, the live-session check does."""

from __future__ import annotations

from tests.api.conftest import API, api_learner, api_login, tokens_clock_moved
from tests.dal.test_app_on_dynamodb import dynamo_app  # noqa: F401 - the fixture, on both DynamoDB backends

__all__ = ["dynamo_app"]


def _refresh(client, token: str):
    return client.post(f"{API}/auth/refresh", json={"refresh_token": token})


def test_tokens_rotate_replay_and_die_with_their_sessions_on_dynamodb(dynamo_app):  # noqa: F811
    client = dynamo_app.test_client()
    ada = api_learner(dynamo_app, "ada@example.com")
    first, retry = _refresh(client, ada.refresh_token), _refresh(client, ada.refresh_token)
    assert first.status_code == retry.status_code == 200
    assert (first.json["access_token"], first.json["refresh_token"]) == (retry.json["access_token"],
                                                                      retry.json["refresh_token"])
    headers = {"Authorization": f"Bearer {first.json['access_token']}"}
    assert client.get(f"{API}/lessons", headers=headers).status_code == 200

    tokens = dynamo_app.extensions["codelearn.api_tokens"]
    with tokens_clock_moved(dynamo_app, seconds=tokens.settings.refresh_grace_seconds + 5):
        replay = _refresh(client, ada.refresh_token)
    assert replay.status_code == 401 and replay.json["error"]["code"] == "refresh_token_reused"
    assert _refresh(client, first.json["refresh_token"]).status_code == 401
    assert client.get(f"{API}/lessons", headers=headers).status_code == 401

    phone = api_login(client, "ada@example.com").json
    tablet = api_login(client, "ada@example.com").json
    phone_headers = {"Authorization": f"Bearer {phone['access_token']}"}
    assert client.post(f"{API}/account/logout-everywhere", headers=phone_headers).json["signed_out"] == 2
    assert _refresh(client, tablet["refresh_token"]).status_code == 401
    assert client.get(f"{API}/account", headers=phone_headers).status_code == 401

    again = api_login(client, "ada@example.com").json
    again_headers = {"Authorization": f"Bearer {again['access_token']}"}
    deleted = client.post(f"{API}/account/delete", headers=again_headers,
                          json={"password": "correct horse battery", "confirmation": "DELETE"})
    assert deleted.status_code == 200
    assert _refresh(client, again["refresh_token"]).status_code == 401
    store = dynamo_app.extensions["codelearn.store"]
    assert store.get_user_by_email("ada@example.com") is None

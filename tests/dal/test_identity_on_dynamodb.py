"""Sign-in with an identity provider with the whole app on DynamoDB (moto and DynamoDB Local): a first
sign-in makes the account and its link, a second logs in to it, and a password account with the same
email is linked only after its owner logs in; the account's deletion leaves no claim behind."""

from __future__ import annotations

from tests.conftest import csrf_token, login, register
from tests.dal.test_app_on_dynamodb import dynamo_app
from tests.web.oidc_helpers import app_config, is_logged_in, provider, sign_in

assert app_config and provider and dynamo_app  # fixtures, used by name


def test_provider_sign_up_login_and_linking_on_dynamodb(dynamo_app, provider):
    store = dynamo_app.extensions["codelearn.store"]
    client = dynamo_app.test_client()
    assert sign_in(client).headers["Location"] == "/dashboard" and is_logged_in(client)
    user = store.get_user_by_email("ada@example.com")
    assert user.verified and store.get_identity("fake", "fake-sub-1").user_id == user.id
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert sign_in(client).headers["Location"] == "/dashboard"

    other = dynamo_app.test_client()
    register(other, email="bo@example.com")
    provider.person = {**provider.person, "sub": "fake-sub-2", "email": "bo@example.com"}
    assert sign_in(other).headers["Location"] == "/login/link" and not is_logged_in(other)
    assert login(other, email="bo@example.com").status_code == 302
    linked = other.post("/login/link", data={"csrf_token": csrf_token(other, "/login/link"), "decision": "link"})
    assert linked.status_code == 302
    bo = store.get_user_by_email("bo@example.com")
    assert [link.subject for link in store.list_identities(bo.id)] == ["fake-sub-2"]

    store.erase_user(bo.id)
    assert store.get_identity("fake", "fake-sub-2") is None

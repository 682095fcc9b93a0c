"""The app on DynamoDB Local while DynamoDB throttles it past botocore's retries (through
tests/dal/fault_proxy.py): pages answer 503 with Retry-After, the learner's code comes back with
the answer, and nothing acknowledged before is lost."""

from __future__ import annotations

import pytest
from botocore.retries.standard import ExponentialBackoff
from markupsafe import escape

from app import create_app
from tests.conftest import csrf_token, login, register
from tests.dal.conftest import unique_table_name

LESSON = "/learn/python-variables"
SAVED = 'city = "Lisbon"  # saved before the throttling\n'
TYPED = 'city = "Porto" < 3  # typed while throttled\n'


@pytest.fixture
def throttled_app(monkeypatch, app_config, proxy):
    # botocore's retries stay as the app configures them (3 after the first attempt); only their
    # waits are cut, or every throttled request would wait up to 7 s here.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0.01)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", proxy.endpoint_url)
    app = create_app({**app_config, "STORE": "dynamodb", "DYNAMODB_TABLE": unique_table_name()})
    app.config["TESTING"] = True
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    yield app, proxy


def _learner(app):
    client = app.test_client()
    register(client)
    store = app.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("ada@example.com").id, verified=True)
    assert login(client).status_code == 302
    return client, csrf_token(client, LESSON)


def test_throttling_past_retries_answers_503_keeps_the_code_and_loses_nothing(throttled_app):
    """Both throttling codes become StoreUnavailable (tests/dal/test_dynamodb_store.py); this one
    is DynamoDB's answer on a provisioned table, ThrottlingException on an on-demand one."""
    app, proxy = throttled_app
    client, token = _learner(app)
    saved = client.post(f"{LESSON}/draft", data={"csrf_token": token, "code": SAVED},
                        headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.get_json()["saved"] is True  # acknowledged

    proxy.inject("*", "throttle", times=None, code="ProvisionedThroughputExceededException")
    page = client.post(f"{LESSON}/submit", data={"csrf_token": token, "code": TYPED})
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
    body = page.get_data(as_text=True)
    assert str(escape(TYPED)).strip() in body  # the learner's code, sent back to them
    assert f'action="{LESSON}/submit"' in body and "Traceback" not in body

    fetched = client.post(f"{LESSON}/submit", data={"csrf_token": token, "code": TYPED},
                          headers={"Accept": "application/json"})
    assert fetched.status_code == 503 and int(fetched.headers["Retry-After"]) > 0
    assert fetched.get_json()["error"]["retry_after"] > 0  # the page's script keeps its editor as it is
    assert len(proxy.hits) == 8  # two requests, each refused after its first read's 4 attempts
    proxy.clear()

    lesson = client.get(LESSON).get_data(as_text=True)
    assert str(escape(SAVED)).strip() in lesson  # the acknowledged draft survived
    store = app.extensions["codelearn.store"]
    progress = store.get_progress(store.get_user_by_email("ada@example.com").id, "python-variables")
    assert progress is None  # the refused submission recorded nothing

"""The whole app on the DynamoDB backend (moto and DynamoDB Local): `flask init-db` creates the
table, then a learner signs up, confirms, logs in, and completes a lesson through the pages."""

from __future__ import annotations

import contextlib

import pytest
from moto import mock_aws

from app import create_app
from tests.conftest import csrf_token, last_link, login, register
from tests.dal.conftest import unique_table_name

SOLUTION = 'city = "Lisbon"\npopulation = 545000\nis_capital = True\n'


@pytest.fixture(params=["moto", "dynamodb_local"])
def dynamo_app(request, monkeypatch, app_config):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    if request.param == "dynamodb_local":
        server = request.getfixturevalue("dynamodb_local")
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", server.endpoint_url)  # honoured by boto3 itself
        mock = contextlib.nullcontext()
    else:
        mock = mock_aws()
    with mock:
        app = create_app({**app_config, "STORE": "dynamodb", "DYNAMODB_TABLE": unique_table_name()})
        app.config["TESTING"] = True
        result = app.test_cli_runner().invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        yield app


def test_sign_up_log_in_and_complete_a_lesson_on_dynamodb(dynamo_app):
    client = dynamo_app.test_client()
    assert register(client).status_code == 200
    path = last_link(dynamo_app).split("localhost", 1)[1]
    assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 302
    assert login(client).status_code == 302
    assert "Hello, Ada" in client.get("/dashboard").get_data(as_text=True)

    token = csrf_token(client, "/learn/python-variables")
    response = client.post("/learn/python-variables/submit", data={"csrf_token": token, "code": SOLUTION},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    store = dynamo_app.extensions["codelearn.store"]
    user = store.get_user_by_email("ada@example.com")
    assert user.verified
    progress = store.get_progress(user.id, "python-variables")
    assert progress.attempts == 1 and progress.completed
    page = client.get("/learn/python-variables").get_data(as_text=True)  # the last report, kept on DynamoDB
    assert "Your last submission" in page and "All tests pass!" in page

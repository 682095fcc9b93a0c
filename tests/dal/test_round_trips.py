"""Round trips to DynamoDB per page (the app on moto): each costs a network hop and about 1 ms of
boto3 CPU, and a page's calls run one after another, so a page makes as few as it can."""

from __future__ import annotations

from datetime import timedelta

import pytest
from moto import mock_aws

from app import create_app
from dal.base import Session
from dal.dynamodb import DynamoStore
from tests.conftest import csrf_token, login, register
from tests.dal.conftest import unique_table_name
from tests.dal.helpers import dynamodb_client, new_user

LESSON = "/learn/python-variables"
WRONG = 'city = "Lisbon"\n'


class CountingClient:
    """The store's boto3 client, recording the operation of every call."""

    def __init__(self, client) -> None:
        self._client = client
        self.calls: list[str] = []

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def counted(*args, **kwargs):
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return counted


@pytest.fixture
def counted(monkeypatch, app_config):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        app = create_app({**app_config, "STORE": "dynamodb", "DYNAMODB_TABLE": unique_table_name(),
                          "LESSON_VIEWS_BATCH": 20})
        app.config["TESTING"] = True
        assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
        client = app.test_client()
        register(client)
        store = app.extensions["codelearn.store"]
        store.update_user(store.get_user_by_email("ada@example.com").id, verified=True)
        assert login(client).status_code == 302
        token = csrf_token(client, LESSON)
        counter = CountingClient(store._table.client)
        store._table.client = counter
        yield client, token, counter


def _calls(counter: CountingClient, send) -> list[str]:
    counter.calls.clear()
    response = send()
    assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]
    return list(counter.calls)


JSON = {"Accept": "application/json"}


def test_pages_read_the_session_and_user_in_one_call(counted):
    client, _token, counter = counted
    assert _calls(counter, lambda: client.get(LESSON)) == ["batch_get_item", "batch_get_item"]
    catalogue = _calls(counter, lambda: client.get("/learn/"))
    assert catalogue[:2] == ["batch_get_item", "query"] and "get_item" not in catalogue, catalogue


def test_the_hint_endpoint_reads_the_progress_once(counted):
    client, token, counter = counted
    calls = _calls(counter, lambda: client.post(f"{LESSON}/hint", data={"csrf_token": token}, headers=JSON))
    # The learning loop's own calls end with the hint's event; the progress aggregates follow it (the
    # day's summary and hour bucket: two updates, plus the achievements check on an hour's first event).
    own = calls[:calls.index("put_item") + 1]
    assert own.count("get_item") + own.count("batch_get_item") <= 2, calls  # session + user, progress
    assert len(own) <= 4, calls
    assert calls[len(own):len(own) + 2] == ["update_item", "update_item"], calls


def test_a_draft_save_is_three_calls(counted):
    client, token, counter = counted
    draft = _calls(counter, lambda: client.post(f"{LESSON}/draft", data={"csrf_token": token, "code": WRONG},
                                                headers=JSON))
    assert draft == ["batch_get_item", "update_item", "put_item"], draft  # session + user, draft budget, draft


def test_a_process_that_did_not_make_the_session_learns_whose_it_is_once(now):
    with mock_aws():
        table = unique_table_name()
        first = DynamoStore(dynamodb_client(), table)
        first.init_schema()
        user = new_user(first)
        first.create_session(Session("s1", user.id, now, now + timedelta(hours=1), now))
        other = DynamoStore(CountingClient(dynamodb_client()), table)  # another process, or a new container
        counter = other._table.client
        for _ in range(3):
            session, found = other.get_session_with_user("s1", now)
            assert (session.id, found.id) == ("s1", user.id)
        assert counter.calls == ["get_item", "get_item", "batch_get_item", "batch_get_item"]
        first.delete_user(user.id)
        assert other.get_session_with_user("s1", now) is None
        assert other.get_session_with_user("unknown", now) is None


def test_a_graded_attempt_writes_its_report_and_event_in_one_call(counted):
    client, token, counter = counted
    submit = _calls(counter, lambda: client.post(f"{LESSON}/submit", data={"csrf_token": token, "code": WRONG},
                                                 headers=JSON))
    # session + user, the submission budget, the draft, the attempt, the report with its event
    assert submit[:5] == ["batch_get_item", "update_item", "put_item", "update_item", "batch_write_item"], submit
    assert submit.count("put_item") == 1, submit  # the tutor's evidence may follow


def test_the_dashboard_reads_the_learners_records_in_one_query(counted):
    client, _token, counter = counted
    client.get("/dashboard")  # the first view may pack settled months (none here) and award achievements
    calls = _calls(counter, lambda: client.get("/dashboard"))
    # session + user; masteries, lesson records and the progress area (one key range); the newest events
    assert calls == ["batch_get_item", "query", "query"], calls

"""DynamoDB-only behaviour: the table definition, init_schema, and how failures are reported.

Failure paths the servers never produce on demand (throttling, transaction conflicts, unreachable
endpoints, unprocessed batch items) are replayed with botocore's Stubber: no network involved.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber
from moto import mock_aws

from dal.base import EmailTaken, StoreUnavailable, User
from dal.dynamodb import TTL_ATTRIBUTE, DynamoStore, table_definition
from tests.dal.dynamodb_local import free_loopback_port
from tests.dal.helpers import dynamodb_client


def test_table_definition_matches_the_design():
    definition = table_definition("codelearn")

    assert definition["TableName"] == "codelearn"
    assert definition["BillingMode"] == "PAY_PER_REQUEST"
    assert definition["KeySchema"] == [
        {"AttributeName": "PK", "KeyType": "HASH"},
        {"AttributeName": "SK", "KeyType": "RANGE"},
    ]
    (index,) = definition["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "GSI1"
    assert [part["AttributeName"] for part in index["KeySchema"]] == ["GSI1PK", "GSI1SK"]
    assert index["Projection"] == {"ProjectionType": "ALL"}
    assert {attribute["AttributeType"] for attribute in definition["AttributeDefinitions"]} == {"S"}
    assert TTL_ATTRIBUTE == "expiresAt"


def test_init_schema_is_idempotent_and_enables_ttl():
    with mock_aws():
        client = dynamodb_client()
        store = DynamoStore(client, "codelearn")
        store.init_schema()
        store.init_schema()

        assert client.list_tables()["TableNames"] == ["codelearn"]
        ttl = client.describe_time_to_live(TableName="codelearn")["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": TTL_ATTRIBUTE}


def test_expired_items_carry_a_ttl_in_whole_epoch_seconds():
    with mock_aws():
        client = dynamodb_client()
        store = DynamoStore(client, "codelearn")
        store.init_schema()
        expires = datetime(2026, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)
        store.increment_counter("k", expires, datetime(2025, 12, 31, tzinfo=UTC))

        item = client.get_item(TableName="codelearn", Key={"PK": {"S": "COUNTER#k"}, "SK": {"S": "COUNTER"}})
        assert item["Item"][TTL_ATTRIBUTE] == {"N": str(int(expires.timestamp()) + 1)}


@pytest.fixture
def stubbed():
    """A store over a client whose answers the test scripts in advance."""
    client = dynamodb_client()
    with Stubber(client) as stubber:
        yield DynamoStore(client, "codelearn"), stubber
        stubber.assert_no_pending_responses()


def _user() -> User:
    return User(id="u1", email="a@example.com", password_hash="h", created_at=datetime(2026, 1, 1, tzinfo=UTC))


def _canceled(*reasons: str) -> dict:
    return {
        "service_error_code": "TransactionCanceledException",
        "service_message": "Transaction cancelled",
        "http_status_code": 400,
        "response_meta": {},
    } | {"service_error_meta": {}, "modeled_fields": {"CancellationReasons": [{"Code": code} for code in reasons]}}


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]
)
def test_throttling_is_reported_as_unavailable(stubbed, code):
    store, stubber = stubbed
    stubber.add_client_error("get_item", service_error_code=code, http_status_code=400)
    with pytest.raises(StoreUnavailable):
        store.get_user("u1")


def test_transaction_conflict_is_retried(stubbed):
    store, stubber = stubbed
    stubber.add_client_error("transact_write_items", **_canceled("None", "TransactionConflict"))
    stubber.add_response("transact_write_items", {}, {"TransactItems": ANY})
    assert store.create_user(_user()).id == "u1"


def test_email_condition_failure_is_email_taken(stubbed):
    store, stubber = stubbed
    stubber.add_client_error("transact_write_items", **_canceled("None", "ConditionalCheckFailed"))
    with pytest.raises(EmailTaken):
        store.create_user(_user())


def test_persistent_transaction_conflicts_are_unavailable(stubbed):
    store, stubber = stubbed
    for _ in range(6):
        stubber.add_client_error("transact_write_items", **_canceled("TransactionConflict", "None"))
    with pytest.raises(StoreUnavailable):
        store.create_user(_user())


def test_unprocessed_batch_deletes_are_sent_again(stubbed):
    store, stubber = stubbed
    sessions = [{"PK": {"S": f"SESSION#s{i}"}, "SK": {"S": "SESSION"}, "id": {"S": f"s{i}"}} for i in range(3)]
    stubber.add_response("query", {"Items": sessions})
    leftover = {"codelearn": [{"DeleteRequest": {"Key": {"PK": {"S": "SESSION#s2"}, "SK": {"S": "SESSION"}}}}]}
    stubber.add_response("batch_write_item", {"UnprocessedItems": leftover})
    stubber.add_response("batch_write_item", {"UnprocessedItems": {}}, {"RequestItems": leftover})
    assert store.delete_user_sessions("u1") == 3


def test_unprocessed_batch_reads_are_sent_again(stubbed):
    store, stubber = stubbed
    progress_key = {"PK": {"S": "USER#u1"}, "SK": {"S": "PROGRESS#py-01"}}
    draft_key = {"PK": {"S": "USER#u1"}, "SK": {"S": "DRAFT#py-01"}}
    report_key = {"PK": {"S": "USER#u1"}, "SK": {"S": "REPORT#py-01"}}
    draft = {**draft_key, "userId": {"S": "u1"}, "lessonId": {"S": "py-01"}, "code": {"S": "x = 1"},
             "updatedAt": {"S": "2026-01-02T03:04:05+00:00"}}
    leftover = {"codelearn": {"Keys": [draft_key], "ConsistentRead": True}}
    every_key = {"codelearn": {"Keys": [progress_key, draft_key, report_key], "ConsistentRead": True}}
    stubber.add_response("batch_get_item", {"Responses": {"codelearn": []}, "UnprocessedKeys": leftover},
                         {"RequestItems": every_key})
    stubber.add_response("batch_get_item", {"Responses": {"codelearn": [draft]}, "UnprocessedKeys": {}},
                         {"RequestItems": leftover})
    record = store.get_lesson_record("u1", "py-01")
    assert record.progress is None and record.draft.code == "x = 1" and record.last_report is None


def test_other_client_errors_are_not_hidden(stubbed):
    store, stubber = stubbed
    stubber.add_client_error("get_item", service_error_code="ValidationException", http_status_code=400)
    with pytest.raises(ClientError):
        store.get_user("u1")


def test_unreachable_endpoint_is_unavailable():
    client = dynamodb_client(
        f"http://127.0.0.1:{free_loopback_port()}",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=1),
    )
    with pytest.raises(StoreUnavailable):
        DynamoStore(client, "codelearn").get_user("u1")

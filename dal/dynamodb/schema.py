"""The DynamoDB table: its definition, and creating it when missing.

The CloudFormation template mirrors table_definition(), plus TTL on TTL_ATTRIBUTE and
point-in-time recovery, which ensure_table() also switches on where the backend supports them.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from botocore.exceptions import ClientError

from dal.base import StoreUnavailable
from dal.dynamodb.errors import NETWORK_ERRORS, error_code, translate_errors

log = logging.getLogger(__name__)

TTL_ATTRIBUTE = "expiresAt"  # epoch seconds; DynamoDB deletes the item some time after
USER_INDEX = "GSI1"


def table_definition(table_name: str) -> dict[str, Any]:
    """The CreateTable request: PK/SK strings, one GSI (GSI1PK/GSI1SK, all attributes), on demand."""
    return {
        "TableName": table_name,
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in ("PK", "SK", "GSI1PK", "GSI1SK")
        ],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": USER_INDEX,
                "KeySchema": [
                    {"AttributeName": "GSI1PK", "KeyType": "HASH"},
                    {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


def ensure_table(client: Any, table_name: str, timeout_s: float = 120.0) -> None:
    """Create the table if missing, wait until it and its index are active, then enable TTL and
    point-in-time recovery. Idempotent; safe when several processes start together."""
    try:
        _ensure_table(client, table_name, timeout_s)
    except NETWORK_ERRORS as error:
        raise StoreUnavailable(f"dynamodb init: {error}") from error


def _ensure_table(client: Any, table_name: str, timeout_s: float) -> None:
    if _describe(client, table_name) is None:
        try:
            translate_errors(client.create_table, "create_table", **table_definition(table_name))
        except ClientError as error:
            if error_code(error) != "ResourceInUseException":  # another process created it meanwhile
                raise
    _wait_until_active(client, table_name, timeout_s)
    _enable_ttl(client, table_name)
    _enable_point_in_time_recovery(client, table_name)


def _describe(client: Any, table_name: str) -> dict[str, Any] | None:
    try:
        return client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return None
        raise


def _wait_until_active(client: Any, table_name: str, timeout_s: float) -> None:
    # A short poll instead of boto3's table_exists waiter, which sleeps 20 s between checks:
    # local servers report ACTIVE at once.
    deadline = time.monotonic() + timeout_s
    while True:
        table = _describe(client, table_name) or {}
        indexes = table.get("GlobalSecondaryIndexes", [])
        if table.get("TableStatus") == "ACTIVE" and all(
            index.get("IndexStatus", "ACTIVE") == "ACTIVE" for index in indexes
        ):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"table {table_name} not active after {timeout_s:.0f} s")
        time.sleep(0.5)


def _enable_ttl(client: Any, table_name: str) -> None:
    try:
        status = client.describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
        if status.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
            return
        client.update_time_to_live(
            TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
        )
    except ClientError as error:
        # Reads ignore expired items anyway; without TTL they only stay on disk longer.
        log.warning("TTL not enabled on %s: %s", table_name, error_code(error) or error)


def _enable_point_in_time_recovery(client: Any, table_name: str) -> None:
    try:
        backups = client.describe_continuous_backups(TableName=table_name)["ContinuousBackupsDescription"]
        recovery = backups.get("PointInTimeRecoveryDescription", {})
        if recovery.get("PointInTimeRecoveryStatus") == "ENABLED":
            return
        client.update_continuous_backups(
            TableName=table_name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    except ClientError as error:
        # DynamoDB Local does not implement backups; in AWS the template enables PITR as well.
        log.info("point-in-time recovery not enabled on %s: %s", table_name, error_code(error) or error)

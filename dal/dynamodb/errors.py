"""How DynamoDB errors become the store's errors.

Transient failures (throttling, unreachable endpoint, timeouts) become StoreUnavailable, which
services may report as "try again". Condition and transaction failures become the two private
exceptions below, which the store turns into its answers (EmailTaken, False, None...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from dal.base import StoreUnavailable

T = TypeVar("T")

# Error codes meaning "not now": botocore has already retried these with backoff before we see them.
UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "ResourceNotFoundException",  # the table is missing: the store cannot work until init_schema
    }
)
NETWORK_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError, ConnectionClosedError)


class ConditionFailed(Exception):
    """A ConditionExpression did not hold; nothing was written. `item` is the item as it is (in
    DynamoDB's typed JSON) when the request asked for it (ReturnValuesOnConditionCheckFailure)."""

    def __init__(self, operation: str, item: dict[str, Any] | None = None) -> None:
        super().__init__(operation)
        self.item = item


class TransactionCanceled(Exception):
    """A TransactWriteItems was canceled; `reasons` holds one code per item ("None" when that item
    was not the cause), e.g. ConditionalCheckFailed or TransactionConflict."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def translate_errors(call: Callable[..., T], operation: str, **params: Any) -> T:
    """Run one client call, translating DynamoDB's failures into the exceptions above."""
    try:
        return call(**params)
    except NETWORK_ERRORS as error:
        raise StoreUnavailable(f"dynamodb {operation}: {error}") from error
    except ClientError as error:
        code = error_code(error)
        if code in UNAVAILABLE_CODES:
            raise StoreUnavailable(f"dynamodb {operation}: {code}") from error
        if code == "ConditionalCheckFailedException":
            raise ConditionFailed(operation, error.response.get("Item")) from error
        if code == "TransactionCanceledException":
            cancellation = error.response.get("CancellationReasons", [])
            reasons = [str(reason.get("Code", "None")) for reason in cancellation]
            raise TransactionCanceled(reasons) from error
        raise

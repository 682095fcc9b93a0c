"""Small helpers for the storage contract tests."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3

from dal.base import Store, User

REGION = "us-east-1"


def run_together(action: Callable[[int], Any], threads: int = 2) -> list[Any]:
    """Run action(0..threads-1) on separate threads released at the same instant by a barrier;
    returns each thread's result, or the exception it raised."""
    barrier = threading.Barrier(threads)
    outcomes: list[Any] = [None] * threads

    def worker(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = action(index)
        except Exception as error:  # the test inspects which outcome each thread got
            outcomes[index] = error

    workers = [threading.Thread(target=worker, args=(index,)) for index in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=60)
    return outcomes


def new_user(
    store: Store, email: str | None = None, created_at: datetime | None = None, **fields: Any
) -> User:
    user_id = uuid.uuid4().hex
    return store.create_user(
        User(
            id=user_id,
            email=email or f"{user_id}@example.com",
            password_hash="bcrypt$hash",
            created_at=created_at or datetime.now(UTC).replace(microsecond=0),
            **fields,
        )
    )


def later(moment: datetime, **delta: float) -> datetime:
    return moment + timedelta(**delta)


def assert_plain_values(value: Any, where: str = "value") -> None:
    """Fail when a driver type (Decimal, DynamoDB's number type) leaks into a returned object."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            assert_plain_values(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            assert_plain_values(item, f"{where}[{key!r}]")
    elif isinstance(value, list | tuple | set):
        for index, item in enumerate(value):
            assert_plain_values(item, f"{where}[{index}]")
    else:
        assert not isinstance(value, Decimal), f"{where} is a Decimal"
        assert isinstance(value, str | int | float | bool | datetime | type(None)) or hasattr(
            value, "isoformat"
        ), f"{where} has driver type {type(value).__name__}"
        if isinstance(value, datetime):
            assert value.utcoffset() == timedelta(0), f"{where} is not timezone-aware UTC"


def dynamodb_client(endpoint_url: str | None = None, **options: Any):
    """A DynamoDB client with dummy credentials: tests never reach a real AWS account."""
    return boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - dummy credentials for local servers
        **options,
    )

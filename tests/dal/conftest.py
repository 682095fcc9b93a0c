"""Fixtures of the storage contract suite: one fresh, empty store per test, for every backend.

Backends: `sqlite` (a new file per test), `moto` (DynamoDB mocked in-process by moto's mock_aws)
and `dynamodb_local` (Amazon's DynamoDB Local server, started once per session; a new table per
test). A backend that cannot start is skipped with its reason, or fails the run under CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from dal.base import Store
from dal.sqlite import SqliteStore

BACKENDS = ["sqlite"]


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI where every backend must run (nothing skipped silently)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"backend unavailable under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def unique_table_name() -> str:
    return f"codelearn-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        backend = SqliteStore(str(tmp_path / "codelearn.db"))
        backend.init_schema()
        yield backend
        backend.close()
    else:  # pragma: no cover - guarded by BACKENDS
        raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture
def now() -> datetime:
    """The tests' clock: the real current time (a DynamoDB TTL sweep works on real time too)."""
    return datetime.now(UTC)

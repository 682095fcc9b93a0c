"""Fixtures of the storage contract suite: one fresh, empty store per test, for every backend.

Backends: `sqlite` (a new file per test), `moto` (DynamoDB mocked in-process by moto's mock_aws)
and `dynamodb_local` (Amazon's DynamoDB Local server, started once per session; a new table per
test). A backend that cannot start is skipped with its reason, or fails the run under CI=true.

One backend only: `pytest tests/dal -k sqlite` (or moto, dynamodb_local).
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from moto import mock_aws

from dal.base import Store
from dal.dynamodb import DynamoStore
from dal.sqlite import SqliteStore
from tests.dal.dynamodb_local import DynamoDBLocal, DynamoDBLocalUnavailable
from tests.dal.fault_proxy import FaultProxy
from tests.dal.helpers import dynamodb_client

BACKENDS = ["sqlite", "moto", "dynamodb_local"]
CLIENT_READ_TIMEOUT = 0.5  # seconds, in the fault tests' clients: a delayed answer costs little time
FAULT_DELAY_SECONDS = CLIENT_READ_TIMEOUT + 0.3
SUMMARY_NOTES: list[str] = []  # shown after the run, e.g. how DynamoDB Local was started


def pytest_terminal_summary(terminalreporter) -> None:
    for note in SUMMARY_NOTES:
        terminalreporter.write_line(note)


def unavailable(reason: str) -> None:
    """Skip the test, or fail it under CI where every backend must run (nothing skipped silently)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"backend unavailable under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def unique_table_name() -> str:
    return f"codelearn-test-{uuid.uuid4().hex[:12]}"


class SerializedClient:
    """A DynamoDB client whose requests are applied one at a time.

    moto's in-memory DynamoDB is not atomic under threads (two concurrent ADDs can lose one),
    whereas DynamoDB applies every single-item write atomically. Serialising requests gives moto
    that guarantee, and only that: a store doing read-then-write in Python still races, so the
    concurrency tests keep their meaning on this backend.
    """

    def __init__(self, client) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def serialized(*args, **kwargs):
            with self._lock:
                return attribute(*args, **kwargs)

        return serialized


@pytest.fixture(autouse=True)
def no_endpoint_override(monkeypatch: pytest.MonkeyPatch) -> None:
    """An endpoint set in the environment (the app's AWS_ENDPOINT_URL_DYNAMODB) would send the
    moto clients to a real server; DynamoDB Local clients name their endpoint explicitly."""
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


@pytest.fixture(scope="session")
def moto_client() -> SerializedClient:
    """One client for every moto test (making a client costs ~0.2 s); each test's mock_aws()
    still starts from an empty in-memory DynamoDB, and botocore routes the client's calls to it
    whenever a mock is active."""
    return SerializedClient(dynamodb_client())


@pytest.fixture(scope="session")
def dynamodb_local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DynamoDBLocal]:
    """One DynamoDB Local server for the session (its start costs seconds; tables are per test).
    When it cannot start, pytest remembers the skip / failure for every test that asks for it."""
    try:
        server = DynamoDBLocal.start(tmp_path_factory.mktemp("dynamodb-local"))
    except DynamoDBLocalUnavailable as reason:
        unavailable(f"DynamoDB Local: {reason}")
    SUMMARY_NOTES.append(f"DynamoDB Local on port {server.port}, listening on {server.listens_on}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dynamodb_local_client(dynamodb_local: DynamoDBLocal):
    return dynamodb_client(endpoint_url=dynamodb_local.endpoint_url)


@pytest.fixture(scope="session")
def fault_proxy(dynamodb_local: DynamoDBLocal) -> Iterator[FaultProxy]:
    """The fault-injecting proxy in front of DynamoDB Local (tests/dal/fault_proxy.py); each test
    starts with no faults. `delay` holds an answer for FAULT_DELAY_SECONDS."""
    proxy = FaultProxy(dynamodb_local.endpoint_url, delay_seconds=FAULT_DELAY_SECONDS).start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxy(fault_proxy: FaultProxy) -> Iterator[FaultProxy]:
    fault_proxy.clear()
    yield fault_proxy
    fault_proxy.clear()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    if request.param == "sqlite":
        backend = SqliteStore(str(tmp_path / "codelearn.db"))
        backend.init_schema()
        yield backend
        backend.close()
    elif request.param == "moto":
        with mock_aws():
            backend = DynamoStore(request.getfixturevalue("moto_client"), unique_table_name())
            backend.init_schema()
            yield backend
    elif request.param == "dynamodb_local":
        client = request.getfixturevalue("dynamodb_local_client")
        table_name = unique_table_name()
        backend = DynamoStore(client, table_name)
        backend.init_schema()
        yield backend
        client.delete_table(TableName=table_name)  # the server lives all session: free its memory
    else:  # pragma: no cover - guarded by BACKENDS
        raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture
def now() -> datetime:
    """The tests' clock: the real current time (a DynamoDB TTL sweep works on real time too)."""
    return datetime.now(UTC)

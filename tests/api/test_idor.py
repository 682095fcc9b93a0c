"""The IDOR matrix of /api/v1, read from the OpenAPI document so every endpoint added later joins it:
an owner makes one of each thing (every operation's documented example, sent as the owner), then
another learner asks every operation that takes an id for each of the owner's ids — 404 each time,
and nothing of the owner's changes.

A path argument is taken to name something a learner owns unless it is in PUBLIC_ARGUMENTS (lessons
and concepts are the same for everyone).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.api.conftest import API, api_learner
from tests.store_rows import owned_values, store_rows

PUBLIC_ARGUMENTS = {"lesson_id", "concept_id"}
PUBLIC_VALUES = {"lesson_id": "python-variables", "concept_id": "variables"}
NOT_THINGS = {"auth", "account", "meta"}  # logging in and out, passwords, deleting: not things to ask for
ARGUMENT = re.compile(r"{([^}]+)}")


def _operations(client) -> list[tuple[str, str, dict]]:
    document = client.get(f"{API}/openapi.json").json
    return [(path, method.upper(), operation) for path, item in document["paths"].items()
            for method, operation in item.items()]


def _arguments(path: str) -> set[str]:
    return set(ARGUMENT.findall(path))


def _url(path: str, values: dict[str, str]) -> str:
    return ARGUMENT.sub(lambda m: quote(values[m.group(1)], safe=""), path)


def _example(operation: dict) -> dict | None:
    body = operation.get("requestBody")
    return body["content"]["application/json"].get("example", {}) if body else None


def _id_taking(operations):
    return [(path, method, op) for path, method, op in operations if _arguments(path) - PUBLIC_ARGUMENTS]


def test_the_matrix_has_operations_taking_ids(app, client):
    taking_ids = {(path, method) for path, method, _ in _id_taking(_operations(client))}
    assert ("/api/v1/account/sessions/{session_id}", "DELETE") in taking_ids


def test_another_learner_gets_404_for_every_id_of_the_owner(app, client):
    owner = api_learner(app, "ada@example.com")
    operations = _operations(client)
    for path, method, operation in operations:  # the owner makes one of each thing
        if _arguments(path) <= PUBLIC_ARGUMENTS and method != "GET" and operation["tags"][0] not in NOT_THINGS:
            client.open(_url(path, PUBLIC_VALUES), method=method, json=_example(operation), headers=owner.headers)
    owned = sorted(owned_values(app, owner.user_id, keep=lambda v: "/" not in v and "\n" not in v))
    assert owned, "the owner has ids to ask for"
    other = api_learner(app, "eve@example.com")
    owners_rows = sorted(store_rows(app, owner.user_id))
    checked = 0
    for path, method, operation in _id_taking(operations):
        for value in owned:
            values = {**PUBLIC_VALUES, **dict.fromkeys(_arguments(path) - PUBLIC_ARGUMENTS, value)}
            answer = client.open(_url(path, values), method=method, json=_example(operation), headers=other.headers)
            assert answer.status_code == 404, f"{method} {_url(path, values)} by another learner: {answer.status_code}"
            assert answer.json["error"]["code"] == "not_found"
            checked += 1
    assert checked >= len(owned)
    assert sorted(store_rows(app, owner.user_id)) == owners_rows, "another learner changed the owner's data"
    assert client.get(f"{API}/account", headers=owner.headers).status_code == 200  # still logged in

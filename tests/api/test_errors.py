"""Every API failure in seed 001's shape, `{"error": {code, message, details, timestamp, requestId}}`,
with the status its name says: 401, 403, 404, 405, 409, 413, 415, 422, 429 (Retry-After), 500, 503."""

from __future__ import annotations

from datetime import datetime

import pytest

from dal.base import StoreUnavailable
from services.errors import Conflict, PermissionDenied
from tests.api.conftest import API, api_login

KEYS = {"code", "message", "details", "timestamp", "requestId"}


def _error(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.get_data(as_text=True)
    error = answer.json["error"]
    assert set(error) == KEYS
    assert error["code"] == code
    assert error["requestId"] == answer.headers["X-Request-Id"]
    datetime.fromisoformat(error["timestamp"])
    return error


def test_a_body_failing_its_schema_is_422_naming_the_field(client):
    error = _error(client.post(f"{API}/auth/login", json={"email": "ada@example.com", "password": 5}),
                   422, "validation_failed")
    assert error["details"]["fields"] == {"password": "password must be string"}
    error = _error(client.post(f"{API}/auth/login", json={"email": "a@example.com", "password": "x", "extra": 1}),
                   422, "validation_failed")
    assert "extra" in error["message"]


def test_a_service_refusing_the_content_is_422_with_its_field_messages(client):
    error = _error(client.post(f"{API}/auth/register", json={"email": "ada@example.com", "password": "short"}),
                   422, "validation_failed")
    assert "password" in error["details"]["fields"]


def test_not_json_is_415_and_broken_json_400(client):
    _error(client.post(f"{API}/auth/login", data="email=a"), 415, "unsupported_media_type")
    _error(client.post(f"{API}/auth/login", data="{", content_type="application/json"), 400, "invalid_json")


def test_too_large_is_413(app, client):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)
    _error(client.post(f"{API}/auth/login", json={"email": big, "password": big}), 413, "payload_too_large")


def test_unknown_paths_and_methods_are_404_and_405_in_the_api_format(client):
    _error(client.get(f"{API}/no/such/thing"), 404, "not_found")
    answer = client.delete(f"{API}/auth/login")
    _error(answer, 405, "method_not_allowed")
    assert "POST" in answer.headers["Allow"]


def test_an_unknown_lesson_is_404(client, ada):
    _error(client.get(f"{API}/lessons/no-such-lesson", headers=ada.headers), 404, "not_found")
    _error(client.post(f"{API}/lessons/no-such-lesson/submit", json={"code": "x = 1"}, headers=ada.headers),
           404, "not_found")


def test_failed_logins_are_throttled_with_retry_after(client, ada):
    for _ in range(5):
        assert api_login(client, "ada@example.com", "wrong password here").status_code == 401
    answer = api_login(client, "ada@example.com", "wrong password here")
    error = _error(answer, 429, "login_throttled")
    assert int(answer.headers["Retry-After"]) == error["details"]["retry_after"] > 0


@pytest.mark.parametrize(("raised", "status", "code"), [
    (PermissionDenied("Not yours."), 403, "forbidden"),
    (Conflict("Already submitted."), 409, "conflict"),
    (StoreUnavailable("throttled"), 503, "unavailable"),
    (RuntimeError("secret internals"), 500, "internal_error"),
])
def test_service_exceptions_map_to_their_status(app, client, ada, monkeypatch, raised, status, code):
    def fail(*args, **kwargs):
        raise raised

    monkeypatch.setattr(app.extensions["codelearn.lessons"], "track", fail)
    answer = client.get(f"{API}/lessons", headers=ada.headers)
    error = _error(answer, status, code)
    assert "secret internals" not in answer.get_data(as_text=True)
    if status == 503:
        assert int(answer.headers["Retry-After"]) == error["details"]["retry_after"]
    if status in (403, 409):
        assert error["message"] == str(raised)


def test_text_with_a_lone_surrogate_is_422_on_every_endpoint_and_nothing_is_stored(app, client, ada):
    """JSON lets a body spell half of a UTF-16 pair ("\\udce9"); no store, parser or model takes it."""
    body = '{"code": "name = \\"caf\\udce9\\""}'
    answer = client.put(f"{API}/lessons/python-variables/draft", data=body, content_type="application/json",
                        headers=ada.headers)
    error = _error(answer, 422, "validation_failed")
    assert error["details"]["fields"] == {"code": "not text: it holds a lone UTF-16 surrogate"}
    assert app.extensions["codelearn.store"].get_lesson_record(ada.user_id, "python-variables").draft is None
    nested = '{"answers": [{"text": "\\ud800"}]}'
    assert client.post(f"{API}/auth/login", data=nested, content_type="application/json").status_code == 422

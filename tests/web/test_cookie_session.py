"""The session cookie is verified once per process, and still answers exactly as Flask's would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask, request, session

from blueprints import cookie_session
from blueprints.cookie_session import VerifiedCookieSessionInterface


@pytest.fixture
def bare_app() -> Flask:
    app = Flask("cookie-session-test")
    app.secret_key = "first-key"
    app.permanent_session_lifetime = timedelta(hours=1)
    app.session_interface = VerifiedCookieSessionInterface(max_entries=3)

    @app.get("/set")
    def set_value():
        session["user"] = "ada"
        if "with-list" in request.args:
            session["flashes"] = ["hello"]
        return "set"

    @app.get("/read")
    def read_value():
        if "flashes" in session:
            session["flashes"].append("changed in place")
        return repr(dict(session))

    return app


def _cookie(app: Flask, path: str = "/set") -> str:
    client = app.test_client()
    client.get(path)
    return client.get_cookie("session").value


def _read(app: Flask, cookie: str) -> str:
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/read").get_data(as_text=True)


def _count_verifications(monkeypatch, app: Flask) -> list[str]:
    calls: list[str] = []
    serializer = app.session_interface.get_signing_serializer(app)
    original = serializer.loads

    def counting_loads(value, **kwargs):
        calls.append(value)
        return original(value, **kwargs)

    monkeypatch.setattr(serializer, "loads", counting_loads)
    return calls


def test_a_cookie_is_verified_once_then_remembered(bare_app, monkeypatch):
    cookie = _cookie(bare_app)
    calls = _count_verifications(monkeypatch, bare_app)
    assert "'user': 'ada'" in _read(bare_app, cookie)
    assert "'user': 'ada'" in _read(bare_app, cookie)
    assert calls == [cookie]


def test_a_tampered_cookie_gives_an_empty_session(bare_app):
    cookie = _cookie(bare_app)
    _read(bare_app, cookie)  # the genuine one is remembered
    assert _read(bare_app, cookie[:-3] + "AAA") == "{}"


def test_a_remembered_cookie_still_expires(bare_app, monkeypatch):
    cookie = _cookie(bare_app)
    assert "ada" in _read(bare_app, cookie)
    real_time = cookie_session.time.time
    monkeypatch.setattr(cookie_session.time, "time", lambda: real_time() + 2 * 3600)
    assert _read(bare_app, cookie) == "{}"


def test_a_new_secret_key_refuses_cookies_signed_with_the_old_one(bare_app):
    cookie = _cookie(bare_app)
    assert "ada" in _read(bare_app, cookie)
    bare_app.secret_key = "second-key"
    assert _read(bare_app, cookie) == "{}"


def test_a_cookie_holding_a_list_is_not_shared_between_requests(bare_app, monkeypatch):
    cookie = _cookie(bare_app, "/set?with-list")
    calls = _count_verifications(monkeypatch, bare_app)
    first, second = _read(bare_app, cookie), _read(bare_app, cookie)
    assert first == second and "changed in place" in first and first.count("changed in place") == 1
    assert len(calls) == 2  # verified each time rather than remembered


def test_the_memory_is_bounded(bare_app, monkeypatch):
    cookies = []
    for name in ("a", "b", "c", "d"):
        client = bare_app.test_client()
        with client.session_transaction() as sess:
            sess["user"] = name
        cookies.append(client.get_cookie("session").value)
    for cookie in cookies:
        _read(bare_app, cookie)
    calls = _count_verifications(monkeypatch, bare_app)
    _read(bare_app, cookies[0])  # the oldest was forgotten to keep at most 3
    _read(bare_app, cookies[3])  # the newest is still remembered
    assert calls == [cookies[0]]

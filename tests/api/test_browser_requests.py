"""The API's answer to the route-security rules of the pages (tests/web/test_route_security.py): it
has no cookie session, so the CSRF rule becomes 'a browser's cookies open nothing'. Read from the URL
map, so every API route is covered: each one that needs a token, sent with a logged-in browser's
cookies and no token, is a 401 and changes nothing; every API answer carries the security headers
and sets no cookie; CORS only for configured origins."""

from __future__ import annotations

from blueprints.api import api_app
from tests.api.conftest import API
from tests.conftest import csrf_token, login, register
from tests.store_rows import store_rows
from tests.web.test_route_security import REQUIRED_HEADERS

PUBLIC_VALUES = {"lesson_id": "python-variables", "concept_id": "variables"}
OPEN_ENDPOINTS = {"api.meta_openapi_document"}  # besides the auth area's sign-up, login, refresh ...


def _api_rules(app):
    return [rule for rule in api_app(app).url_map.iter_rules() if rule.rule.startswith(API + "/")]


def _url(rule) -> str:
    return rule.build({name: PUBLIC_VALUES.get(name, "no-such-id") for name in rule.arguments},
                      append_unknown=False)[1]


def _token_rules(app):
    from blueprints.api import OPERATIONS

    needs_token = {op.endpoint for op in OPERATIONS if op.auth}
    return [rule for rule in _api_rules(app) if rule.endpoint in needs_token]


def test_every_api_route_is_either_open_or_needs_a_token(app):
    from blueprints.api import OPERATIONS

    known = {op.endpoint for op in OPERATIONS}
    assert {rule.endpoint for rule in _api_rules(app)} <= known
    assert len(_token_rules(app)) >= 15


def test_a_logged_in_browsers_cookies_open_no_api_route_and_change_nothing(app, client):
    register(client)
    assert login(client).status_code == 302
    token = csrf_token(client, "/dashboard")  # even with the page's CSRF token
    before = store_rows(app)
    for rule in _token_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = client.open(_url(rule), method=method, json={"code": "city = 1\n"},
                                 headers={"X-CSRFToken": token, "Origin": "http://localhost"})
            assert answer.status_code == 401, f"{method} {rule.rule} with cookies: {answer.status_code}"
            assert answer.json["error"]["code"] == "authentication_required"
    assert store_rows(app) == before


def test_api_answers_carry_the_security_headers_and_set_no_cookie(app, client):
    register(client)
    assert login(client).status_code == 302  # a browser with a session cookie
    answers = {
        "open": client.get(f"{API}/openapi.json"),
        "401": client.get(f"{API}/lessons"),
        "404": client.get(f"{API}/no-such-thing"),
        "405": client.delete(f"{API}/openapi.json"),
        "422": client.post(f"{API}/auth/login", json={}),
    }
    for what, answer in answers.items():
        for name, expected in REQUIRED_HEADERS.items():
            assert expected in answer.headers.get(name, ""), f"{what}: {name}"
        assert "Set-Cookie" not in answer.headers, what
        assert "Cookie" not in answer.headers.get("Vary", ""), what  # no cookie session was even opened
        assert answer.headers["Cache-Control"] == "no-store", what


def test_no_cors_unless_the_origin_is_configured(app, client):
    answer = client.get(f"{API}/openapi.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in answer.headers
    app.config["API_CORS_ORIGINS"] = ["https://app.example.com"]
    preflight = client.options(f"{API}/lessons", headers={"Origin": "https://app.example.com",
                                                          "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    other = client.get(f"{API}/openapi.json", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Access-Control-Allow-Credentials" not in preflight.headers  # tokens, never cookies

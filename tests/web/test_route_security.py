"""Checks over every page route in `app.url_map`, so a new route is covered without editing this file:

- each state-changing method without a CSRF token answers 400 and changes nothing in the store;
- each route that takes an id, asked by another learner with the owner's ids, answers 404 or 403
  and changes nothing of the owner's;
- every response carries the security headers: pages, errors (404, 405, 413), static files, HEAD.

Route arguments are filled by name. An argument is taken to name something a learner owns unless it is
listed in PUBLIC_ARGUMENTS (lessons and concepts are the same for everyone; tokens are secrets, not ids).
The `/api/v1` routes take no cookie session, so their rules differ and live in tests/api: a browser's
cookies open none of them and change nothing (test_browser_requests.py, the counterpart of the CSRF rule),
another learner's ids are 404 (test_idor.py), and the same security headers (test_browser_requests.py).
"""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_token, verified_learner
from tests.store_rows import owned_values, store_rows
from tests.web.lessons_helpers import LESSON

API_PREFIX = "/api/v1"
PUBLIC_ARGUMENTS = {"lesson_id", "concept_id", "token", "filename"}
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REQUIRED_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def page_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint != "static" and not r.rule.startswith(API_PREFIX)]


def _public_values(app) -> dict[str, str]:
    lesson = app.extensions["codelearn.lesson_library"].get(LESSON)
    return {"lesson_id": lesson.id, "concept_id": lesson.concepts[0], "token": "not-a-token",
            "filename": "css/app.css"}


def _url(rule, values: dict[str, str], default: str = "no-such-id") -> str:
    return rule.build({name: values.get(name, default) for name in rule.arguments}, append_unknown=False)[1]


def _learner(app, email: str):
    return verified_learner(app, email)


def _make_things(app, client) -> None:
    """The owner makes one of each thing the pages let a learner make (an id to ask for)."""
    public = _public_values(app)
    token = csrf_token(client, "/dashboard")
    for rule in page_rules(app):
        if "POST" not in rule.methods or set(rule.arguments) - PUBLIC_ARGUMENTS:
            continue
        if rule.endpoint.startswith(("auth.", "admin.")):  # logging out, changing passwords: not things
            continue
        client.post(_url(rule, public), data={"csrf_token": token, "code": "city = 1\n"})


# --- CSRF --------------------------------------------------------------------------------------------
def _state_changing(app):
    return [(rule, method) for rule in page_rules(app) for method in sorted(rule.methods & STATE_CHANGING)]


def test_there_are_state_changing_routes_to_check(app):
    assert len(_state_changing(app)) >= 10


@pytest.mark.parametrize("as_json", [False, True])
def test_no_state_changing_request_without_a_csrf_token_is_served(app, as_json):
    client, owner = _learner(app, "ada@example.com")
    _make_things(app, client)
    public = _public_values(app)
    owned = sorted(owned_values(app, owner.id))
    for rule, method in _state_changing(app):
        url = _url(rule, public, default=owned[0] if owned else "no-such-id")
        before = store_rows(app)
        if as_json:
            response = client.open(url, method=method, json={"code": "city = 1\n"},
                                   headers={"Accept": "application/json"})
        else:
            response = client.open(url, method=method, data={"code": "city = 1\n", "email": "x@example.com",
                                                             "password": PASSWORD})
        assert response.status_code == 400, f"{method} {rule.rule} without a CSRF token: {response.status_code}"
        assert store_rows(app) == before, f"{method} {rule.rule} without a CSRF token changed the store"


# --- ownership ---------------------------------------------------------------------------------------
def _owned_rules(app):
    return [rule for rule in page_rules(app) if set(rule.arguments) - PUBLIC_ARGUMENTS]


def test_there_are_routes_taking_ids_to_check(app):
    assert {"auth.revoke_session"} <= {rule.endpoint for rule in _owned_rules(app)}


def test_another_learner_gets_404_or_403_for_every_id_of_the_owner(app):
    owner_client, owner = _learner(app, "ada@example.com")
    _make_things(app, owner_client)
    owned = owned_values(app, owner.id)
    assert owned, "the owner has ids to ask for"
    other, _ = _learner(app, "eve@example.com")
    token = csrf_token(other, "/dashboard")
    public = _public_values(app)
    owners_rows = store_rows(app, owner.id)
    for rule in _owned_rules(app):
        private = set(rule.arguments) - PUBLIC_ARGUMENTS
        for value in sorted(owned):
            url = _url(rule, {**public, **dict.fromkeys(private, value)})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = other.open(url, method=method, data={"csrf_token": token, "code": "city = 1\n"})
                assert response.status_code in (403, 404), \
                    f"{method} {url} by another learner answered {response.status_code}"
    assert store_rows(app, owner.id) == owners_rows, "another learner changed the owner's data"
    assert owner_client.get("/dashboard").status_code == 200  # still logged in


# --- headers -----------------------------------------------------------------------------------------
def _assert_headers(response, what: str) -> None:
    response.close()  # static files are streamed from disk
    for name, expected in REQUIRED_HEADERS.items():
        assert expected in response.headers.get(name, ""), f"{what}: {name} missing or wrong"


def test_security_headers_on_every_page_for_visitors_and_learners(app):
    client, _ = _learner(app, "ada@example.com")
    visitor = app.test_client()
    public = _public_values(app)
    for rule in page_rules(app):
        if "GET" not in rule.methods:
            continue
        url = _url(rule, public)
        for who, c in (("visitor", visitor), ("learner", client)):
            for method in ("GET", "HEAD"):
                response = c.open(url, method=method)
                assert response.status_code < 500, f"{method} {url} as {who}: {response.status_code}"
                _assert_headers(response, f"{method} {url} as {who}")


def test_security_headers_on_errors_static_files_and_head(app, client):
    adapter = app.url_map.bind("localhost")
    post_only = next(rule.rule for rule in page_rules(app) if rule.methods & STATE_CHANGING
                     and not rule.arguments and not adapter.test(rule.rule, method="GET"))
    token = csrf_token(client, "/register")
    cases = {
        "404": client.get("/no-such-page"),
        "405": client.get(post_only),
        "413": client.post("/register", data={"csrf_token": token, "password": "x" * 1_000_000}),
        "static": client.get("/static/css/app.css"),
        "static HEAD": client.head("/static/css/app.css"),
        "missing static": client.get("/static/no-such-file.css"),
        "HEAD": client.head("/"),
    }
    assert cases["404"].status_code == 404 and cases["405"].status_code == 405
    assert cases["413"].status_code == 413 and cases["static"].status_code == 200
    for what, response in cases.items():
        _assert_headers(response, what)

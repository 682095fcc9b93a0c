"""Helpers for the learning-page tests: posting like the page's fetch() does, and like a plain form."""

from __future__ import annotations

from tests.conftest import csrf_token

LESSON = "python-variables"
STARTER_FAILS = "# nothing yet\n"
SOLUTION = "city = 'Lisbon'\npopulation = 545000\nis_capital = True\n"


def post_json(client, path: str, data: dict | None = None, token: str | None = None):
    token = token or csrf_token(client, f"/learn/{LESSON}")
    return client.post(path, data=data or {}, headers={"X-CSRFToken": token, "Accept": "application/json"})


def post_form(client, path: str, data: dict | None = None):
    token = csrf_token(client, f"/learn/{LESSON}")
    return client.post(path, data={"csrf_token": token, **(data or {})})


def events(app, user_id: str, kind: str) -> list:
    items = app.extensions["codelearn.store"].list_events(user_id, limit=200).items
    return [e for e in items if e.kind == kind]

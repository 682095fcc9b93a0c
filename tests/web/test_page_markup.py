"""Markup every page must get right, checked on each page route (tests/pages.py) logged out and
logged in, and on forms sent back with errors: no attribute written as the string "None", and every
aria-describedby / aria-labelledby / label[for] pointing at an element that exists."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token
from tests.pages import page_paths

_NONE_ATTR = re.compile(r'\s[\w:-]+="None"')
_REFS = re.compile(r'\s(aria-describedby|aria-labelledby|for)="([^"]*)"')
_IDS = re.compile(r'\sid="([^"]+)"')


def _problems(html: str) -> list[str]:
    found = [f"attribute written as None: {m.group(0).strip()}" for m in _NONE_ATTR.finditer(html)]
    ids = set(_IDS.findall(html))
    for attribute, value in _REFS.findall(html):
        found += [f'{attribute}="{value}": no element with id {ref}' for ref in value.split() if ref not in ids]
    return found


def _check_pages(client, app) -> list[str]:
    problems = []
    for path in page_paths(app):
        response = client.get(path)
        if response.mimetype == "text/html":
            problems += [f"{path}: {p}" for p in _problems(response.get_data(as_text=True))]
    return problems


def test_pages_logged_out(client, app):
    assert not _check_pages(client, app)


def test_pages_logged_in(client, app, learner):
    app.extensions["codelearn.store"].update_user(learner.id, role="admin")
    assert not _check_pages(client, app)


@pytest.mark.parametrize(("path", "data"), [
    ("/login", {"email": "not-an-email", "password": ""}),
    ("/register", {"email": "x", "password": "short", "display_name": ""}),
    ("/forgot", {"email": ""}),
])
def test_forms_sent_back_with_errors(client, path, data):
    response = client.post(path, data={"csrf_token": csrf_token(client, path), **data})
    html = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert not _problems(html)

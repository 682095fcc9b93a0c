"""The layout's shortcuts change nothing a learner or an attacker can see."""

from __future__ import annotations

import re

from tests.conftest import csrf_token


def test_cached_csrf_token_is_stable_and_still_validated(app, client, learner):
    first = csrf_token(client, "/dashboard")
    second = csrf_token(client, "/learn/")
    assert first == second  # the same signed token, not re-signed per page
    form_token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                           client.get("/account/password").get_data(as_text=True)).group(1)
    assert form_token == first  # form fields and the layout agree
    ok = client.post("/logout", data={"csrf_token": first})
    assert ok.status_code == 302
    forged = client.post("/register", data={"csrf_token": first[:-2] + "xx", "email": "x@example.com"})
    assert forged.status_code == 400


def test_each_session_gets_its_own_csrf_token(app, client, learner):
    other = app.test_client()
    assert csrf_token(client, "/dashboard") != csrf_token(other, "/login")


def test_layout_links_follow_the_mount_point(app):
    client = app.test_client()
    plain = client.get("/login").get_data(as_text=True)
    staged = client.get("/login", environ_overrides={"SCRIPT_NAME": "/prod"}).get_data(as_text=True)
    assert 'href="/static/css/app.css"' in plain
    assert 'href="/prod/static/css/app.css"' in staged and 'href="/prod/register"' in staged


def test_the_login_cookie_carries_only_what_is_used(app, client, learner):
    assert client.get("/dashboard").status_code == 200  # shows (and so clears) the welcome message
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(client.get_cookie("codelearn_session").value)
    assert set(contents) == {"_user_id", "_fresh", "_permanent", "csrf_token"}  # no unused protection hash
    assert client.get("/learn/").status_code == 200  # and it still logs the learner in

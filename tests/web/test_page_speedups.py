"""The page layer uses the framework's own cookie, CSRF and login machinery, and shows nothing it should not."""

from __future__ import annotations

from tests.conftest import csrf_token


def test_cookie_csrf_and_login_machinery_are_the_frameworks_own(app):
    # Measured (bench.pages, in-process timing): the re-implemented cookie check, the cached CSRF
    # signing and the skipped Flask-Login hash saved 0.1-0.3 ms a page, nothing the load target needs.
    from flask.sessions import SecureCookieSessionInterface
    from flask_wtf.csrf import generate_csrf

    from blueprints.login import login_manager

    assert type(app.session_interface) is SecureCookieSessionInterface
    assert app.jinja_env.globals["csrf_token"] is generate_csrf
    assert login_manager._session_identifier_generator.__module__ == "flask_login.utils"


def test_the_csrf_token_is_validated(app, client, learner):
    token = csrf_token(client, "/dashboard")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    forged = client.post("/register", data={"csrf_token": token[:-2] + "xx", "email": "x@example.com"})
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
    assert set(contents) <= {"_user_id", "_fresh", "_id", "_permanent", "csrf_token"}
    assert client.get("/learn/").status_code == 200  # and it still logs the learner in

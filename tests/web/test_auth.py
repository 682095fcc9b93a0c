"""Accounts through the real pages: sign-up, verification, login sessions, passwords, throttling."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import PASSWORD, csrf_token, last_link, login, outbox, register


def store(app):
    return app.extensions["codelearn.store"]


def test_register_sends_verification_link_and_confirming_it_verifies(app, client):
    response = register(client)
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    link = last_link(app)
    assert "/verify/" in link
    path = link.split("localhost", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "Confirm my email address" in page.get_data(as_text=True)
    assert not store(app).get_user_by_email("ada@example.com").verified  # a GET spends nothing
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 302
    assert store(app).get_user_by_email("ada@example.com").verified


def test_verification_link_works_once(app, client):
    register(client)
    path = last_link(app).split("localhost", 1)[1]
    client.post(path, data={"csrf_token": csrf_token(client, path)})
    again = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert again.status_code == 400
    assert "invalid, already used or expired" in again.get_data(as_text=True)


def test_register_normalises_email_and_makes_no_second_account(app, client):
    register(client, email="  Ada@Example.COM ")
    first = store(app).get_user_by_email("ada@example.com")
    assert first is not None
    response = register(client, email="ada@example.com")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    assert store(app).get_user_by_email("ada@example.com").id == first.id  # tests/web/test_signup.py: the rest


def test_register_rejects_malformed_email_and_keeps_input(client):
    response = register(client, email="not-an-email", name="Grace")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "doesn&#39;t look like an email address" in body or "look like an email" in body
    assert 'value="Grace"' in body  # what the learner typed is kept


def test_password_policy_short_common_and_overlong(client):
    short = register(client, password="short")
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    common = register(client, password="password123")
    assert common.status_code == 400 and "too common" in common.get_data(as_text=True)
    overlong = register(client, password="x" * 300)
    assert overlong.status_code == 400 and "at most 256" in overlong.get_data(as_text=True)


def test_megabyte_password_is_refused_before_reading(client):
    token = csrf_token(client, "/register")
    response = client.post("/register", data={"csrf_token": token, "email": "a@example.com",
                                              "password": "x" * 1_000_000})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True).lower()


def test_login_logout_and_protected_pages(app, client):
    assert client.get("/dashboard").status_code == 302
    register(client)
    response = login(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard")
    assert page.status_code == 200 and "Hello, Ada" in page.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    after = client.get("/dashboard")
    assert after.status_code == 302 and "/login" in after.headers["Location"]


def test_wrong_password_gives_one_message_for_unknown_and_known_accounts(client):
    register(client)
    wrong = login(client, password="wrong password here")
    unknown = login(client, email="nobody@example.com")
    assert wrong.status_code == unknown.status_code == 401
    message = "That email and password don&#39;t match an account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_failed_logins_are_throttled_per_account_and_address_with_retry_after(app, client):
    register(client)
    for _ in range(app.config["LOGIN_FAILURES_PER_PAIR"]):
        assert login(client, password="wrong password here").status_code == 401
    throttled = login(client)  # even the right password waits, from the address that got it wrong
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "try again in" in throttled.get_data(as_text=True)


def test_failed_logins_are_throttled_per_address(app, client):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 3
    app.extensions["codelearn.accounts"].settings = type(app.extensions["codelearn.accounts"].settings)(
        login_failures_per_address=3, bcrypt_rounds=4)
    for i in range(3):
        login(client, email=f"someone{i}@example.com", password="wrong password here")
    assert login(client, email="other@example.com").status_code == 429


def test_next_parameter_never_leaves_the_site(client):
    register(client)
    token = csrf_token(client, "/login")
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        client.post("/logout", data={"csrf_token": token})
        response = client.post(f"/login?next={target}", data={
            "csrf_token": csrf_token(client, "/login"), "email": "ada@example.com", "password": PASSWORD})
        assert response.headers["Location"].endswith("/dashboard"), target
        token = csrf_token(client, "/dashboard")


def test_missing_or_forged_csrf_token_is_rejected_and_changes_nothing(app, client):
    response = client.post("/register", data={"email": "eve@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    forged = client.post("/register", data={"csrf_token": "forged", "email": "eve@example.com",
                                            "password": PASSWORD})
    assert forged.status_code == 400
    assert store(app).get_user_by_email("eve@example.com") is None


def test_tampered_or_unknown_session_cookie_means_logged_out(app, client, learner):
    assert client.get("/dashboard").status_code == 200
    client.set_cookie("codelearn_session", "tampered.value.here")
    assert client.get("/dashboard").status_code == 302
    other = app.test_client()
    with other.session_transaction() as sess:
        sess["_user_id"] = "no-such-session-id"
    assert other.get("/dashboard").status_code == 302


def test_remember_me_sets_a_lasting_cookie_that_dies_with_the_session(app, client):
    register(client)
    response = login(client, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("codelearn_remember=") and "Expires=" in c for c in cookies)
    session = store(app).list_user_sessions(store(app).get_user_by_email("ada@example.com").id,
                                            app.extensions["codelearn.accounts"]._clock())[0]
    assert session.remember and session.expires_at - session.created_at == timedelta(days=30)


def test_logout_everywhere_revokes_every_session(app, client):
    register(client)
    other_device = app.test_client()
    login(client)
    login(other_device)
    assert other_device.get("/dashboard").status_code == 200
    response = client.post("/logout-everywhere", data={"csrf_token": csrf_token(client, "/account/sessions")})
    assert response.status_code == 302
    assert other_device.get("/dashboard").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_sessions_page_lists_devices_and_revokes_only_own_sessions(app, client):
    register(client)
    register(app.test_client(), email="bob@example.com")
    login(client)
    bob = app.test_client()
    login(bob, email="bob@example.com")
    bob_user = store(app).get_user_by_email("bob@example.com")
    bob_session = store(app).list_user_sessions(bob_user.id, app.extensions["codelearn.accounts"]._clock())[0]
    page = client.get("/account/sessions").get_data(as_text=True)
    assert "this device" in page
    response = client.post(f"/account/sessions/{bob_session.id}/revoke",
                           data={"csrf_token": csrf_token(client, "/account/sessions")})
    assert response.status_code == 404
    assert bob.get("/dashboard").status_code == 200  # Bob is still logged in


def test_change_password_keeps_this_session_and_revokes_others(app, client):
    register(client)
    other = app.test_client()
    login(client)
    login(other)
    token = csrf_token(client, "/account/password")
    new = "a new long passphrase"
    bad = client.post("/account/password", data={"csrf_token": token, "current_password": "wrong one here",
                                                 "new_password": new, "confirm": new})
    assert bad.status_code == 400 and "current password is not right" in bad.get_data(as_text=True)
    ok = client.post("/account/password", data={"csrf_token": token, "current_password": PASSWORD,
                                                "new_password": new, "confirm": new})
    assert ok.status_code == 302
    assert client.get("/dashboard").status_code == 200
    assert other.get("/dashboard").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    assert login(client, password="a new long passphrase").status_code == 302


def test_forgot_password_same_answer_for_unknown_email_and_single_use_reset(app, client):
    register(client)
    sent_before = len(outbox(app))
    token = csrf_token(client, "/forgot")
    unknown = client.post("/forgot", data={"csrf_token": token, "email": "nobody@example.com"})
    known = client.post("/forgot", data={"csrf_token": token, "email": "ada@example.com"})
    assert unknown.status_code == known.status_code == 200
    strip = lambda r, e: r.get_data(as_text=True).replace(e, "EMAIL")  # noqa: E731
    assert strip(unknown, "nobody@example.com") == strip(known, "ada@example.com")
    assert len(outbox(app)) == sent_before + 1
    path = last_link(app).split("localhost", 1)[1]
    new = "another long passphrase"
    weak = client.post(path, data={"csrf_token": csrf_token(client, path), "password": "short", "confirm": "short"})
    assert weak.status_code == 400  # a refused password does not spend the link
    done = client.post(path, data={"csrf_token": csrf_token(client, path), "password": new, "confirm": new})
    assert done.status_code == 302
    reused = client.post(path, data={"csrf_token": csrf_token(client, path), "password": new + "x",
                                     "confirm": new + "x"})
    assert reused.status_code == 400 and "invalid, already used or expired" in reused.get_data(as_text=True)
    assert login(client, password=new).status_code == 302


def test_expired_reset_link_is_refused(app, client):
    register(client)
    client.post("/forgot", data={"csrf_token": csrf_token(client, "/forgot"), "email": "ada@example.com"})
    path = last_link(app).split("localhost", 1)[1]
    accounts = app.extensions["codelearn.accounts"]
    real_clock = accounts._clock
    accounts._clock = lambda: real_clock() + timedelta(hours=2)
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "password": "a fine passphrase",
                                       "confirm": "a fine passphrase"})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_make_admin_command(app, client, runner):
    register(client)
    result = runner.invoke(args=["users", "make-admin", "ada@example.com"])
    assert result.exit_code == 0 and "is now an admin" in result.output
    assert store(app).get_user_by_email("ada@example.com").role == "admin"
    missing = runner.invoke(args=["users", "make-admin", "nobody@example.com"])
    assert missing.exit_code != 0 and "No account" in missing.output

"""Failed-login throttling: an attacker elsewhere cannot lock the owner out, and a burst cannot race it."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

from services import passwords
from tests.conftest import PASSWORD, csrf_token, last_link, login, register

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _login_from(client, address: dict, password: str, email: str = "ada@example.com"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_overrides=address)


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(app, client):
    register(client)
    attacker = app.test_client()
    for _ in range(app.config["LOGIN_FAILURES_PER_PAIR"] + 2):
        _login_from(attacker, ATTACKER, "wrong password here")
    assert _login_from(attacker, ATTACKER, PASSWORD).status_code == 429  # that pair is throttled
    owner = app.test_client()
    assert _login_from(owner, OWNER, PASSWORD).status_code == 302  # the owner, elsewhere, is not


def test_the_429_page_says_what_happened_and_offers_a_password_reset(app, client):
    register(client)
    for _ in range(app.config["LOGIN_FAILURES_PER_PAIR"]):
        assert login(client, password="wrong password here").status_code == 401
    throttled = login(client)
    body = throttled.get_data(as_text=True)
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert "wrong passwords for this account" in body
    assert 'href="/forgot"' in body and "Reset your password" in body


def test_many_addresses_slow_an_account_down_with_a_growing_delay(app, client):
    register(client)
    soft = app.config["LOGIN_FAILURES_PER_PAIR"]
    delays = []
    for i in range(soft + 3):
        response = _login_from(app.test_client(), {"REMOTE_ADDR": f"192.0.2.{i}"}, "wrong password here")
        if response.status_code == 429:
            delays.append(int(response.headers["Retry-After"]))
            assert "reset your password" in response.get_data(as_text=True).lower()
    assert delays, "an account under attack from many addresses is slowed down"
    accounts = app.extensions["codelearn.accounts"]
    assert accounts.login_delay(soft + 1) < accounts.login_delay(soft + 3) <= app.config["LOGIN_MAX_DELAY_SECONDS"]


def test_the_per_account_ceiling_stops_every_address(app, client):
    register(client)
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = 3
    accounts = app.extensions["codelearn.accounts"]
    accounts.settings = type(accounts.settings)(login_failures_per_account=3, login_failures_per_pair=10,
                                                bcrypt_rounds=4)
    for i in range(3):
        _login_from(app.test_client(), {"REMOTE_ADDR": f"192.0.2.{i}"}, "wrong password here")
    assert _login_from(app.test_client(), OWNER, PASSWORD).status_code == 429


def test_a_password_reset_is_the_way_out_of_an_account_lock(app, client):
    register(client)
    accounts = app.extensions["codelearn.accounts"]
    accounts.settings = type(accounts.settings)(login_failures_per_account=3, login_failures_per_pair=10,
                                                bcrypt_rounds=4)
    for i in range(3):
        _login_from(app.test_client(), {"REMOTE_ADDR": f"192.0.2.{i}"}, "wrong password here")
    owner = app.test_client()
    assert _login_from(owner, OWNER, PASSWORD).status_code == 429
    owner.post("/forgot", data={"csrf_token": csrf_token(owner, "/forgot"), "email": "ada@example.com"},
               environ_overrides=OWNER)
    path = last_link(app).split("localhost", 1)[1]
    new = "a brand new passphrase"
    done = owner.post(path, data={"csrf_token": csrf_token(owner, path), "password": new, "confirm": new},
                      environ_overrides=OWNER)
    assert done.status_code == 302
    assert _login_from(owner, OWNER, new).status_code == 302


def test_a_burst_of_attempts_is_counted_before_the_password_is_checked(app, client, monkeypatch):
    register(client)
    limit = app.config["LOGIN_FAILURES_PER_PAIR"]
    checks = []
    lock = threading.Lock()
    real_verify = passwords.verify_password
    gate = threading.Barrier(8)

    def counting_verify(password, hashed):
        with lock:
            checks.append(1)
        return real_verify(password, hashed)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)
    accounts = app.extensions["codelearn.accounts"]

    def attempt(_):
        with contextlib.suppress(threading.BrokenBarrierError):
            gate.wait(timeout=5)
        try:
            accounts.login("ada@example.com", "wrong password here", ip="203.0.113.9", user_agent="x",
                           remember=False)
        except Exception as exc:  # noqa: BLE001 - refusals and wrong passwords are both expected
            return type(exc).__name__
        return "ok"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(attempt, range(40)))
    assert len(checks) <= limit, f"{len(checks)} password checks against a limit of {limit}"
    assert outcomes.count("LoginThrottled") >= 40 - limit


def test_a_successful_login_gives_back_its_place_in_the_address_budget(app, client):
    register(client)
    accounts = app.extensions["codelearn.accounts"]
    accounts.settings = type(accounts.settings)(login_failures_per_address=3, bcrypt_rounds=4)
    for _ in range(5):  # more good logins than the address allows failures
        assert login(client).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})

"""The theme choice: pages follow the device unless the learner picks light or dark on the account
page; the choice is an HttpOnly cookie written on <html data-theme> of every page."""

from __future__ import annotations

from tests.conftest import csrf_token


def _choose(client, theme: str):
    return client.post("/account/theme", data={"csrf_token": csrf_token(client, "/account/sessions"), "theme": theme})


def test_pages_follow_the_device_until_a_theme_is_chosen(client, learner):
    assert "data-theme" not in client.get("/").get_data(as_text=True)
    page = client.get("/account/sessions").get_data(as_text=True)
    assert '<input type="radio" name="theme" value="system" checked>' in page

    response = _choose(client, "dark")
    assert response.status_code == 302 and response.location.endswith("/account/sessions#appearance")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("theme=dark;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    for path in ("/dashboard", "/learn/", "/account/sessions", "/no-such-page"):
        assert '<html lang="en" data-theme="dark">' in client.get(path).get_data(as_text=True), path
    assert '<input type="radio" name="theme" value="dark" checked>' in client.get("/account/sessions").get_data(
        as_text=True)

    response = _choose(client, "system")
    assert "theme=;" in response.headers["Set-Cookie"]  # removed: the device decides again
    assert "data-theme" not in client.get("/").get_data(as_text=True)


def test_the_choice_holds_after_logging_out(client, learner):
    _choose(client, "light")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account/sessions")})
    assert '<html lang="en" data-theme="light">' in client.get("/login").get_data(as_text=True)


def test_an_unknown_theme_or_a_cookie_value_changes_nothing(client, learner):
    assert _choose(client, "purple").status_code == 400
    client.set_cookie("theme", '"><script>')
    assert "data-theme" not in client.get("/").get_data(as_text=True)


def test_choosing_needs_the_csrf_token(client, learner):
    response = client.post("/account/theme", data={"theme": "dark"})
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers or "theme=" not in response.headers["Set-Cookie"]

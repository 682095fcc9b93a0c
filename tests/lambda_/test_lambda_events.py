"""The Lambda entry point on hand-built REST API (1.0) and HTTP API / Function URL (2.0) events."""

from __future__ import annotations

import re

import pytest

import lambda_handler
from app import create_app
from tests.conftest import PASSWORD
from tests.lambda_.events import REST_HOST, LambdaBrowser

VERSIONS = ["1.0", "2.0"]


@pytest.fixture
def lambda_app(app_config):
    return lambda_handler.build_handler(create_app(app_config))


def _sign_up_and_log_in(browser: LambdaBrowser) -> dict:
    token = browser.csrf("/register")
    registered = browser.request("POST", "/register", form={"csrf_token": token, "email": "ada@example.com",
                                                           "password": PASSWORD, "display_name": "Ada"})
    assert registered["statusCode"] == 200, browser.text(registered)
    token = browser.csrf("/login")
    return browser.request("POST", "/login", form={"csrf_token": token, "email": "ada@example.com",
                                                  "password": PASSWORD, "remember": "y"})


@pytest.mark.parametrize("version", VERSIONS)
def test_register_login_and_logged_in_page_across_invocations(lambda_app, version):
    browser = LambdaBrowser(lambda_app, version, stage="$default" if version == "2.0" else "prod")
    logged_in = _sign_up_and_log_in(browser)
    assert logged_in["statusCode"] == 302
    dashboard = browser.request("GET", "/dashboard")
    assert dashboard["statusCode"] == 200
    assert "Hello, Ada" in browser.text(dashboard)


@pytest.mark.parametrize("version", VERSIONS)
def test_two_set_cookie_headers_in_one_response_both_survive(lambda_app, version):
    browser = LambdaBrowser(lambda_app, version, stage="$default" if version == "2.0" else "prod")
    response = _sign_up_and_log_in(browser)
    names = sorted(c.split("=", 1)[0] for c in browser.last_set_cookies)
    assert names == ["codelearn_remember", "codelearn_session"], response
    if version == "1.0":
        assert len(response["multiValueHeaders"]["Set-Cookie"]) == 2
    else:
        assert len(response["cookies"]) == 2


def test_rest_api_redirects_stay_under_the_stage_on_the_default_host(lambda_app):
    browser = LambdaBrowser(lambda_app, "1.0", stage="prod")
    response = browser.request("GET", "/dashboard")
    assert response["statusCode"] == 302
    location = LambdaBrowser.header(response, "Location")
    assert location.startswith("/prod/login") or location.startswith(f"https://{REST_HOST}/prod/login")
    page = browser.text(browser.request("GET", "/login"))
    assert 'href="/prod/static/css/app.css"' in page and 'action="/prod/logout"' not in page


def test_http_api_named_stage_is_stripped_and_kept_in_links(lambda_app):
    browser = LambdaBrowser(lambda_app, "2.0", stage="beta", host=REST_HOST)
    page = browser.request("GET", "/login")
    assert page["statusCode"] == 200
    assert 'href="/beta/static/css/app.css"' in browser.text(page)


def test_custom_domain_has_no_prefix(lambda_app):
    browser = LambdaBrowser(lambda_app, "1.0", stage="prod", host="learn.example.com")
    page = browser.text(browser.request("GET", "/login"))
    assert 'href="/static/css/app.css"' in page


@pytest.mark.parametrize("version", VERSIONS)
def test_form_post_with_base64_body_and_csrf(lambda_app, version):
    browser = LambdaBrowser(lambda_app, version, stage="$default" if version == "2.0" else "prod")
    rejected = browser.request("POST", "/register", form={"email": "x@example.com", "password": PASSWORD})
    assert rejected["statusCode"] == 400  # no CSRF token
    token = browser.csrf("/forgot")
    accepted = browser.request("POST", "/forgot", form={"csrf_token": token, "email": "x@example.com"})
    assert accepted["statusCode"] == 200 and "Check your email" in browser.text(accepted)


def test_static_asset_is_served_with_its_type(lambda_app):
    browser = LambdaBrowser(lambda_app, "2.0", stage="$default")
    response = browser.request("GET", "/static/css/app.css")
    assert response["statusCode"] == 200
    assert LambdaBrowser.header(response, "Content-Type").startswith("text/css")
    assert ":root" in browser.text(response)


def test_module_handler_builds_the_app_once_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CODELEARN_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("CODELEARN_LOG_LEVEL", "WARNING")
    monkeypatch.setattr(lambda_handler, "_app", None)
    monkeypatch.setattr(lambda_handler, "_handler", None)
    browser = LambdaBrowser(lambda_handler.handler, "2.0", stage="$default")
    assert browser.request("GET", "/")["statusCode"] == 200
    first = lambda_handler._handler
    assert browser.request("GET", "/healthz")["statusCode"] == 200
    assert lambda_handler._handler is first
    assert re.search("CodeLearn", browser.text(browser.request("GET", "/")))

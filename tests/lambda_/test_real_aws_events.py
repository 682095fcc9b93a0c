"""The Lambda entry point on events shaped like AWS's own samples (tests/lambda_/real_events.py)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

import lambda_handler
from app import create_app
from tests.conftest import PASSWORD, last_link
from tests.lambda_ import real_events
from tests.lambda_.real_events import HTTP_API_REQUEST_ID, REST_DOMAIN, header, set_cookies, text

_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture
def app(app_config):
    return create_app(app_config)


@pytest.fixture
def handler(app):
    return lambda_handler.build_handler(app)


def _register(handler, *, without: tuple[str, ...] = ()) -> dict[str, str]:
    """Sign up through REST events; the cookies the app set."""
    page = handler(real_events.rest("GET", "/register", without=without), None)
    cookies = set_cookies(page)
    form = urlencode({"csrf_token": _CSRF.search(text(page)).group(1), "email": "ada@example.com",
                      "password": PASSWORD, "display_name": "Ada"})
    lines = [f"{name}={value}" for name, value in cookies.items()]
    registered = handler(real_events.rest("POST", "/register", cookie_lines=lines, form=form, without=without), None)
    assert registered["statusCode"] == 200, text(registered)
    return cookies


def _logged_in_session(app, handler) -> str:
    cookies = _register(handler)
    store = app.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("ada@example.com").id, verified=True)
    first = f"codelearn_session={cookies['codelearn_session']}"
    page = handler(real_events.rest("GET", "/login", cookie_lines=[first]), None)
    form = urlencode({"csrf_token": _CSRF.search(text(page)).group(1), "email": "ada@example.com",
                      "password": PASSWORD})
    session = set_cookies(page).get("codelearn_session", cookies["codelearn_session"])
    logged_in = handler(real_events.rest("POST", "/login", cookie_lines=[f"codelearn_session={session}"], form=form),
                        None)
    assert logged_in["statusCode"] == 302, text(logged_in)
    return set_cookies(logged_in)["codelearn_session"]


def test_cookie_lines_split_across_multi_value_headers_keep_the_session(app, handler):
    session = _logged_in_session(app, handler)
    event = real_events.rest("GET", "/dashboard", cookie_lines=[f"codelearn_session={session}", "theme=dark"])
    dashboard = handler(event, None)
    assert dashboard["statusCode"] == 200, header(dashboard, "Location")
    assert "Hello, Ada" in text(dashboard)


def test_http_api_request_ids_are_kept_for_the_logs(handler):
    response = handler(real_events.http_api("GET", "/healthz"), None)
    assert response["statusCode"] == 200
    assert header(response, "X-Request-Id") == HTTP_API_REQUEST_ID


def test_rest_path_equal_to_the_stage_name_is_not_stripped_again(handler):
    landing = handler(real_events.rest("GET", "/"), None)
    assert landing["statusCode"] == 200 and "CodeLearn" in text(landing)
    same_as_stage = handler(real_events.rest("GET", "/Prod"), None)  # the browser asked for /Prod/Prod
    assert same_as_stage["statusCode"] == 404


def test_rest_links_and_redirects_stay_under_the_stage(handler):
    page = text(handler(real_events.rest("GET", "/login"), None))
    assert 'href="/Prod/static/css/app.css"' in page
    redirect = handler(real_events.rest("GET", "/dashboard"), None)
    assert redirect["statusCode"] == 302 and "/Prod/login" in header(redirect, "Location")


def test_mailed_links_use_the_api_domain_when_the_host_header_is_missing(app, handler):
    _register(handler, without=("Host",))
    link = last_link(app)
    assert link.startswith(f"https://{REST_DOMAIN}/Prod/verify/"), link


def test_console_test_event_without_any_headers_is_served(handler):
    response = handler(real_events.rest_from_console("GET", "/login"), None)
    assert response["statusCode"] == 200 and "Log in" in text(response)


def test_repeated_query_keys_all_reach_the_app(app_config):
    app = create_app(app_config)

    @app.get("/echo-args")
    def echo_args():
        from flask import jsonify, request

        return jsonify(request.args.getlist("tag"))

    handler = lambda_handler.build_handler(app)
    response = handler(real_events.rest("GET", "/echo-args", query={"tag": ["loops", "lists"]}), None)
    assert response["statusCode"] == 200 and text(response).strip() == '["loops","lists"]'

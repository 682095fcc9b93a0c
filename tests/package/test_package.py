"""The built zip, run as Lambda runs it: unpacked into an empty folder, imported by a clean
interpreter with only that folder and the standard library on its path and no network, and invoked
with REST API (payload 1.0) and HTTP API / Function URL (payload 2.0) events."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.build_package import AWS_SERVICES
from scripts.package_harness import PackageProcess, lambda_environment
from tests.conftest import PASSWORD
from tests.lambda_.events import URL_HOST, LambdaBrowser

# Payload 1.0 as a REST API stage on its default host; payload 2.0 as a Function URL.
SETUPS = {"1.0": {"stage": "prod"}, "2.0": {"stage": "$default", "host": URL_HOST}}
LESSON_ID = "python-variables"  # the seed's own lesson
SOLUTION = "city = 'Lisbon'\npopulation = 545000\nis_capital = True\n"


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def _log_in(browser: LambdaBrowser) -> dict:
    token = browser.csrf("/register")
    registered = browser.request("POST", "/register", form={
        "csrf_token": token, "email": "ada@example.com", "password": PASSWORD, "display_name": "Ada"})
    assert registered["statusCode"] == 200, browser.text(registered)[:2000]
    token = browser.csrf("/login")
    return browser.request("POST", "/login", form={
        "csrf_token": token, "email": "ada@example.com", "password": PASSWORD, "remember": "y"})


def _with_referer(handler):
    """Send a same-origin Referer as a browser does: with CODELEARN_ENV=aws, CSRF checks it on HTTPS."""

    def invoke(event: dict, context=None) -> dict:
        headers = event["headers"]
        host = headers.get("Host") or headers.get("host")
        headers["Referer"] = f"https://{host}/"
        if "multiValueHeaders" in event:
            event["multiValueHeaders"]["Referer"] = [headers["Referer"]]
        return handler(event, context)

    return invoke


@pytest.fixture(params=sorted(SETUPS), ids=lambda v: f"payload-{v}")
def session(request, task_root: Path, tmp_path: Path):
    before = _snapshot(task_root)
    environment = lambda_environment(tmp_path)
    with PackageProcess(task_root, environment) as process:
        browser = LambdaBrowser(_with_referer(process.handler), request.param, **SETUPS[request.param])
        browser.environment = environment
        yield browser, process
        report = process.close()
        assert process.returncode == 0, process.stderr[-4000:]
    assert report.get("done"), process.stderr[-4000:]
    assert report["outside"] == [], "modules loaded from outside the package and the standard library"
    assert _snapshot(task_root) == before, "the run wrote into the package folder (read-only on Lambda)"


def test_landing_page_static_asset_login_round_trip_lesson_and_grading(session):
    browser, _process = session
    landing = browser.request("GET", "/")
    assert landing["statusCode"] == 200
    assert "CodeLearn" in browser.text(landing)

    css = browser.request("GET", "/static/css/app.css")
    assert css["statusCode"] == 200
    assert LambdaBrowser.header(css, "Content-Type").startswith("text/css")
    assert len(browser.text(css)) > 100

    logged_in = _log_in(browser)
    assert logged_in["statusCode"] == 302, browser.text(logged_in)[:2000]
    assert {"codelearn_session", "codelearn_remember"} <= set(browser.jar), browser.last_set_cookies
    dashboard = browser.request("GET", "/dashboard")
    assert dashboard["statusCode"] == 200
    assert "Hello, Ada" in browser.text(dashboard)

    lesson = browser.request("GET", f"/learn/{LESSON_ID}")
    assert lesson["statusCode"] == 200, browser.text(lesson)[:2000]
    assert "Variables" in browser.text(lesson)

    # Grading runs learner code in a subprocess started from the package (DESIGN.md section 6).
    token = browser.csrf(f"/learn/{LESSON_ID}")
    graded = browser.request("POST", f"/learn/{LESSON_ID}/submit", form={"csrf_token": token, "code": SOLUTION})
    assert graded["statusCode"] == 200, browser.text(graded)[:2000]
    assert "Lesson complete!" in browser.text(graded)

    instance = Path(browser.environment["TMPDIR"]) / "codelearn-instance"
    assert (instance / "codelearn.sqlite3").exists(), "without CODELEARN_INSTANCE_PATH, Lambda state goes to /tmp"


def test_logged_out_pages_redirect_to_login(session):
    browser, _process = session
    response = browser.request("GET", "/dashboard")
    assert response["statusCode"] == 302
    assert "/login" in LambdaBrowser.header(response, "Location")


def test_bundled_aws_clients_load_without_network(session):
    """The production backends' clients build from the bundled botocore models (no call is made)."""
    _browser, process = session
    for service in AWS_SERVICES:
        expression = (f"__import__('boto3').client({service!r}, region_name='us-east-1')"
                      ".meta.service_model.service_name")
        assert process.evaluate(expression) == service
    root = process.evaluate("sys.path[0]")
    assert process.evaluate("__import__('botocore').__file__").startswith(root)


def test_network_is_blocked_in_the_harness(session):
    _browser, process = session
    # 0.0.0.0 is refused by the guard like any address outside 127/8; were the guard broken, the
    # connection would still stay on this machine.
    probe = "__import__('socket').create_connection(('0.0.0.0', 9), timeout=1) and 'connected'"
    with pytest.raises(RuntimeError, match="network blocked"):
        process.evaluate(probe)

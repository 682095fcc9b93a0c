"""Browser tests: the real app on a loopback port, driven by headless Chromium through Playwright.

Chromium comes from the system (Debian's `chromium` package), never a Playwright download. When it
is missing the tests say so and skip; under CI=true they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from tests.conftest import PASSWORD
from tests.e2e.a11y import blocking, describe, overflow, run_axe

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


class LiveServer:
    def __init__(self, app) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def serve_app(tmp_path):
    """Start the app with these settings on a loopback port; stopped after the test."""
    started: list = []

    def start(**settings) -> LiveServer:
        app = create_app({"INSTANCE_PATH": str(tmp_path / f"instance-{len(started)}"), "SECRET_KEY": "e2e-secret",
                          "BCRYPT_ROUNDS": 4, "LOG_LEVEL": "WARNING", **settings})
        started.append(LiveServer(app).__enter__())
        return started[-1]

    yield start
    for server in started:
        server.__exit__(None, None, None)
        server.app.extensions["codelearn.store"].close()


@pytest.fixture
def live_server(serve_app):
    return serve_app()


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        _unavailable("no Chromium found (install Debian's `chromium` package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the dev requirements install it
        _unavailable(f"playwright is not installed ({exc})")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    tab = context.new_page()
    errors: list[str] = []
    # A page answering 4xx on purpose logs "Failed to load resource"; sub-resources are checked instead.
    tab.on("console", lambda msg: errors.append(msg.text)
           if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("response", lambda r: errors.append(f"{r.status} {r.url}")
           if r.status >= 400 and r.request.resource_type != "document" else None)
    yield tab
    context.close()
    assert not errors, f"browser console errors (CSP violations included): {errors}"


def check_both_widths(page, name: str) -> None:
    """The page at 1280 and 390 px, each shot kept, neither scrolling sideways, axe finding nothing
    serious; the viewport goes back to 1280 px after."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 860 if width > 800 else 844})
        screenshot(page, f"{name}-{width}")
        assert overflow(page) is None, f"{name} scrolls sideways at {width} px: {overflow(page)}"
        found = blocking(run_axe(page))
        assert not found, f"{name} at {width} px:\n{describe(found)}"
    page.set_viewport_size({"width": 1280, "height": 860})


@pytest.fixture
def both_widths(page):
    """`both_widths(name)`: check_both_widths on this test's page."""
    return lambda name: check_both_widths(page, name)


def screenshot(page, name: str) -> Path:
    """Kept under test-artifacts/ for a human to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def viewport_shot(page, name: str) -> Path:
    """What the learner sees without scrolling (the workbench scrolls on its own, so a full-page
    shot cuts it off)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def log_in_learner(live_server, page, email: str = "grace@example.com", name: str = "Grace") -> None:
    """A verified learner, logged in on `page` through the login form."""
    accounts = live_server.app.extensions["codelearn.accounts"]
    store = live_server.app.extensions["codelearn.store"]
    with live_server.app.test_request_context():
        user = accounts.register(email, PASSWORD, name, lambda token: "http://x/" + token)
    store.update_user(user.id, verified=True)
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name=f"Hello, {name}!").wait_for()

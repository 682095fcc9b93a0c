"""The header's navigation in a real browser: one row at every width; on a phone the entries sit
behind a menu button that works without JavaScript (a <details> disclosure); with the eight entries
the nav is growing to (Skills, Review, ... added by area blueprints) the wide nav still fits one row."""

from __future__ import annotations

import pytest

from blueprints.nav import NavItem, add_nav_item
from tests.e2e.conftest import log_in_learner, screenshot, viewport_shot

pytestmark = pytest.mark.e2e

# A stand-in for one more entry to come (the endpoint only needs to exist): the real areas' entries
# (Skills, Review, Tutor, Assistant, Admin) are registered by their blueprints.
FUTURE = [NavItem("Profile", "main.index", "profile")]


def _header(page) -> dict:
    return page.evaluate("""() => {
        const header = document.querySelector('.site-header').getBoundingClientRect();
        const visible = (el) => el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true});
        const entries = [...document.querySelectorAll('.site-nav a, .site-nav button')].filter(visible);
        return {height: header.height, entries: entries.map(el => el.textContent.trim()),
                right: Math.max(0, ...entries.map(el => el.getBoundingClientRect().right)),
                width: document.documentElement.clientWidth};
    }""")


@pytest.fixture
def crowded_server(serve_app):
    server = serve_app()
    for item in FUTURE:
        add_nav_item(server.app, item)
    return server


def test_wide_nav_fits_eight_entries_on_one_row(crowded_server, page):
    log_in_learner(crowded_server, page)
    store = crowded_server.app.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("grace@example.com").id, role="admin")
    page.goto(crowded_server.url + "/learn/")
    for width in (1280, 1100):
        page.set_viewport_size({"width": width, "height": 800})
        header = _header(page)
        assert len(header["entries"]) >= 8, header
        assert header["height"] <= 72, f"at {width} px the header is {header['height']} px tall: {header}"
        assert header["right"] <= header["width"], header
    page.set_viewport_size({"width": 1280, "height": 800})
    viewport_shot(page, "43-nav-eight-entries-1280")


@pytest.mark.parametrize("javascript", [True, False])
def test_phone_menu_button_opens_the_entries(crowded_server, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        log_in_learner(crowded_server, page)
        page.goto(crowded_server.url + "/learn/")
        header = _header(page)
        assert header["height"] <= 72, header
        assert header["entries"] == [], f"entries shown beside the menu button: {header['entries']}"
        button = page.locator(".nav-menu > summary")
        assert button.is_visible() and button.inner_text().strip() == "Menu"
        button.click()
        links = page.get_by_role("navigation", name="Main").get_by_role("link")
        names = [name.strip() for name in links.all_inner_texts()]
        assert names[:3] == ["Dashboard", "Learn", "Skills"] and "Account" in names, names
        assert page.get_by_role("button", name="Log out").is_visible()
        header = _header(page)
        assert header["right"] <= header["width"], header
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        viewport_shot(page, f"44-nav-menu-open-360{'' if javascript else '-no-js'}")
        page.get_by_role("link", name="Dashboard").click()
        page.get_by_role("heading", name="Hello, Grace!").wait_for()
        assert not page.locator(".nav-menu-panel").is_visible()  # a new page starts closed
    finally:
        context.close()


def test_logged_out_header_is_one_row_on_a_phone(live_server, page):
    for width in (360, 390):
        page.set_viewport_size({"width": width, "height": 740})
        page.goto(live_server.url + "/")
        header = _header(page)
        assert header["height"] <= 72, f"at {width} px: {header}"
        assert header["entries"] == ["Log in", "Sign up free"], header
    screenshot(page, "45-landing-390")


def test_escape_or_a_click_outside_closes_the_phone_menu(crowded_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        log_in_learner(crowded_server, page)
        button = page.locator(".nav-menu > summary")
        panel = page.locator(".nav-menu-panel")
        button.click()
        assert panel.is_visible()
        page.keyboard.press("Escape")
        assert not panel.is_visible()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"  # focus back on the button
        page.keyboard.press("Enter")  # the keyboard opens it again
        assert panel.is_visible()
        page.mouse.click(30, 700)  # on the page below the menu
        assert not panel.is_visible()
    finally:
        context.close()

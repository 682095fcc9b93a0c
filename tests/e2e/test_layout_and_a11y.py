"""Every page, enumerated from the app's routes, in a real browser: nothing scrolls sideways at
360 and 390 px, and axe-core finds no serious or critical violation at 1280 and 390 px, in the
light and the dark theme. Pages are visited logged out and as a logged-in admin (who sees every
nav entry), so a new page route is covered without editing this file."""

from __future__ import annotations

import pytest

from tests.e2e.a11y import blocking, describe, overflow, run_axe
from tests.e2e.conftest import log_in_learner, screenshot
from tests.pages import page_paths

pytestmark = pytest.mark.e2e

PHONES = (360, 390)
AXE_WIDTHS = (1280, 390)


def visit_all(page, base: str, paths: list[str], widths, check) -> list[str]:
    failures = []
    for path in paths:
        page.goto(base + path)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 844 if width < 800 else 860})
            failure = check(page, width)
            if failure:
                failures.append(f"{path} (-> {page.url.removeprefix(base)}) at {width} px: {failure}")
    return failures


def _as_admin(live_server, page) -> None:
    log_in_learner(live_server, page, email="ada@example.com", name="Ada")
    store = live_server.app.extensions["codelearn.store"]
    store.update_user(store.get_user_by_email("ada@example.com").id, role="admin")


def _sideways(page, width) -> str | None:
    wide = overflow(page)
    if wide:
        return f"document {wide['document']} px wide: {wide['elements']}"
    header = page.locator(".site-header").bounding_box()["height"]
    return f"the header is {header} px tall (more than one row)" if header > 72 else None


def _axe(page, width) -> str | None:
    found = blocking(run_axe(page))
    return "\n" + describe(found) if found else None


def test_no_page_scrolls_sideways_on_a_phone(live_server, page):
    paths = page_paths(live_server.app)
    failures = visit_all(page, live_server.url, paths, PHONES, _sideways)
    _as_admin(live_server, page)
    failures += visit_all(page, live_server.url, paths, PHONES, _sideways)
    for path, name in (("/account/sessions", "46-sessions"), ("/admin/cost", "47-cost")):
        page.goto(live_server.url + path)
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 844})
            screenshot(page, f"{name}-{width}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_page(live_server, page, scheme):
    page.emulate_media(color_scheme=scheme)
    paths = page_paths(live_server.app)
    failures = visit_all(page, live_server.url, paths, AXE_WIDTHS, _axe)
    _as_admin(live_server, page)
    failures += visit_all(page, live_server.url, paths, AXE_WIDTHS, _axe)

    # The lesson page's other states: failing results with a hint shown, then a completed lesson.
    page.goto(live_server.url + "/learn/python-variables")
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_text("0 of 5 tests passed", exact=True).wait_for()
    page.get_by_role("button", name="Show a hint (1 of 3)").click()
    page.locator("#hint-1").wait_for()
    failures += [f"lesson with results and a hint: {f}" for f in visit_all(page, "", [page.url], AXE_WIDTHS, _axe)]
    page.get_by_label("Your code").fill("city = 'Porto'\npopulation = 230000\nis_capital = False\n")
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_role("heading", name="Lesson complete!").wait_for()
    failures += [f"completed lesson: {f}" for f in visit_all(page, "", [page.url], AXE_WIDTHS, _axe)]
    screenshot(page, f"40-lesson-complete-{scheme}")
    assert not failures, "\n".join(failures)

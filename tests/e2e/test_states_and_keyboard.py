"""What axe cannot see: text contrast while the pointer is over a button or link, the keyboard focus
outline's contrast (WCAG 2.4.11/1.4.11 ask 3:1), in the light and the dark theme; and the editor
used with the keyboard alone, from page load to the next lesson."""

from __future__ import annotations

import re

import pytest

from tests.e2e.a11y import contrast
from tests.e2e.conftest import log_in_learner, viewport_shot

pytestmark = pytest.mark.e2e

PAGES = ("/", "/learn/", "/learn/python-variables", "/account/sessions", "/account/password", "/dashboard")
SOLUTION = "city = 'Porto'\npopulation = 230000\nis_capital = False\n"


def _complete_first_lesson(live_server, page) -> None:
    page.goto(live_server.url + "/learn/python-variables")
    page.get_by_label("Your code").fill(SOLUTION)
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_role("heading", name="Lesson complete!").wait_for()


def _hover_failures(page, where: str) -> list[str]:
    failures = []
    targets = page.locator("main .button:visible, main a:visible, .site-header a:visible, .site-header button:visible")
    for index in range(min(targets.count(), 40)):
        target = targets.nth(index)
        if not target.inner_text().strip():
            continue
        target.hover()
        ratio = contrast(page, target)
        if ratio < 4.5:
            failures.append(f"{where}: '{target.inner_text().strip()[:40]}' on hover {ratio:.2f}:1")
    return failures


def _focus_failures(page, where: str, presses: int = 30) -> list[str]:
    failures = []
    page.locator("body").focus()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        tag = focused.evaluate("el => el.tagName.toLowerCase()")
        if tag == "body":
            break
        # an element inside a frame that shows the focus (the editor) counts the frame's outline
        frame = focused.evaluate_handle("el => el.closest('.editor-frame') || el")
        ratio = contrast(page, frame.as_element(), kind="outline")
        if ratio < 3:
            name = focused.evaluate("el => window.__checks.name(el)")
            failures.append(f"{where}: focus outline of {name} {ratio:.2f}:1")
    return failures


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hover_and_focus_keep_their_contrast(live_server, page, scheme):
    page.emulate_media(color_scheme=scheme)
    log_in_learner(live_server, page)
    _complete_first_lesson(live_server, page)
    failures = _hover_failures(page, "completed lesson") + _focus_failures(page, "completed lesson", 45)
    for path in PAGES:
        page.goto(live_server.url + path)
        failures += _hover_failures(page, path) + _focus_failures(page, path)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/learn/")
    page.locator(".nav-menu > summary").click()
    failures += _hover_failures(page, "phone menu")
    assert not failures, "\n".join(failures)


def test_the_editor_with_the_keyboard_alone(live_server, page):
    log_in_learner(live_server, page)
    page.goto(live_server.url + "/learn/python-variables")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")  # the skip link: the next Tab starts in the lesson, not the header
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "code":
            break
    else:
        pytest.fail("Tab never reached the editor")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("city = 'Porto'")
    page.keyboard.press("Enter")
    page.keyboard.type("population = 230000")
    page.keyboard.press("Enter")
    page.keyboard.type("is_capital = 1")
    page.keyboard.press("Control+Enter")  # run the tests without leaving the editor
    page.get_by_text(re.compile(r"^[1-4] of 5 tests passed$")).wait_for()
    assert page.evaluate("document.activeElement.id") == "code"

    # Leave the editor (Escape, then Tab) and ask for a hint with the keyboard.
    page.keyboard.press("Escape")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith("Show a hint"):
            break
    else:
        pytest.fail("Tab never reached the hint button")
    page.keyboard.press("Enter")
    page.locator("#hint-1").wait_for()

    # Back into the editor with Shift+Tab, fix the last line, run again.
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.id") == "code":
            break
    else:
        pytest.fail("Shift+Tab never came back to the editor")
    page.keyboard.press("Control+End")
    page.keyboard.press("Backspace")
    page.keyboard.type("False")
    page.keyboard.press("Control+Enter")
    page.get_by_role("heading", name="Lesson complete!").wait_for()
    viewport_shot(page, "48-keyboard-only-complete")

    # The next lesson is a few Tabs away and opens with Enter.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Next lesson"):
            break
    else:
        pytest.fail("Tab never reached the next lesson link")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Numbers and arithmetic", level=1).wait_for()

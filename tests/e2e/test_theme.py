"""Dark mode in a real browser: pages follow the device's setting, and the theme picked on the
account page (a plain form: no script) wins over it on every page until "Match my device"."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_learner, screenshot

pytestmark = pytest.mark.e2e


def _background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


LIGHT, DARK = "rgb(247, 247, 251)", "rgb(17, 18, 25)"


def _pick(page, label: str) -> None:
    page.get_by_label(label).check()
    page.get_by_role("button", name="Save theme").click()
    page.get_by_text("Theme:").wait_for()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_device_setting_then_the_learners_choice(live_server, browser, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 860},
                                  color_scheme="light")
    page = context.new_page()
    try:
        log_in_learner(live_server, page)
        assert _background(page) == LIGHT
        page.emulate_media(color_scheme="dark")
        assert _background(page) == DARK  # follows the device at once

        page.emulate_media(color_scheme="light")
        page.goto(live_server.url + "/account/sessions")
        _pick(page, "Dark")
        assert _background(page) == DARK
        page.goto(live_server.url + "/learn/python-variables")
        assert _background(page) == DARK
        screenshot(page, f"49-lesson-dark-by-choice{'' if javascript else '-no-js'}")

        page.goto(live_server.url + "/account/sessions")
        _pick(page, "Light")
        page.emulate_media(color_scheme="dark")
        assert _background(page) == LIGHT  # the choice wins over the device

        _pick(page, "Match my device")
        assert _background(page) == DARK
        assert page.get_by_label("Match my device").is_checked()
    finally:
        context.close()

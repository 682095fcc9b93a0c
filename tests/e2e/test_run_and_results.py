"""Around the grader, in a real browser: Run code with text for input() shows what the code printed
(button and Ctrl+Shift+Enter, with and without JavaScript); the attempt count follows submissions
without a reload; reopening the lesson shows the last results; a rate-limit message appears beside
the previous results instead of replacing them."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_learner, viewport_shot

pytestmark = pytest.mark.e2e

LESSON = "/learn/python-variables"
GREETER = "name = input('Your name? ')\ncity = input('Your city? ')\nprint(f'Hello {name} from {city}!')\n"
HALF_RIGHT = "city = 'Oslo'\nprint('checking', city)\n"


def _fill_editor(page, code: str) -> None:
    page.get_by_label("Your code").fill(code)


def test_run_with_input_shows_the_output_then_reopening_shows_the_last_results(live_server, page):
    log_in_learner(live_server, page)
    page.goto(live_server.url + LESSON)
    assert page.locator("#output").is_hidden()  # nothing ran yet
    stdin = page.get_by_label("Text your program reads")
    assert stdin.is_hidden()  # the input box is collapsed until asked for

    _fill_editor(page, GREETER)
    page.get_by_text("Input for input()").click()
    stdin.fill("Ada\nLisbon")
    page.get_by_role("button", name="Run code").click()
    output = page.locator("#output pre.console")
    output.wait_for()
    assert output.inner_text() == "Your name? Ada\nYour city? Lisbon\nHello Ada from Lisbon!\n"
    assert page.locator("[data-attempts-badge]").is_hidden()  # a run is not an attempt
    assert page.get_by_text("Run the tests to see which ones pass.").is_visible()
    viewport_shot(page, "40-run-output-1280")

    # Ctrl+Shift+Enter in the editor runs the code too (Ctrl+Enter stays "run the tests").
    _fill_editor(page, "print(6 * 7)\n")
    page.get_by_label("Your code").focus()
    page.keyboard.press("Control+Shift+Enter")
    page.locator("#output pre.console", has_text="42").wait_for()
    assert page.get_by_text("Run the tests to see which ones pass.").is_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#output").scroll_into_view_if_needed()
    viewport_shot(page, "41-run-output-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 860})

    # Two submissions: the attempt count follows without a reload.
    _fill_editor(page, "# nothing yet\n")
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_text("0 of 5 tests passed", exact=True).wait_for()
    assert page.locator("[data-attempts-badge]").inner_text() == "1 attempt"
    _fill_editor(page, HALF_RIGHT)
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_text("1 of 5 tests passed", exact=True).wait_for()
    assert page.locator("[data-attempts-badge]").inner_text() == "2 attempts"

    # Reopened: the last results are there, with when they were made.
    page.reload()
    results = page.locator("#results")
    results.get_by_text("1 of 5 tests passed", exact=True).wait_for()
    assert results.get_by_text("Your last submission").is_visible()
    assert results.get_by_text("Variable population not found").is_visible()
    assert results.get_by_text("hidden check:").count() == 2
    assert page.locator("[data-attempts-badge]").inner_text() == "2 attempts"
    results.scroll_into_view_if_needed()
    viewport_shot(page, "42-reopened-results-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    results.scroll_into_view_if_needed()
    viewport_shot(page, "43-reopened-results-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_rate_limit_message_appears_beside_the_previous_results(serve_app, browser):
    server = serve_app(SUBMISSIONS_PER_MINUTE=1, RUNS_PER_MINUTE=1)
    # Not the `page` fixture: its check counts the 429s this test asks for as errors.
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    try:
        _rate_limited_journey(server, page)
    finally:
        context.close()
    assert not script_errors


def _rate_limited_journey(server, page) -> None:
    log_in_learner(server, page)
    page.goto(server.url + LESSON)
    _fill_editor(page, HALF_RIGHT)
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_text("1 of 5 tests passed", exact=True).wait_for()
    page.get_by_role("button", name="Run the tests").click()
    alert = page.locator("#results [role=alert]")
    alert.wait_for()
    assert "1 submissions in the last minute" in alert.inner_text()
    assert page.get_by_text("1 of 5 tests passed", exact=True).is_visible()  # the results stay
    assert page.get_by_label("Your code").input_value() == HALF_RIGHT
    assert page.get_by_role("button", name="Run the tests").is_enabled()

    page.get_by_role("button", name="Run code").click()
    page.locator("#output pre.console", has_text="checking Oslo").wait_for()
    page.get_by_role("button", name="Run code").click()
    page.locator("#output [role=alert]").wait_for()
    assert "run your code 1 times" in page.locator("#output [role=alert]").inner_text()
    assert page.locator("#output pre.console").inner_text() == "checking Oslo\n"  # the output stays
    viewport_shot(page, "44-rate-limited-beside-results-1280")


def test_run_code_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    try:
        log_in_learner(live_server, page)
        page.goto(live_server.url + LESSON)
        _fill_editor(page, GREETER)
        page.get_by_text("Input for input()").click()
        page.get_by_label("Text your program reads").fill("Lin\nOslo")
        page.get_by_role("button", name="Run code").click()
        page.locator("#output pre.console", has_text="Hello Lin from Oslo!").wait_for()
        assert page.get_by_label("Your code").input_value() == GREETER  # kept
        assert page.get_by_label("Text your program reads").input_value() == "Lin\nOslo"
        viewport_shot(page, "45-no-js-run-output")
    finally:
        context.close()

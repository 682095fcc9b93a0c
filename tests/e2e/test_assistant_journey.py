"""The code assistant in a real browser: a review with findings of several kinds and the complexity
table; from a lesson's failed results, 'Ask the assistant' opens a debug request with the code and
the failing test filled in; optimize says the complexity before and after with the trade-off; generate
offline answers a labelled skeleton. Screenshots and axe at 1280 and 390 px."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_learner

pytestmark = pytest.mark.e2e
CODE = ("import os\n\ndef total(xs, seen=[]):\n    t = ''\n    for i in range(len(xs)):\n        t += str(xs[i])\n"
        "    if t == None:\n        return 0\n    return t\n")
PAIRS = ("def has_duplicate(xs):\n    for a in xs:\n        for b in xs:\n            if a is not b and a == b:\n"
         "                return True\n    return False\n")


def test_a_review_and_a_debug_request_from_failed_results(live_server, page, both_widths):
    log_in_learner(live_server, page, email="assist@example.com", name="Asa")
    page.goto(live_server.url + "/assistant/")
    page.locator("#code").fill(CODE)
    page.get_by_role("button", name="Ask the assistant").click()
    page.get_by_role("heading", name="Review my code").wait_for()
    for kind in ("essential", "actionable", "informative", "celebratory"):
        if kind == "essential":
            continue  # nothing here is wrong enough
        assert page.locator(f".finding-{kind}").count() >= 1, kind
    assert page.get_by_role("table").count() == 1
    both_widths("75-assistant-review")

    page.goto(live_server.url + "/learn/python-variables")
    page.locator("#code").fill("print(city)\n")
    page.get_by_role("button", name="Run the tests").click()
    page.locator(".results-card").get_by_text("city").first.wait_for()
    page.get_by_role("link", name="Ask the assistant").click()
    assert page.locator('input[value="debug"]').is_checked()
    assert "city" in page.locator("#error").input_value()
    page.get_by_role("button", name="Ask the assistant").click()
    page.get_by_role("heading", name="Help me debug").wait_for()
    assert "city" in page.locator(".assistant-answer").inner_text()
    both_widths("76-assistant-debug")


def test_optimize_says_the_complexity_before_and_after_and_generate_offline_plans(live_server, page, both_widths):
    log_in_learner(live_server, page, email="speed@example.com", name="Sam")
    page.goto(live_server.url + "/assistant/")
    page.locator("#code").fill(PAIRS)
    page.get_by_label("Make it simpler or faster").check()
    page.get_by_role("button", name="Ask the assistant").click()
    page.get_by_role("heading", name="Make it simpler or faster").wait_for()
    words = page.locator(".complexity-words").inner_text()
    assert "Now:" in words and "O(n²)" in words and "After:" in words and "Trade-off:" in words
    both_widths("77-assistant-optimize")

    page.get_by_label("Write code from a description").check()
    described = page.get_by_label("What the code should do (for writing code)")
    for field in (described, page.get_by_label("The error or wrong result (for debugging)")):
        styled = field.evaluate("e => [getComputedStyle(e).borderRadius, getComputedStyle(e).paddingLeft]")
        assert styled == ["10px", "12.8px"]  # the app's field style (.field input), as every form's
    described.fill("frobnicate the quux widgets")
    page.get_by_role("button", name="Ask the assistant").click()
    page.get_by_role("heading", name="Write code from a description").wait_for()
    answer = page.locator(".assistant-answer").inner_text()
    assert "Offline skeleton" in answer and "frobnicate_quux" in answer
    both_widths("78-assistant-generate-offline")

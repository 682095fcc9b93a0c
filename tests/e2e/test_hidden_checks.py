"""A learner who types in the answers the tests show: the visible tests pass, the hidden checks say
which behaviour failed (never the input or the expected value), and the lesson stays open."""

from tests.e2e.conftest import log_in_learner, screenshot, viewport_shot

TYPED_IN = ("guests = 23\nslices_per_guest = 3\nslices_per_pizza = 8\n\nslices_needed = 69\npizzas = 9\n"
            "leftover_slices = 3\nprice_per_pizza = 12.5\ncost_per_guest = 4.89\n")


def test_typed_in_answers_pass_the_visible_tests_but_not_the_hidden_checks(live_server, page):
    log_in_learner(live_server, page)
    page.goto(live_server.url + "/learn/python-numbers")
    page.get_by_label("Your code").fill(TYPED_IN)
    page.get_by_role("button", name="Run the tests").click()
    results = page.locator("#results")
    results.get_by_text("hidden check:").first.wait_for()
    assert results.locator(".test-pass").count() == 4  # every visible test
    hidden = results.locator(".test-fail")
    assert hidden.count() >= 1
    text = results.inner_text()
    assert "A hidden test with" in text and "Lesson complete" not in text
    for secret in ("31", "62", "rerun"):  # the hidden inputs and what they should give
        assert secret not in text
    screenshot(page, "50-hidden-checks-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    results.scroll_into_view_if_needed()
    viewport_shot(page, "51-hidden-checks-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

"""The core learning loop in a real browser: log in -> first Python lesson -> the starter fails ->
a hint -> a solution typed with the keyboard -> complete -> next lesson offered -> progress shown."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, outbox
from tests.e2e.conftest import log_in_learner as _learner
from tests.e2e.conftest import screenshot
from tests.e2e.conftest import viewport_shot as _viewport_shot

pytestmark = pytest.mark.e2e


def test_learning_journey(live_server, page):
    _learner(live_server, page)
    page.get_by_role("link", name="Learn", exact=True).click()
    page.get_by_role("heading", name="Learn Python, one runnable step at a time").wait_for()
    assert page.get_by_text("0 of 33 lessons done").count() == 1
    screenshot(page, "20-catalogue-start")

    page.get_by_role("link", name="Start: Variables and data types").click()
    page.get_by_role("heading", name="Variables and data types", level=1).wait_for()
    editor = page.get_by_label("Your code")
    assert "Create your three variables" in editor.input_value()
    screenshot(page, "21-lesson")

    # The starter fails: the failing test's message is shown next to the editor.
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_text("0 of 5 tests passed", exact=True).wait_for()
    page.get_by_text("Variable city not found").wait_for()
    assert page.get_by_label("Your code").input_value().startswith("# Create your three variables")
    screenshot(page, "22-starter-fails")
    _viewport_shot(page, "22-starter-fails-view")

    page.get_by_role("button", name="Show a hint (1 of 3)").click()
    page.get_by_text("A variable is created the moment you assign to it").wait_for()
    assert page.evaluate("document.activeElement.id") == "hint-1"
    page.get_by_role("button", name="Show a hint (2 of 3)").wait_for()

    # Type a solution with the keyboard; Enter after a colon indents the next line by itself.
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("city = 'Lisbon'")
    page.keyboard.press("Enter")
    page.keyboard.type("population = 545000")
    page.keyboard.press("Enter")
    page.keyboard.type("if population > 0:")
    page.keyboard.press("Enter")
    page.keyboard.type("is_capital = True")
    assert editor.input_value() == "city = 'Lisbon'\npopulation = 545000\nif population > 0:\n    is_capital = True"
    page.keyboard.press("Shift+Tab")  # outdent the line again
    assert editor.input_value().endswith("\nis_capital = True")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")  # and indent it from the start of the line
    assert editor.input_value().endswith("\n    is_capital = True")
    screenshot(page, "23-typed-solution")

    page.keyboard.press("Control+Enter")
    page.get_by_role("heading", name="Lesson complete!").wait_for()
    page.get_by_text("5 of 5 tests passed", exact=True).wait_for()
    assert page.get_by_text("What you learned:").count() == 1
    next_link = page.get_by_role("link", name="Next lesson: Numbers and arithmetic →")
    next_link.wait_for()
    screenshot(page, "24-lesson-complete")
    _viewport_shot(page, "24-lesson-complete-view")

    # Escape then Tab leaves the editor: no keyboard trap.
    editor.focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") != "code"
    editor.focus()
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+Tab")  # and backwards
    assert page.evaluate("document.activeElement.id") != "code"
    assert editor.input_value().endswith("\n    is_capital = True")  # nothing was outdented

    # Coming back: the code and the revealed hint are still there.
    page.reload()
    assert page.get_by_label("Your code").input_value().endswith("\n    is_capital = True")
    page.get_by_text("A variable is created the moment you assign to it").wait_for()
    page.get_by_text("Completed", exact=True).wait_for()

    page.get_by_role("link", name="Learn", exact=True).click()
    page.get_by_text("1 of 33 lessons done").wait_for()
    page.get_by_role("link", name="Continue: Numbers and arithmetic").wait_for()
    screenshot(page, "25-catalogue-progress")

    next_url = live_server.url + "/learn/python-numbers"
    page.goto(next_url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("heading", name="Numbers and arithmetic", level=1).wait_for()
    screenshot(page, "26-lesson-mobile")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.get_by_label("Your code").scroll_into_view_if_needed()
    _viewport_shot(page, "26-lesson-mobile-editor-view")
    page.goto(live_server.url + "/learn/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _viewport_shot(page, "30-catalogue-mobile-view")


def test_lesson_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    try:
        _learner(live_server, page)
        page.goto(live_server.url + "/learn/python-variables")
        page.get_by_label("Your code").fill("city = 'Porto'\npopulation = 230000\nis_capital = False\n")
        page.get_by_role("button", name="Run the tests").click()
        page.get_by_role("heading", name="Lesson complete!").wait_for()
        assert page.get_by_label("Your code").input_value().startswith("city = 'Porto'")
        _viewport_shot(page, "27-no-js-complete-view")
    finally:
        context.close()


def test_autosave_restores_the_draft_and_reset_asks_first(live_server, page):
    _learner(live_server, page)
    page.goto(live_server.url + "/learn/python-strings")
    editor = page.get_by_label("Your code")
    starter = editor.input_value()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nnote = 'autosaved'")
    page.get_by_text("Draft saved", exact=True).wait_for()  # debounced autosave, no button pressed
    page.reload()
    assert editor.input_value().endswith("note = 'autosaved'")
    page.get_by_text("Draft restored", exact=True).wait_for()

    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Reset to starter").click()
    assert editor.input_value().endswith("note = 'autosaved'")  # dismissed: nothing changed
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset to starter").click()
    page.get_by_text("Back to the starter code", exact=True).wait_for()
    assert editor.input_value() == starter
    page.reload()
    assert editor.input_value() == starter


def test_hint_ladder_then_an_ai_hint_that_says_who_answered(live_server, page):
    _learner(live_server, page)
    page.goto(live_server.url + "/learn/python-variables")
    page.get_by_label("Your code").fill("city = 42\n")
    page.get_by_role("button", name="Run the tests").click()
    page.get_by_text("city should be a string").wait_for()
    for number in (1, 2, 3):
        page.get_by_role("button", name=f"Show a hint ({number} of 3)").click()
        page.locator(f"#hint-{number}").wait_for()
    page.get_by_role("button", name="Ask for an AI hint (2 left)").click()
    page.locator("#ai-hint").wait_for()
    assert page.locator("#ai-hint").get_by_text("Answered by the offline assistant.").count() == 1
    page.get_by_role("button", name="Ask for an AI hint (1 left)").wait_for()
    page.locator("#hints").scroll_into_view_if_needed()
    _viewport_shot(page, "28-hints-and-ai-hint-view")


def test_a_topic_request_shows_progress_then_the_nearest_lesson(live_server, page):
    _learner(live_server, page)
    page.goto(live_server.url + "/learn/")
    page.get_by_label("Topic").fill("while loops with break")
    page.get_by_label("Level").select_option("beginner")
    page.get_by_role("button", name="Find a lesson").click()
    page.get_by_role("heading", name="Loops: for and while", level=1).wait_for()
    page.get_by_text("closest lesson from the library").wait_for()
    screenshot(page, "29-topic-nearest-lesson")


def test_a_newcomer_signs_up_and_completes_three_lessons(live_server, page):
    """The issue's bar: from sign-up through three lessons, each solved in the editor and graded."""
    page.goto(live_server.url + "/register")
    page.get_by_label("Your name (optional)").fill("Lin")
    page.get_by_label("Email").fill("lin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    link = next(word for word in outbox(live_server.app)[-1]["text"].split() if "/verify/" in word)
    page.goto(link)
    page.get_by_role("button", name="Confirm my email address").click()
    page.get_by_label("Email").fill("lin@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Hello, Lin!").wait_for()

    library = live_server.app.extensions["codelearn.lesson_library"]
    page.get_by_role("link", name="Start: Variables and data types").click()
    titles = []
    for number in range(1, 4):
        heading = page.get_by_role("heading", level=1)
        heading.wait_for()
        titles.append(heading.inner_text())
        lesson = next(item for item in library.all() if item.title == titles[-1])
        page.get_by_label("Your code").fill(lesson.solution)
        page.get_by_role("button", name="Run the tests").click()
        page.get_by_role("heading", name="Lesson complete!").wait_for()
        if number < 3:
            page.get_by_role("link", name="Next lesson:").first.click()
    assert len(set(titles)) == 3

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_text("of 33 Python lessons done").wait_for()
    assert page.get_by_text("3 of 33 Python lessons done").count() == 1
    screenshot(page, "31-dashboard-three-lessons")

"""The lesson page's layout in a real browser: the starter and the lesson's code samples fit their
panes (long lines wrap, nothing is cut off at the right), the editor's highlighted overlay wraps
exactly as the textarea does, and the breadcrumb lines up with the header's logo."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in_learner, screenshot, viewport_shot

pytestmark = pytest.mark.e2e

# The longest starter line (85 characters) and the longest lines in code samples.
LESSONS = ("python-memoization", "python-regular-expressions", "python-functions")
WIDTHS = (1280, 390)


def _clipped(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('.prose pre, #code, .editor-highlight')]
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(el => (el.id || el.className) + ' ' + el.scrollWidth + '>' + el.clientWidth)""")


def _overlay_mismatch(page) -> list[str]:
    """Row by row, the overlay's line blocks start where the textarea draws the same text: compared
    by height (every wrapped row counts) and by where a caret after each line's last character sits."""
    return page.evaluate("""() => {
        const textarea = document.getElementById('code');
        const code = document.querySelector('[data-highlight]');
        const problems = [];
        const heightOf = (el) => el.getBoundingClientRect().height;
        if (Math.abs(heightOf(code) + 24 - textarea.scrollHeight) > 26) {
          problems.push('overlay ' + heightOf(code) + ' vs textarea ' + textarea.scrollHeight);
        }
        // the number of visual rows of each logical line, from the overlay, against a mirror of
        // the textarea (same width, font and wrapping) built from the same text
        const mirror = document.createElement('div');
        const style = getComputedStyle(textarea);
        for (const p of ['font', 'tabSize', 'padding', 'whiteSpace', 'overflowWrap', 'wordBreak', 'letterSpacing',
                         'boxSizing', 'width', 'border']) mirror.style[p] = style[p];
        mirror.style.position = 'absolute'; mirror.style.visibility = 'hidden';
        textarea.parentElement.appendChild(mirror);
        const lineHeight = parseFloat(style.lineHeight);
        textarea.value.split('\\n').forEach((line, i) => {
          mirror.textContent = line + '\\n';
          const inner = mirror.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
          const rows = Math.round(inner / lineHeight);
          const block = code.children[i];
          const overlayRows = block ? Math.round(heightOf(block) / lineHeight) : -1;
          if (rows !== overlayRows) {
            problems.push('line ' + (i + 1) + ': textarea ' + rows + ' rows, overlay ' + overlayRows);
          }
        });
        mirror.remove();
        return problems;
    }""")


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_starter_and_samples_fit_their_panes(live_server, page, lesson_id):
    log_in_learner(live_server, page)
    page.goto(f"{live_server.url}/learn/{lesson_id}")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 860})
        assert not _clipped(page), f"at {width} px"
        assert not _overlay_mismatch(page), f"at {width} px"
        wrapped = page.evaluate("""() => [...document.querySelectorAll('[data-highlight] .ln')]
            .some(el => el.getBoundingClientRect().height > 30)""")
        assert wrapped, "the longest starter line should wrap at this width"
    page.set_viewport_size({"width": 1280, "height": 860})
    page.get_by_label("Your code").scroll_into_view_if_needed()
    viewport_shot(page, f"41-editor-wrapped-{lesson_id}")


def test_typing_in_a_wrapped_line_keeps_the_overlay_in_step(live_server, page):
    log_in_learner(live_server, page)
    page.goto(f"{live_server.url}/learn/python-memoization")
    editor = page.get_by_label("Your code")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# " + "a long comment that keeps going " * 6)
    page.keyboard.press("Enter")
    page.keyboard.type("x = 1")
    assert not _overlay_mismatch(page)
    assert not _clipped(page)


def test_breadcrumb_lines_up_with_the_logo(live_server, page):
    log_in_learner(live_server, page)
    page.goto(f"{live_server.url}/learn/python-variables")
    for width in (1280, 1600, 390):
        page.set_viewport_size({"width": width, "height": 860})
        logo = page.locator(".brand").bounding_box()["x"]
        crumb = page.locator(".breadcrumb").bounding_box()["x"]
        lesson = page.locator(".lesson-text").bounding_box()["x"]
        assert abs(crumb - logo) <= 1, f"at {width} px: breadcrumb at {crumb}, logo at {logo}"
        assert abs(lesson - logo) <= 1, f"at {width} px: lesson text at {lesson}, logo at {logo}"
    page.set_viewport_size({"width": 1280, "height": 860})
    screenshot(page, "42-lesson-aligned")

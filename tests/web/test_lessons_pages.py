"""The catalogue and lesson pages: statuses, rendering, safety of the markup, 404s, topic lookups."""

from __future__ import annotations

import re
from pathlib import Path

from services.lessons.rendering import LessonRenderer, pygments_css
from tests.web.lessons_helpers import LESSON, SOLUTION, post_form, post_json

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_learning_pages_need_a_login(client):
    response = client.get("/learn/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(f"/learn/{LESSON}").status_code == 302


def test_catalogue_lists_the_track_by_level_with_statuses(client, learner):
    page = client.get("/learn/").get_data(as_text=True)
    assert page.count('class="lesson-card ') == 33
    assert [h for h in re.findall(r'<h2 id="level-(\w+)"', page)] == ["beginner", "intermediate", "advanced"]
    assert "0</strong> of 33 lessons done" in page
    assert "Start: Variables and data types" in page
    assert "Up next" in page and "Builds on: " in page
    assert 'aria-current="page">Learn</a>' in page.replace("\n", "")


def test_progress_moves_the_next_lesson_and_the_statuses(app, client, learner):
    post_json(client, f"/learn/{LESSON}/submit", {"code": SOLUTION})
    page = client.get("/learn/").get_data(as_text=True)
    assert "1</strong> of 33 lessons done" in page
    assert "Continue: Numbers and arithmetic" in page
    card = re.search(r'<li class="lesson-card status-done">.*?</li>', page, re.S).group(0)
    assert "Variables and data types" in card and "Done" in card
    assert client.get("/learn/continue").headers["Location"].endswith("/learn/python-numbers")
    again = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    # The passing results are shown again, with the way on.
    assert "All tests pass!" in again and "Next lesson: Numbers and arithmetic" in again
    dashboard = client.get("/dashboard").get_data(as_text=True)
    # The dashboard's button is the first recommendation.
    assert "Next lesson: Numbers and arithmetic" in dashboard and "1</strong> of 33" in dashboard


def test_lesson_page_renders_markdown_highlighting_and_the_editor(client, learner, app):
    response = client.get(f"/learn/{LESSON}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 id="lesson-title">Variables and data types</h1>' in page
    assert ">Creating Variables</h2>" in page  # lesson headings start below the page's h1 (its own
    # leading "# Variables in Python" is left out: the page's h1 is the title)
    assert ('<pre class="highlight"><code class="language-python"><span class="line indent-0">'
            '<span class="c1"># String variable</span>\n</span>') in page  # a span per line: long ones wrap
    assert '<label for="code" class="editor-label">Your code</label>' in page
    assert "# Create your three variables below:" in page  # the starter in the textarea
    lesson = app.extensions["codelearn.lesson_library"].get(LESSON)
    assert lesson.solution.strip() not in page and "Lisbon" not in page  # the solution never leaves
    assert "Show a hint (1 of 3)" in page
    assert "Esc</kbd> then <kbd>Tab</kbd>" in page


def test_no_inline_script_or_style_and_only_local_assets(client, learner):
    page = client.get(f"/learn/{LESSON}").get_data(as_text=True)
    assert " style=" not in page and "<style" not in page
    assert all(re.search(r'src="/static/', tag) for tag in re.findall(r"<script[^>]*>", page))
    assert not re.search(r'(href|src)="(https?:)?//', page)


def test_unknown_lessons_are_404_pages_and_json(client, learner):
    response = client.get("/learn/python-nothing-here")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    submitted = post_json(client, "/learn/python-nothing-here/submit", {"code": "x = 1"})
    assert submitted.status_code == 404 and submitted.json["error"]["status"] == 404
    assert post_json(client, "/learn/python-nothing-here/draft", {"code": "x"}).status_code == 404


def test_the_pygments_stylesheet_is_served_and_in_step():
    served = (STATIC / "css" / "pygments.css").read_text(encoding="utf-8")
    assert pygments_css() in served
    assert "pre {" not in served  # no global rules leaking onto the editor


def test_untrusted_markdown_is_sanitised():
    html = LessonRenderer().markdown(
        '<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n'
        '```python\nprint("<b>")\n```')
    assert "<script" not in html and "<img" not in html and "href=\"javascript" not in html
    assert "&lt;b&gt;" in html


def test_a_topic_in_the_library_opens_that_lesson(client, learner):
    response = post_form(client, "/learn/topic", {"level": "beginner", "topic": "Loops: for and while"})
    assert response.headers["Location"].endswith("/learn/python-loops?via=topic")


def test_an_unknown_topic_without_ai_opens_the_nearest_lesson_with_a_note(client, learner):
    response = post_form(client, "/learn/topic", {"level": "beginner", "topic": "while loops with break"})
    assert response.headers["Location"].endswith("/learn/python-loops?via=topic")
    page = client.get("/learn/python-loops").get_data(as_text=True)
    assert "closest lesson from the library" in page
    bad = post_form(client, "/learn/topic", {"level": "beginner", "topic": "<script> tags"})
    assert bad.status_code == 302 and "letters, digits" in client.get("/learn/").get_data(as_text=True)


def test_a_generated_lesson_in_the_cache_is_served_and_graded(app, client, learner):
    from datetime import UTC, datetime, timedelta

    from dal.base import LessonCacheEntry

    store = app.extensions["codelearn.store"]
    loops = app.extensions["codelearn.lesson_library"].get("python-loops").to_dict()
    content = {**loops, "id": "ai-while-loops", "title": "While loops, written by AI", "source": "ai"}
    now = datetime.now(UTC)
    store.put_cached_lesson(LessonCacheEntry("lesson:python:beginner:while-loops", content, "ai", now,
                                             now + timedelta(days=90), model="test-model"))
    page = client.get("/learn/ai-python-beginner-while-loops").get_data(as_text=True)
    assert "While loops, written by AI" in page and "Written by AI, checked by its tests" in page
    result = post_json(client, "/learn/ai-python-beginner-while-loops/submit", {"code": loops["solution"]}).json
    assert result["status"] == "pass" and result["completed_now"] is True
    assert client.get("/learn/ai-python-beginner-nothing").status_code == 404


def test_lesson_views_are_counted_once_for_the_cost_report(app, client, learner):
    from datetime import UTC, datetime

    from services.ai.cost_report import LESSON_VIEWS
    from tests.conftest import csrf_token

    def views() -> dict[str, int]:
        today = datetime.now(UTC).date()
        rows = app.extensions["codelearn.store"].list_usage(today, today)
        return {r.model: r.calls for r in rows if r.feature == LESSON_VIEWS}

    token = csrf_token(client, "/learn/")  # the catalogue is not a lesson view
    client.get(f"/learn/{LESSON}")
    client.get(f"/learn/{LESSON}")
    assert views() == {"library": 2}
    topic = {"csrf_token": token, "level": "beginner", "topic": "Functions"}
    client.get(client.post("/learn/topic", data=topic).headers["Location"])  # lookup + its page: one view
    assert views() == {"library": 3}
    client.post("/learn/topic", data=topic)
    assert views() == {"library": 3, "cache": 1}  # the second lookup is a cache hit
    client.post(f"/learn/{LESSON}/submit", data={"csrf_token": token, "code": SOLUTION})
    assert sum(views().values()) == 4  # a submission is not a view

"""The admin pages in a real browser (issue 17, item 6): the cost page's empty state and styled budget
field, the content check's status, the lesson cache (invalidating an entry), the answer gate's refusals
and the audit trail with who did what. Each page at 1280 and 390 px: screenshots kept, axe finds
nothing serious, nothing scrolls sideways. A learner gets 403."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dal.admin import GateRejection
from dal.base import LessonCacheEntry
from services.admin.content_status import record_check
from services.clock import utcnow
from services.lessons.check import CheckResult
from services.lessons.library import FileProblem
from tests.e2e.conftest import log_in_learner

pytestmark = pytest.mark.e2e


def _seed(app) -> None:
    store = app.extensions["codelearn.store"]
    now = utcnow()
    for key, hits in (("explain:variables:new", 12), ("explain:loops:developing", 3), ("quiz:variables", 7)):
        store.put_cached_lesson(LessonCacheEntry(key, {"explanation": "x", "questions": []}, "ai", now,
                                                 now + timedelta(days=30), model="us.amazon.nova-lite-v1:0",
                                                 cost_usd=0.00042, hit_count=hits))
    store.add_gate_rejection(GateRejection(
        now - timedelta(minutes=5), now + timedelta(days=30), "hint", "python-variables", "code-block",
        "contains a code block longer than one line",
        "Try this:\n```python\ncity = 'Lisbon'\npopulation = 545000\nis_capital = True\n```"))
    store.add_gate_rejection(GateRejection(
        now - timedelta(minutes=2), now + timedelta(days=30), "explain", "python-loops", "passes-tests",
        "its code passes every test the learner's code fails", "A loop like `for n in nums: total += n` ..."))
    problem = FileProblem("lessons/python/advanced/decorators.json", "python-decorators",
                          "its reference observations are missing or stale: run `flask lessons references`")
    record_check(store, CheckResult(33, [problem], 14, 0), app.config["LESSONS_DIR"], ran_at=now - timedelta(hours=3),
                 seconds=142.3)


def test_an_admin_walks_the_admin_pages(live_server, page, browser, both_widths):
    app = live_server.app
    store = app.extensions["codelearn.store"]
    _seed(app)
    log_in_learner(live_server, page, email="root@example.com", name="Root")
    store.update_user(store.get_user_by_email("root@example.com").id, role="admin")

    page.goto(live_server.url + "/admin/cost")
    page.get_by_text("Nothing spent on models in the last").wait_for()
    assert page.locator("svg.chart").count() == 0
    budget = page.get_by_label("Monthly budget (USD)")
    styled = budget.evaluate("e => [getComputedStyle(e).borderRadius, getComputedStyle(e).paddingLeft]")
    assert styled == ["10px", "12.8px"]  # the app's field style (.field input)
    budget.fill("30")
    page.get_by_role("button", name="Save budget").click()
    page.get_by_text("Monthly budget saved.").wait_for()
    both_widths("80-admin-cost")

    page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Content check").click()
    page.get_by_role("heading", name="Last check").wait_for()
    assert page.get_by_text("current for this content", exact=True).count() == 1
    assert page.get_by_text("python-decorators").count() >= 1
    both_widths("81-admin-content")
    page.get_by_text("Lesson by lesson (33)").click()  # closed while every lesson is current
    page.get_by_role("cell", name="Variables and data types python-variables").wait_for()
    both_widths("81-admin-content-lessons")

    page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Lesson cache").click()
    page.get_by_role("heading", name="Entries", exact=True).wait_for()
    assert page.locator("td[data-label=Hits]").all_inner_texts() == ["3", "12", "7"]
    both_widths("82-admin-cache")
    page.get_by_role("button", name="Invalidate quiz:variables").click()
    page.get_by_text("Invalidated quiz:variables").wait_for()
    assert page.get_by_role("button", name="Invalidate quiz:variables").count() == 0

    page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Answer gate").click()
    page.get_by_role("heading", name="Recent refusals").wait_for()
    assert page.locator("td[data-label=Task]").all_inner_texts() == ["explain", "hint"]  # newest first
    for summary in page.get_by_text("Refused text").all():
        summary.click()
    page.get_by_text("population = 545000").wait_for()
    both_widths("83-admin-gate")

    page.get_by_role("navigation", name="Admin pages").get_by_role("link", name="Audit").click()
    page.get_by_role("heading", name="Admin actions").wait_for()
    rows = page.locator("tbody tr").all_inner_texts()
    assert "invalidated the cache entry" in rows[0] and "root@example.com" in rows[0]
    assert "set the monthly AI budget" in rows[1] and "30.00 USD" in rows[1]
    both_widths("84-admin-audit")

    learner_context = browser.new_context()
    learner_page = learner_context.new_page()
    log_in_learner(live_server, learner_page, email="dana@example.com", name="Dana")
    response = learner_page.goto(live_server.url + "/admin/cache")
    assert response.status == 403
    learner_context.close()

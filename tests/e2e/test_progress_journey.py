"""Progress in a real browser: a learner with seeded history sees the streak, heat map, achievements
and recent activity; changes time zone and sees the streak recomputed; downloads their data; deletes
the account (a wrong confirmation first) and cannot log in again. Screenshots at 1280 and 390 px; axe
finds nothing serious; nothing scrolls sideways (issue 17)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from dal.base import ActivityEvent
from tests.conftest import PASSWORD
from tests.e2e.conftest import log_in_learner, screenshot
from tests.e2e.test_tutor_journey import both_widths

pytestmark = pytest.mark.e2e


def test_a_learner_with_history_sees_progress_changes_zone_exports_and_deletes(live_server, page):
    app = live_server.app
    store = app.extensions["codelearn.store"]
    recorder = app.extensions["codelearn.progress_recorder"]
    log_in_learner(live_server, page, email="chiara@example.com", name="Chiara")
    user = store.get_user_by_email("chiara@example.com")
    # A history: a few sessions a week over four months, then yesterday late evening and just after
    # midnight UTC (two days in UTC, one evening in New York).
    now = datetime.now(UTC)
    for days_ago in range(120, 2, -1):
        if days_ago % 3 == 0 or days_ago < 12:
            for minute in range(0, 10 * (days_ago % 4 + 1), 5):
                recorder.record(ActivityEvent(user.id, now - timedelta(days=days_ago, minutes=-minute), "attempt",
                                              {"lesson_id": "python-variables", "status": "fail", "passed": 1,
                                               "total": 3}))
    late = (now - timedelta(days=1)).replace(hour=23, minute=30)
    for at, kind in ((late, "attempt"), (late + timedelta(minutes=5), "completion"),
                     (late + timedelta(hours=1), "run")):
        recorder.record(ActivityEvent(user.id, at, kind, {"lesson_id": "python-variables", "attempts": 1,
                                                          "status": "pass", "passed": 3, "total": 3}))
    concepts = [c.id for c in app.extensions["codelearn.tutor"].concepts.all()][:5]
    app.extensions["codelearn.tutor"].skills.record_quiz(user.id, [((c,), True, 4) for c in concepts], 1.0)
    page.goto(live_server.url + "/dashboard")
    page.get_by_role("heading", name="Your streak").wait_for()
    assert page.locator(".skill-summary li").count() == 5
    utc_streak = page.locator(".stat").first.inner_text()
    assert page.locator("svg.heat-map rect").count() >= 365
    assert page.locator(".achievement.earned").count() >= 2
    assert page.get_by_text("Completed Variables").count() + page.get_by_text("Completed ").count() >= 1
    page.get_by_text("Activity by month (text)").click()
    both_widths(page, "70-dashboard")

    page.get_by_role("link", name="Change it").click()
    page.get_by_label("Time zone").fill("Mars/Olympus")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("is not a time zone we know").first.wait_for()
    both_widths(page, "71-profile-error")
    page.get_by_label("Time zone").fill("America/New_York")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    page.goto(live_server.url + "/dashboard")
    assert "America/New_York" in page.locator(".progress-summary").inner_text()
    assert page.locator(".stat").first.inner_text() != utc_streak  # the late evening is one day there

    page.goto(live_server.url + "/account/profile")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download all my data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == "chiara@example.com" and data["items"]["activity_events"]

    page.get_by_role("link", name="Delete my account…").click()
    page.get_by_label("Type DELETE to confirm").fill("delete")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    page.get_by_text("Type DELETE in capitals").first.wait_for()
    both_widths(page, "72-delete-refused")
    assert store.get_user(user.id) is not None
    page.get_by_label("Type DELETE to confirm").fill("DELETE")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account for good").click()
    page.get_by_text("Your account and everything stored about you are deleted.").wait_for()
    screenshot(page, "73-deleted-1280")
    assert store.get_user(user.id) is None
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill("chiara@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Log in").wait_for()
    assert page.get_by_role("heading", name="Hello, Chiara!").count() == 0


def test_an_admin_finds_and_disables_a_learner_who_is_logged_out(live_server, page, browser):
    app = live_server.app
    store = app.extensions["codelearn.store"]
    log_in_learner(live_server, page, email="root@example.com", name="Root")
    store.update_user(store.get_user_by_email("root@example.com").id, role="admin")
    learner_context = browser.new_context()
    learner_page = learner_context.new_page()
    log_in_learner(live_server, learner_page, email="dana@example.com", name="Dana")
    page.goto(live_server.url + "/admin/users")
    page.get_by_role("heading", name="Newest first").wait_for()
    both_widths(page, "74-admin-users")
    page.get_by_label("Find an account by email").fill("dana@example.com")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Disable dana@example.com").click()
    page.get_by_text("dana@example.com is disabled and logged out everywhere.").wait_for()
    both_widths(page, "75-admin-disabled")
    learner_page.goto(live_server.url + "/dashboard")
    learner_page.get_by_role("heading", name="Log in").wait_for()  # the learner's session ended
    learner_context.close()

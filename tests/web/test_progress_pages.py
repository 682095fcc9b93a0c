"""The progress pages through the app: the dashboard's streak, heat map, achievements and recent
activity from seeded history; the time zone changing the streak; profile errors; the data export;
account deletion; `flask progress backfill` (issue 17)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from dal.base import ActivityEvent
from tests.conftest import PASSWORD, csrf_token, login, verified_learner


def _record(app, user_id: str, at: datetime, kind: str = "attempt", **detail) -> None:
    app.extensions["codelearn.progress_recorder"].record(ActivityEvent(user_id, at, kind, detail))


def _streak(html: str) -> tuple[int, int]:
    current = re.search(r"Current streak</dt><dd><strong>(\d+)", html).group(1)
    longest = re.search(r"Longest streak</dt><dd><strong>(\d+)", html).group(1)
    return int(current), int(longest)


def test_the_dashboard_shows_streak_heat_map_achievements_and_recent_activity(app, client, learner):
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for days_ago in range(4, -1, -1):  # five days in a row, up to today
        _record(app, learner.id, today - timedelta(days=days_ago), lesson_id="python-variables", status="fail",
                passed=1, total=3)
    _record(app, learner.id, today - timedelta(days=30), lesson_id="python-variables")  # an older, lone day
    _record(app, learner.id, today + timedelta(minutes=5), "completion", lesson_id="python-variables",
            attempts=1, assisted=False)
    html = client.get("/dashboard").get_data(as_text=True)
    assert _streak(html) == (5, 5)
    assert '<svg class="heat-map"' in html and html.count('<rect class="heat-') >= 365
    assert 'class="heat-0"' in html and 'class="heat-4"' in html
    assert "Activity by month (text)" in html and f"{today:%b %Y}" in html
    assert re.search(r"First steps</span>\s*<span class=\"small\">Earned", html)
    assert re.search(r"Three in a row</span>\s*<span class=\"small\">Earned", html)
    assert "Learn on 7 days in a row. (5 of 7)" in html
    assert "Completed Variables" in html or "Completed " in html
    assert "Submitted" in html and "1 of 3 tests passed" in html
    assert "Beginner" in html and "Completion by level" in html


def test_a_time_zone_change_recomputes_the_streak_without_rewriting_anything(app, client, learner):
    evening = (datetime.now(UTC) - timedelta(days=1)).replace(hour=23, minute=30, second=0, microsecond=0)
    _record(app, learner.id, evening)  # 23:30 UTC yesterday and 00:30 UTC today: two days in UTC...
    _record(app, learner.id, evening + timedelta(hours=1))
    assert _streak(client.get("/dashboard").get_data(as_text=True)) == (2, 2)
    token = csrf_token(client, "/account/profile")
    response = client.post("/account/profile", data={"csrf_token": token, "display_name": "Ada",
                                                     "time_zone": "America/New_York"})
    assert response.status_code == 302
    html = client.get("/dashboard").get_data(as_text=True)  # ... one evening in New York
    assert _streak(html) == (1, 1) and "America/New_York" in html
    client.post("/account/profile", data={"csrf_token": token, "display_name": "Ada", "time_zone": "UTC"})
    assert _streak(client.get("/dashboard").get_data(as_text=True)) == (2, 2)


def test_an_unknown_time_zone_is_refused_with_a_clear_message_and_nothing_changes(app, client, learner):
    token = csrf_token(client, "/account/profile")
    response = client.post("/account/profile", data={"csrf_token": token, "display_name": "Ada Lovelace",
                                                     "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "is not a time zone we know" in response.get_data(as_text=True)
    user = app.extensions["codelearn.store"].get_user(learner.id)
    assert user.display_name == "Ada" and "time_zone" not in user.preferences


def test_the_profile_keeps_a_unicode_display_name(app, client, learner):
    token = csrf_token(client, "/account/profile")
    client.post("/account/profile", data={"csrf_token": token, "display_name": "Lucia di città",
                                          "time_zone": "Europe/Rome"})
    user = app.extensions["codelearn.store"].get_user(learner.id)
    assert user.display_name == "Lucia di città" and user.preferences["time_zone"] == "Europe/Rome"


def test_the_export_is_the_learners_own_data_without_the_password(app, client, learner):
    other_client, other = verified_learner(app, "bob@example.com")
    _record(app, learner.id, datetime.now(UTC), lesson_id="python-variables")
    _record(app, other.id, datetime.now(UTC), lesson_id="python-loops")
    response = client.get("/account/export.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "ada@example.com" and set(data["fields"]) >= {"account", "items"}
    text = json.dumps(data)
    assert "python-variables" in text and learner.id in text
    assert other.id not in text and "bob@example.com" not in text and "python-loops" not in text
    assert "password_hash" not in text and "bcrypt" not in text.lower()
    assert data["items"]["activity_events"] and data["items"]["sessions"]


def test_deleting_the_account_needs_the_word_and_the_password_then_removes_everything(app, client, learner):
    store = app.extensions["codelearn.store"]
    _record(app, learner.id, datetime.now(UTC), lesson_id="python-variables")
    token = csrf_token(client, "/account/delete")
    wrong = client.post("/account/delete", data={"csrf_token": token, "confirmation": "delete", "password": "nope"})
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert "Type DELETE in capitals" in page and "That is not your password." in page
    assert store.get_user(learner.id) is not None and store.list_events(learner.id).items
    other_device = client.application.test_client()
    assert login(other_device).status_code == 302
    done = client.post("/account/delete", data={"csrf_token": token, "confirmation": "DELETE", "password": PASSWORD})
    assert done.status_code == 302
    assert store.get_user(learner.id) is None and not any(store.user_items(learner.id).values())
    assert other_device.get("/dashboard").status_code == 302  # its session died with the account
    assert login(client).status_code != 302  # cannot log in again
    again = client.post("/account/delete", data={"csrf_token": token, "confirmation": "DELETE", "password": PASSWORD})
    assert again.status_code in (302, 400) and store.get_user(learner.id) is None


def test_backfill_rebuilds_aggregates_from_history_and_is_idempotent(app, runner, learner):
    store = app.extensions["codelearn.store"]
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=3)
    for n in range(4):  # written without the recorder: history from before the aggregates existed
        store.add_event(ActivityEvent(learner.id, start + timedelta(days=n), "attempt", {"status": "pass"}))
        store.add_event(ActivityEvent(learner.id, start + timedelta(days=n, minutes=4), "hint", {}))
    assert store.get_progress_summary(learner.id) is None
    first = runner.invoke(args=["progress", "backfill"])
    assert first.exit_code == 0 and "from 8 events" in first.output
    hours = store.list_activity_hours(learner.id)
    summary = store.get_progress_summary(learner.id)
    earned = store.list_achievements(learner.id)
    assert summary.counts == {"attempt": 4, "pass": 4, "hint": 4}
    assert sum(h.events for h in hours) == 8 and sum(h.seconds for h in hours) == 4 * 240
    assert "streak-3" in earned
    second = runner.invoke(args=["progress", "backfill"])
    assert second.exit_code == 0 and "0 achievements awarded" in second.output
    assert store.list_activity_hours(learner.id) == hours
    assert store.get_progress_summary(learner.id).counts == summary.counts
    assert store.list_achievements(learner.id) == earned


def test_learning_actions_keep_the_aggregates(app, client, learner):
    learning = app.extensions["codelearn.learning"]
    learning.reveal_hint(learner.id, "python-variables")
    summary = app.extensions["codelearn.store"].get_progress_summary(learner.id)
    assert summary.counts == {"hint": 1}
    assert sum(h.events for h in app.extensions["codelearn.store"].list_activity_hours(learner.id)) == 1


def test_the_progress_report_is_a_pdf_whose_text_says_the_learners_progress(app, client, learner):
    from pypdf import PdfReader

    store = app.extensions["codelearn.store"]
    token = csrf_token(client, "/account/profile")
    client.post("/account/profile", data={"csrf_token": token, "display_name": "Lucia di città",
                                          "time_zone": "Europe/Rome"})
    now = datetime.now(UTC)
    store.record_attempt(learner.id, "python-variables", now)
    store.mark_completed(learner.id, "python-variables", now, assisted=False)
    _record(app, learner.id, now, "completion", lesson_id="python-variables", attempts=1, assisted=False)
    response = client.get("/account/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    import io

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Progress report: Lucia di città" in text
    assert "Lessons completed: 1 of" in text and "Variables" in text
    assert "First steps: earned" in text and "Europe/Rome" in text


def test_an_email_change_waits_for_the_new_address_to_confirm_it(app, client, learner):
    from tests.conftest import last_link, outbox

    verified_learner(app, "taken@example.com")
    token = csrf_token(client, "/account/profile")
    wrong = client.post("/account/email", data={"csrf_token": token, "new_email": "ada.new@example.com",
                                                "password": "not my password"})
    assert wrong.status_code == 400 and "That is not your password." in wrong.get_data(as_text=True)
    taken = client.post("/account/email", data={"csrf_token": token, "new_email": "taken@example.com",
                                                "password": PASSWORD})
    assert taken.status_code == 400 and "Another account uses" in taken.get_data(as_text=True)
    asked = client.post("/account/email", data={"csrf_token": token, "new_email": "Ada.New@Example.com",
                                                "password": PASSWORD}, follow_redirects=True)
    assert "We sent a link to" in asked.get_data(as_text=True)
    assert outbox(app)[-1]["to"] == "ada.new@example.com"
    store = app.extensions["codelearn.store"]
    assert store.get_user(learner.id).email == "ada@example.com"
    assert login(app.test_client()).status_code == 302  # the old address still works
    link = last_link(app)
    path = link.split("//", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Confirm my new address" in page.get_data(as_text=True)
    assert store.get_user(learner.id).email == "ada@example.com"  # opening the link changes nothing
    done = client.post("/" + path, data={"csrf_token": csrf_token(client, "/" + path)}, follow_redirects=True)
    assert "Your email address is now ada.new@example.com" in done.get_data(as_text=True)
    assert store.get_user(learner.id).email == "ada.new@example.com"
    assert login(app.test_client(), email="ada.new@example.com").status_code == 302
    assert login(app.test_client()).status_code != 302
    again = client.post("/" + path, data={"csrf_token": csrf_token(client, "/account/profile")})
    assert again.status_code == 400


def test_a_quiz_all_right_is_activity_and_earns_the_quiz_achievement(app, client, learner):
    from tests.web.lessons_helpers import post_form
    from tests.web.test_tutor_pages import LOOPS, right_answers, start_quiz, wrong_answers

    wrong = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    post_form(client, f"/quizzes/{wrong}", wrong_answers(app, LOOPS))
    store = app.extensions["codelearn.store"]
    assert "perfect-quiz" not in store.list_achievements(learner.id)
    right = start_quiz(client, f"/quizzes/lesson/{LOOPS}")
    post_form(client, f"/quizzes/{right}", right_answers(app, LOOPS))
    assert "perfect-quiz" in store.list_achievements(learner.id)
    assert store.get_progress_summary(learner.id).counts == {"quiz": 2, "perfect_quiz": 1}
    html = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r"Flawless</span>\s*<span class=\"small\">Earned", html) and "Quiz: 3 of 3 right" in html
    assert _streak(html) == (1, 1)

"""Progress through /api/v1: the dashboard's data, achievements, activity, the streak (in the learner's
time zone), the PDF report and the JSON export, each what the dashboard and account pages show for
the same learner (one DashboardService, one report, one DataRights); only with a token, and only the
learner's own."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from dal.base import ActivityEvent
from tests.api.area_helpers import get, on_the_pages, other_learner
from tests.api.conftest import API


def _record(app, user_id: str, at: datetime, kind: str = "attempt", **detail) -> None:
    app.extensions["codelearn.progress_recorder"].record(ActivityEvent(user_id, at, kind, detail))


@pytest.fixture
def history(app, ada):
    """Five active days in a row up to today, a lone day a month ago, a completion today."""
    today = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for days_ago in range(4, -1, -1):
        _record(app, ada.user_id, today - timedelta(days=days_ago), lesson_id="python-variables", status="fail",
                passed=1, total=3)
    _record(app, ada.user_id, today - timedelta(days=30), lesson_id="python-variables")
    _record(app, ada.user_id, today + timedelta(minutes=5), "completion", lesson_id="python-variables",
            attempts=1, assisted=False)
    return today


def _page_streak(html: str) -> tuple[int, int]:
    current = re.search(r"Current streak</dt><dd><strong>(\d+)", html).group(1)
    longest = re.search(r"Longest streak</dt><dd><strong>(\d+)", html).group(1)
    return int(current), int(longest)


def test_the_dashboard_streak_and_achievements_match_the_dashboard_page(app, client, ada, history):
    data = get(client, ada, "/progress/dashboard").json
    page = on_the_pages(app, ada).get("/dashboard").get_data(as_text=True)
    assert (data["streak"]["current"], data["streak"]["longest"]) == _page_streak(page) == (5, 5)
    assert data["streak"]["active_today"] and data["time_zone"] == "UTC"
    assert f"<strong>{data['achievements_earned']}</strong> of {data['achievements_total']}" in page
    assert f"<strong>{data['minutes_week']}</strong> min this week" in page
    for level in data["levels"]:
        assert f"{level['completed']} of {level['total']}" in page
    assert [r["text"] for r in data["recent"]] and all(r["text"] in page for r in data["recent"])
    assert get(client, ada, "/progress/streak").json == data["streak"]

    achievements = get(client, ada, "/progress/achievements").json["achievements"]
    assert len(achievements) == data["achievements_total"]
    assert sum(a["earned"] for a in achievements) == data["achievements_earned"]
    earned = {a["id"] for a in achievements if a["earned"]}
    assert {"first-lesson"} <= earned and all(a["title"] in page for a in achievements)
    week = next(a for a in achievements if not a["earned"] and a["need"] == 7)
    assert (week["have"], week["need"]) == (5, 7) and f"{week['needs']} (5 of 7)" in page


def test_activity_is_per_local_day_and_month(app, client, ada, history):
    activity = get(client, ada, "/progress/activity").json
    days = {d["day"]: d["events"] for d in activity["days"]}
    assert len(days) == 6 and activity["active_days"] == 6
    assert days[history.date().isoformat()] == 2  # the attempt and the completion
    assert sum(days.values()) == activity["events"] == sum(m["events"] for m in activity["months"])
    page = on_the_pages(app, ada).get("/dashboard").get_data(as_text=True)
    for month in activity["months"]:
        if month["events"]:
            assert month["label"] in page


def test_a_time_zone_change_moves_the_streak(app, client, ada):
    evening = (datetime.now(UTC) - timedelta(days=1)).replace(hour=23, minute=30, second=0, microsecond=0)
    _record(app, ada.user_id, evening)
    _record(app, ada.user_id, evening + timedelta(hours=1))
    assert get(client, ada, "/progress/streak").json["current"] == 2
    client.patch(f"{API}/account", json={"time_zone": "America/New_York"}, headers=ada.headers)
    streak = get(client, ada, "/progress/streak").json
    assert (streak["current"], streak["time_zone"]) == (1, "America/New_York")


def test_the_report_is_the_pages_pdf(app, client, ada, history):
    from pypdf import PdfReader

    answer = client.get(f"{API}/progress/report", headers=ada.headers)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "no-store"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.data)).pages)
    page_pdf = on_the_pages(app, ada).get("/account/report.pdf").data
    page_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(page_pdf)).pages)
    assert "Current streak: 5 days" in text and text == page_text
    refused = client.get(f"{API}/progress/report")
    assert refused.status_code == 401 and refused.json["error"]["code"] == "authentication_required"


def test_the_export_is_the_pages_document_and_only_the_learners_own(app, client, ada, history):
    browser = on_the_pages(app, ada)  # its login is a session of its own, in both documents below
    exported = get(client, ada, "/progress/export")
    assert exported.status_code == 200
    data = exported.json
    page = json.loads(browser.get("/account/export.json").data)
    assert data["fields"] == page["fields"] and data["format"] == page["format"]
    assert set(data["items"]) == set(page["items"])
    moving = {"sessions", "api_tokens"}  # last seen at every request
    for area in set(data["items"]) - moving:
        assert data["items"][area] == page["items"][area], area
    assert data["items"]["achievements"] and data["items"]["activity_hours"]
    assert data["account"]["id"] == ada.user_id and "password_hash" not in json.dumps(data)
    grace = other_learner(app)
    theirs = get(client, grace, "/progress/export").json
    assert theirs["account"]["id"] == grace.user_id and ada.user_id not in json.dumps(theirs)
    assert get(client, grace, "/progress/dashboard").json["streak"]["current"] == 0


@pytest.mark.parametrize("path", ["/progress/dashboard", "/progress/achievements", "/progress/activity",
                                  "/progress/streak", "/progress/export"])
def test_progress_needs_a_token(client, path):
    assert client.get(f"{API}{path}").status_code == 401

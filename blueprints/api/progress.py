"""Progress for API clients: the dashboard's data, achievements, activity (per day and per month, in
the learner's time zone), the streak, the data export and the PDF report. The same DashboardService,
DataRights and report calls as the dashboard and account pages.

Every read here is the dashboard's handful of aggregate reads, whatever the history length.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Response, current_app

from blueprints.api.framework import endpoint, learner
from blueprints.api.schemas import BOOLEAN, INTEGER, OPTIONAL_STRING, OPTIONAL_TIME, STRING, TIME, array, obj
from blueprints.deps import service
from services.progress.dashboard import Dashboard, DashboardService

LEVEL = obj({"level": STRING, "completed": INTEGER, "total": INTEGER, "percent": INTEGER}, closed=False)
STREAK = obj({"current": INTEGER, "longest": INTEGER, "active_today": BOOLEAN,
              "time_zone": {**STRING, "description": "Days are counted in this IANA zone (the profile's)."}},
             closed=False)
ACHIEVEMENT = obj({"id": STRING, "title": STRING, "needs": STRING, "earned": BOOLEAN, "earned_at": OPTIONAL_TIME,
                   "have": INTEGER, "need": INTEGER}, closed=False)
RECENT = obj({"at": TIME, "text": STRING, "lesson_id": OPTIONAL_STRING}, closed=False)
DAY = obj({"day": {"type": "string", "format": "date"}, "events": INTEGER, "minutes": INTEGER}, closed=False)
MONTH = obj({"label": STRING, "active_days": INTEGER, "events": INTEGER, "minutes": INTEGER}, closed=False)
DASHBOARD = obj({
    "time_zone": STRING, "completed": INTEGER, "total": INTEGER, "levels": array(LEVEL), "streak": STREAK,
    "minutes_total": INTEGER, "minutes_week": INTEGER, "achievements_earned": INTEGER, "achievements_total": INTEGER,
    "recent": array(RECENT, description="The newest few events."),
}, closed=False)
ACTIVITY = obj({"time_zone": STRING, "first_day": {"type": "string", "format": "date"},
                "last_day": {"type": "string", "format": "date"}, "active_days": INTEGER, "events": INTEGER,
                "days": array(DAY, description="Active days of the last 12 months, oldest first."),
                "months": array(MONTH, description="Oldest first: the heat map in words."),
                "recent": array(RECENT)}, closed=False)
EXPORT = obj({"format": INTEGER, "exported_at": TIME, "fields": {"type": "object"}, "account": {"type": "object"},
              "items": {"type": "object", "description": "Per storage area, the learner's items as stored."}},
             closed=False)


def dashboards() -> DashboardService:
    return service("dashboard")


def _dashboard() -> Dashboard:
    return dashboards().build(learner())


def _streak(d: Dashboard) -> dict[str, Any]:
    return {"current": d.streak.current, "longest": d.streak.longest, "active_today": d.streak.active_today,
            "time_zone": d.time_zone}


def _recent(d: Dashboard) -> list[dict[str, Any]]:
    return [{"at": r.at.isoformat(), "text": r.text, "lesson_id": r.lesson_id or None} for r in d.recent]


@endpoint("progress", "/progress/dashboard", "GET", summary="The dashboard: completion, streak, time, recent activity",
          response=DASHBOARD)
def dashboard():
    d = _dashboard()
    return {
        "time_zone": d.time_zone, "completed": d.completed, "total": d.total,
        "levels": [{"level": x.level, "completed": x.completed, "total": x.total, "percent": x.percent}
                   for x in d.levels],
        "streak": _streak(d), "minutes_total": d.minutes_total, "minutes_week": d.minutes_week,
        "achievements_earned": d.earned, "achievements_total": len(d.achievements), "recent": _recent(d),
    }


@endpoint("progress", "/progress/achievements", "GET", summary="Every achievement: earned ones first, then the rest",
          response=obj({"achievements": array(ACHIEVEMENT)}))
def achievements():
    """`have` of `need` says how far a learner is towards one not earned yet (e.g. 3 of 7 days)."""
    return {"achievements": [
        {"id": a.rule.id, "title": a.rule.title, "needs": a.rule.needs, "earned": a.earned,
         "earned_at": a.earned_at.isoformat() if a.earned_at else None, "have": a.have, "need": a.need}
        for a in _dashboard().achievements]}


@endpoint("progress", "/progress/activity", "GET", summary="Activity per day and per month over the last 12 months",
          response=ACTIVITY)
def activity():
    d = _dashboard()
    heat = d.heat
    return {
        "time_zone": d.time_zone, "first_day": heat.first_day.isoformat(), "last_day": heat.last_day.isoformat(),
        "active_days": heat.active_days, "events": heat.events,
        "days": [{"day": day.isoformat(), "events": a.events, "minutes": a.seconds // 60}
                 for day, a in d.days.items() if heat.first_day <= day <= heat.last_day],
        "months": [{"label": m.label, "active_days": m.active_days, "events": m.events, "minutes": m.minutes}
                   for m in heat.months],
        "recent": _recent(d),
    }


@endpoint("progress", "/progress/streak", "GET", summary="The current and longest streak of active days",
          response=STREAK)
def streak():
    """Still alive on a day without activity yet; it ends when a whole day passes without any."""
    return _streak(_dashboard())


@endpoint("progress", "/progress/export", "GET", summary="Everything stored about the learner, as JSON",
          response=EXPORT)
def export():
    """The same document as the account page's download (the field notes in `fields`)."""
    return json.loads(service("data_rights").export_text(learner().id))


@endpoint("progress", "/progress/report", "GET", summary="The progress report as PDF", media_type="application/pdf",
          response={"type": "string", "contentMediaType": "application/pdf"})
def report():
    """The account page's download: progress by level, skills, streak and achievements."""
    from services.progress.report import learner_report  # fpdf2 loads only for a report

    pdf = learner_report(learner(), service("store"), service("dashboard"), service("tutor"),
                         current_app.config.get("REPORT_FONT"), datetime.now(UTC))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="codelearn-progress-report.pdf"',
                             "Cache-Control": "no-store"})  # as the page's: a learner's data, never cached

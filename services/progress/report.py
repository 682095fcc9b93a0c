"""The progress report as PDF (fpdf2): summary, the 12-month heat map, completed lessons, skills and
achievements, in a Unicode TrueType font so names such as "città" print as typed.

fpdf2 (with Pillow and fontTools) is imported only here, when a report is made: it adds nothing to
a cold start. The font is a TTF file on disk: CODELEARN_REPORT_FONT, else the DejaVu Sans the Lambda
package carries beside the code (Lambda has no system fonts), else the system's; without one the
report falls back to the PDF core font, which prints Latin-1 only.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from dal.base import Store, User
from services.progress.dashboard import Dashboard, DashboardService
from services.progress.fonts import PACKAGED_FONT, SYSTEM_FONTS
from services.progress.heatmap import level
from services.tutor.service import TutorService

_CODE_ROOT = Path(__file__).resolve().parents[2]
FONT_CANDIDATES = (str(_CODE_ROOT / PACKAGED_FONT),) + SYSTEM_FONTS  # the package's (on Lambda), the system's
_SHADES = ((235, 237, 245), (198, 203, 255), (143, 152, 245), (91, 99, 224), (55, 48, 163))


@dataclass(frozen=True)
class ReportInput:
    name: str
    email: str
    dashboard: Dashboard
    completed_lessons: list[tuple[str, str, datetime | None]]  # (level, title, completed at), in track order
    skills: list[tuple[str, int]]  # (concept title, level 0-100)
    made_at: datetime


def learner_report(user: User, store: Store, dashboards: DashboardService, tutor: TutorService,
                   configured_font: str | None, made_at: datetime) -> bytes:
    """The learner's report as PDF bytes: what the page downloads and the API answers."""
    progress = store.list_progress(user.id)
    dashboard = dashboards.build(user, progress)
    done = {p.lesson_id: p.completed_at for p in progress if p.completed}
    profile = tutor.profile(user.id)
    data = ReportInput(
        name=user.display_name, email=user.email, dashboard=dashboard,
        completed_lessons=[(x.level, x.title, done[x.id]) for x in tutor.track if x.id in done],
        skills=[(row.concept.title, row.percent) for row in profile.rows], made_at=made_at,
    )
    return build_pdf(data, find_font(configured_font))


def find_font(configured: str | None) -> str | None:
    for candidate in ((configured,) if configured else ()) + FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def build_pdf(data: ReportInput, font_path: str | None) -> bytes:
    with warnings.catch_warnings():  # the Lambda zip leaves Pillow out: fpdf2 warns it cannot add images
        warnings.filterwarnings("ignore", message="Pillow could not be imported")
        from fpdf import FPDF  # lazily: fpdf2 and fontTools load only for a report

    pdf = FPDF(format="A4")
    pdf.set_title("CodeLearn progress report")
    pdf.set_author("CodeLearn")
    pdf.set_creation_date(data.made_at)
    if font_path:
        pdf.add_font("Report", "", font_path)
        family = "Report"
    else:
        family = "Helvetica"
    clean = (lambda text: text) if font_path else (lambda text: text.encode("latin-1", "replace").decode("latin-1"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font(family, size=14)
        pdf.cell(width, 8, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=10)

    def line(text: str) -> None:
        pdf.multi_cell(width, 5.5, clean(text), new_x="LMARGIN", new_y="NEXT")

    d = data.dashboard
    pdf.set_font(family, size=20)
    pdf.cell(width, 11, clean(f"Progress report: {data.name or data.email}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=10)
    line(f"Made on {data.made_at:%d %B %Y}. Days are counted in {d.time_zone}.")

    heading("Summary")
    line(f"Lessons completed: {d.completed} of {d.total}. "
         + ", ".join(f"{lc.level.capitalize()} {lc.completed}/{lc.total}" for lc in d.levels) + ".")
    line(f"Current streak: {d.streak.current} days. Longest streak: {d.streak.longest} days.")
    line(f"Learning time: {d.minutes_total // 60} h {d.minutes_total % 60} min in all, {d.minutes_week} min this week.")
    line(f"Active days in the last 12 months: {d.heat.active_days}; learning actions: {d.heat.events}.")

    heading("Activity, last 12 months")
    _heat_map(pdf, d, width)
    line("  ".join(f"{m.label}: {m.active_days} d" for m in d.heat.months))

    heading("Completed lessons")
    if data.completed_lessons:
        for lesson_level, title, at in data.completed_lessons:
            line(f"{lesson_level.capitalize()}: {title}" + (f" ({at:%d %b %Y})" if at else ""))
    else:
        line("None yet.")

    heading("Skills")
    if data.skills:
        for title, percent in data.skills:
            line(f"{title}: {percent} of 100")
    else:
        line("No evidence on any concept yet.")

    heading("Achievements")
    for a in d.achievements:
        if a.earned:
            line(f"{a.rule.title}: earned {a.earned_at:%d %b %Y}")
        else:
            line(f"{a.rule.title}: not yet. {a.rule.needs}" + (f" ({a.have} of {a.need})" if a.need > 1 else ""))
    return bytes(pdf.output())


def _heat_map(pdf, d: Dashboard, width: float) -> None:
    first, last = d.heat.first_day, d.heat.last_day
    weeks = (last - first).days // 7 + 1
    cell = min(3.2, width / weeks)
    top = max((a.events for day, a in d.days.items() if first <= day <= last), default=0)
    x0, y0 = pdf.l_margin, pdf.get_y() + 1
    day: date = first
    while day <= last:
        activity = d.days.get(day)
        pdf.set_fill_color(*_SHADES[level(activity.events if activity else 0, top)])
        column = (day - first).days // 7
        pdf.rect(x0 + column * cell, y0 + day.weekday() * cell, cell * 0.85, cell * 0.85, style="F")
        day += timedelta(days=1)
    pdf.set_y(y0 + 7 * cell + 2)

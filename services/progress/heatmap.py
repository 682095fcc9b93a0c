"""The calendar heat map of the last 12 months as SVG drawn on the server, and its text equivalent.

Columns are weeks (Monday on top), cells days; a cell's shade is its activity against the learner's
own busiest days (levels 0-4, colours in static/css/progress.css), so it reads in both themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from services.progress.calendar import HEAT_MAP_DAYS, DayActivity

CELL = 11
GAP = 2
TOP = 14  # room for the month labels
LEFT = 26  # room for the weekday labels


@dataclass(frozen=True)
class MonthLine:
    label: str  # "Nov 2026"
    active_days: int
    events: int
    minutes: int


@dataclass(frozen=True)
class HeatMap:
    svg: str
    months: list[MonthLine]  # oldest first: the text equivalent
    active_days: int
    events: int
    first_day: date
    last_day: date


def level(events: int, top: int) -> int:
    if events <= 0:
        return 0
    if top <= 1:
        return 4
    return min(4, 1 + (3 * (events - 1)) // (top - 1))  # 1 for a single action, 4 for the busiest day


def heat_map(days: dict[date, DayActivity], today: date) -> HeatMap:
    # The last column ends with today; the first starts on a Monday.
    last = today
    first = last - timedelta(days=HEAT_MAP_DAYS - 1)
    first -= timedelta(days=first.weekday())
    shown = {day: activity for day, activity in days.items() if first <= day <= last}
    top = max((a.events for a in shown.values()), default=0)
    weeks = (last - first).days // 7 + 1
    width = LEFT + weeks * (CELL + GAP)
    height = TOP + 7 * (CELL + GAP)
    parts = [f'<svg class="heat-map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-labelledby="heat-map-title heat-map-desc" focusable="false">',
             '<title id="heat-map-title">Activity over the last 12 months</title>',
             f'<desc id="heat-map-desc">{len(shown)} active days, {sum(a.events for a in shown.values())} '
             'learning actions; the table below lists them by month.</desc>']
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        parts.append(f'<text class="heat-label" x="0" y="{TOP + row * (CELL + GAP) + CELL - 2}">{name}</text>')
    day = first
    labelled_month = None
    while day <= last:
        column = (day - first).days // 7
        x = LEFT + column * (CELL + GAP)
        if day.weekday() == 0 and day.month != labelled_month and day.day <= 7:
            labelled_month = day.month
            parts.append(f'<text class="heat-label" x="{x}" y="10">{day:%b}</text>')
        activity = shown.get(day)
        events = activity.events if activity else 0
        y = TOP + day.weekday() * (CELL + GAP)
        parts.append(f'<rect class="heat-{level(events, top)}" x="{x}" y="{y}" width="{CELL}" height="{CELL}" '
                     f'rx="2"><title>{escape(f"{day:%a %d %b %Y}")}: {events} action{"" if events == 1 else "s"}'
                     '</title></rect>')
        day += timedelta(days=1)
    parts.append("</svg>")
    return HeatMap("".join(parts), _months(shown, first, last), len(shown),
                   sum(a.events for a in shown.values()), first, last)


def _months(shown: dict[date, DayActivity], first: date, last: date) -> list[MonthLine]:
    lines = []
    month = date(last.year, last.month, 1)
    for _ in range(12):
        in_month = [a for d, a in shown.items() if (d.year, d.month) == (month.year, month.month)]
        lines.append(MonthLine(f"{month:%b %Y}", len(in_month), sum(a.events for a in in_month),
                               sum(a.seconds for a in in_month) // 60))
        month = (month - timedelta(days=1)).replace(day=1)
    return list(reversed(lines))

"""Spend control: the usage ledger, the month's projection against the budget, and emergency mode.

Emergency mode is a Setting (shared by every Lambda container). The admin switches it; it also
switches itself on when the month's projection passes the budget. An automatic switch only holds for
the month it happened in: the next month starts with the models on again.
"""

from __future__ import annotations

import calendar
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from dal.base import Store, UsageRecord
from services.ai.settings import AISettings
from services.clock import Clock, utcnow

EMERGENCY_KEY = "ai.emergency_mode"
BUDGET_KEY = "ai.monthly_budget_usd"


@dataclass(frozen=True)
class EmergencyState:
    on: bool
    reason: str = ""  # manual | auto
    since: str = ""  # ISO time
    by: str = ""  # admin user id, or "budget"


class Budget:
    def __init__(
        self,
        store: Store,
        settings: AISettings,
        clock: Clock = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._settings = settings
        self._clock = clock
        self._monotonic = monotonic
        self._last_check: float | None = None
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return self._clock()

    # --- ledger ------------------------------------------------------------------------------
    def record(
        self,
        feature: str,
        model: str,
        input_tokens: int = 0,
        output_tokens: int = 0,
        cost_usd: float = 0.0,
        calls: int = 1,
    ) -> None:
        """Add one call (or `calls`) to today's feature x model row."""
        self._store.add_usage(
            UsageRecord(
                day=self._clock().date(),
                feature=feature,
                model=model,
                calls=calls,
                input_tokens=input_tokens,
                output_tokens=output_tokens,
                cost_usd=cost_usd,
            )
        )

    def usage(self, start: date, end: date) -> list[UsageRecord]:
        return self._store.list_usage(start, end)

    # --- budget and projection -----------------------------------------------------------------
    def monthly_budget(self) -> float:
        override = self._store.get_setting(BUDGET_KEY)
        return float(override) if override is not None else self._settings.monthly_budget_usd

    def set_monthly_budget(self, usd: float) -> None:
        if not 0 <= usd <= 100_000:
            raise ValueError("the monthly budget must be between 0 and 100000 USD")
        self._store.put_setting(BUDGET_KEY, round(float(usd), 2))

    def month_to_date(self, now: datetime | None = None) -> float:
        now = now or self._clock()
        rows = self._store.list_usage(now.date().replace(day=1), now.date())
        return sum(row.cost_usd for row in rows)

    def projection(self, now: datetime | None = None, spent: float | None = None) -> float:
        """Month-to-date spend extrapolated to the whole month (at least one elapsed day, so one early
        call does not look like a runaway month)."""
        now = now or self._clock()
        spent = self.month_to_date(now) if spent is None else spent
        start = datetime(now.year, now.month, 1, tzinfo=UTC)
        elapsed_days = max(1.0, (now - start).total_seconds() / 86_400)
        return spent / elapsed_days * days_in_month(now.date())

    def check_projection(self, force: bool = False) -> bool:
        """Switch emergency mode on when the projection passes the budget. Reads the ledger at most
        once per `budget_check_interval_s` per process. Returns whether emergency mode is on."""
        if not self._settings.auto_emergency:
            return self.is_emergency()
        with self._lock:
            now_mono = self._monotonic()
            due = (
                force
                or self._last_check is None
                or now_mono - self._last_check >= self._settings.budget_check_interval_s
            )
            if not due:
                return False
            self._last_check = now_mono
        if self.is_emergency():
            return True
        if self.projection() > self.monthly_budget():
            self.set_emergency(True, reason="auto", by="budget")
            return True
        return False

    # --- emergency mode ------------------------------------------------------------------------
    def emergency(self) -> EmergencyState:
        raw: Any = self._store.get_setting(EMERGENCY_KEY)
        if not isinstance(raw, dict) or not raw.get("on"):
            return EmergencyState(False)
        state = EmergencyState(True, str(raw.get("reason", "")), str(raw.get("since", "")), str(raw.get("by", "")))
        if state.reason == "auto" and state.since[:7] != self._clock().strftime("%Y-%m"):
            return EmergencyState(False)  # an automatic switch ends with its month
        return state

    def is_emergency(self) -> bool:
        return self.emergency().on

    def set_emergency(self, on: bool, *, reason: str = "manual", by: str = "") -> None:
        self._store.put_setting(
            EMERGENCY_KEY,
            {"on": on, "reason": reason, "since": self._clock().isoformat(timespec="seconds"), "by": by},
        )


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]

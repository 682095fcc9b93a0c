"""The admin's AI switches: emergency mode and the monthly budget, each change in the audit trail."""

from __future__ import annotations

from services.admin.audit import AuditTrail
from services.ai.budget import Budget
from services.errors import InvalidInput


class AIControls:
    def __init__(self, budget: Budget, audit: AuditTrail) -> None:
        self._budget = budget
        self._audit = audit

    def switch_emergency(self, admin_id: str, on: bool) -> None:
        self._budget.set_emergency(on, reason="manual", by=admin_id)
        self._audit.record(admin_id, "emergency_on" if on else "emergency_off")

    def set_budget(self, admin_id: str, text: str) -> float:
        before = self._budget.monthly_budget()
        try:
            self._budget.set_monthly_budget(float(text))
        except ValueError:
            raise InvalidInput("The budget must be a number of US dollars between 0 and 100000.") from None
        after = self._budget.monthly_budget()
        self._audit.record(admin_id, "set_budget",
                           detail={"from_usd": before, "to_usd": after})
        return after

from datetime import timedelta

import pytest

from services.ai import AIService, AISettings
from services.ai.cost_report import cost_summary, record_lesson_view
from services.ai.models import NOVA_LITE
from tests.ai.scripted import ScriptedProvider

HINT = {"challenge": "c", "code": "x", "failing_tests": [{"name": "t", "message": "m"}]}


def test_summary_counts_spend_calls_avoided_and_projection(store, clock, offline):
    svc = AIService(
        ScriptedProvider({"hint": "ok"}),
        store,
        settings=AISettings(),
        clock=clock,
        monotonic=clock.monotonic,
        fallback=offline,
    )
    for _ in range(3):
        svc.run("hint", HINT)
    for source in ["library"] * 18 + ["cache"]:
        record_lesson_view(store, source, clock=clock)
    record_lesson_view(store, "generated", clock=clock)
    clock.advance(timedelta(days=1).total_seconds())
    svc.budget.set_emergency(True)
    svc.run("hint", HINT)  # offline: a call avoided
    summary = cost_summary(svc.budget, svc.settings, clock())
    assert summary.model_calls == 3 and summary.calls_avoided == 20
    assert summary.lesson_views == 20 and summary.no_model_share == pytest.approx(0.95)
    hints = next(f for f in summary.features if f.feature == "Hints")
    assert hints.model_calls == 3 and hints.calls_avoided == 1 and hints.input_tokens == 3000
    assert summary.total_cost_usd == pytest.approx(3 * (1000 * 0.06 + 200 * 0.24) / 1e6)
    days = {d.day: d for d in summary.days}
    assert days[clock().date() - timedelta(days=1)].model_calls == 3
    assert len(summary.days) == 30
    # Day 11 of a 30-day month (clock starts 10 Nov 12:00): spend / 10.5 days * 30
    assert summary.projection_usd == pytest.approx(summary.month_to_date_usd / 10.5 * 30)
    assert summary.emergency.on and summary.task_models["hint"] == NOVA_LITE
    assert any(p.retired for p in summary.prices)


def test_budget_override_setting(store, clock, offline):
    svc = AIService(offline, store, settings=AISettings(), clock=clock)
    assert svc.budget.monthly_budget() == 25.0
    svc.budget.set_monthly_budget(10)
    assert cost_summary(svc.budget, svc.settings, clock()).budget_usd == 10.0
    with pytest.raises(ValueError):
        svc.budget.set_monthly_budget(-1)
    with pytest.raises(ValueError):
        record_lesson_view(store, "somewhere")

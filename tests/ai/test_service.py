from datetime import timedelta

import pytest

from services.ai import AIService, AISettings, AIUnavailable, QuotaExceeded
from services.ai.errors import ProviderError
from services.ai.models import NOVA_LITE, cost_usd
from tests.ai.scripted import ScriptedProvider

HINT = {
    "challenge": "Define city",
    "code": "x = 1",
    "failing_tests": [{"name": "t", "message": "city not found"}],
}
LESSON = {"language": "python", "level": "beginner", "topic": "graphs"}


def service(provider, store, clock, offline, **settings):
    return AIService(
        provider,
        store,
        settings=AISettings(**settings),
        clock=clock,
        monotonic=clock.monotonic,
        fallback=offline,
    )


def usage(store):
    return {(r.feature, r.model): r for r in store.list_usage(store_day(store), store_day(store))}


def store_day(store):
    return next(iter(store.usage))[0]


def test_offline_mode_answers_with_a_note_and_records_a_call_avoided(offline_service, store):
    result = offline_service.run("hint", HINT, user_id="u1")
    assert result.source == "offline" and result.note == "Answered by the offline assistant."
    assert "city" in result.data["hint"]
    assert usage(store)[("Hints", "offline")].calls == 1
    with pytest.raises(AIUnavailable) as info:
        offline_service.run("lesson", LESSON)
    assert "unavailable" in str(info.value)


def test_model_answer_is_validated_priced_and_recorded(store, clock, offline):
    provider = ScriptedProvider({"hint": "Look at the name the test expects."})
    result = service(provider, store, clock, offline).run("hint", HINT, user_id="u1")
    assert result.source == "bedrock" and result.model == NOVA_LITE and result.note == ""
    assert result.cost_usd == pytest.approx(cost_usd(NOVA_LITE, 1000, 200))
    row = usage(store)[("Hints", NOVA_LITE)]
    assert (row.calls, row.input_tokens, row.output_tokens) == (1, 1000, 200)


def test_per_task_model_override(store, clock, offline):
    provider = ScriptedProvider({"hint": "ok"})
    service(provider, store, clock, offline, models={"hint": "us.amazon.nova-micro-v1:0"}).run("hint", HINT)
    assert provider.calls[0][2] == "us.amazon.nova-micro-v1:0"


def test_off_schema_answer_is_retried_once_then_offline(store, clock, offline):
    provider = ScriptedProvider({"wrong": 1}, {"hint": "Second try works."})
    assert service(provider, store, clock, offline).run("hint", HINT).data == {"hint": "Second try works."}
    provider = ScriptedProvider({"wrong": 1})
    result = service(provider, store, clock, offline).run("hint", HINT)
    assert result.source == "offline" and "could not be used" in result.note
    assert len(provider.calls) == 2
    assert usage(store)[("Hints", NOVA_LITE)].calls == 4  # 2 + 2: every model call, paid or not


def test_failure_without_offline_path_raises_unavailable(store, clock, offline):
    provider = ScriptedProvider(ProviderError("throttled", "429"))
    with pytest.raises(AIUnavailable):
        service(provider, store, clock, offline).run("lesson", LESSON)


def test_quota_per_learner_and_task(store, clock, offline_service):
    offline_service.settings.quotas["quiz"] = 2
    for _ in range(2):
        offline_service.run("quiz", {"topic": "variables"}, user_id="u1")
    with pytest.raises(QuotaExceeded) as info:
        offline_service.run("quiz", {"topic": "variables"}, user_id="u1")
    assert info.value.task == "quiz" and 0 < info.value.retry_after <= 3600
    offline_service.run("quiz", {"topic": "variables"}, user_id="u2")  # other learner
    offline_service.run("explain", {"concept": "variables"}, user_id="u1")  # other task
    clock.advance(info.value.retry_after)
    offline_service.run("quiz", {"topic": "variables"}, user_id="u1")  # new window


def test_emergency_mode_uses_the_offline_path(store, clock, offline):
    provider = ScriptedProvider({"hint": "model"})
    svc = service(provider, store, clock, offline)
    svc.budget.set_emergency(True, by="admin-1")
    result = svc.run("hint", HINT)
    assert result.source == "offline" and "emergency mode" in result.note and not provider.calls
    with pytest.raises(AIUnavailable, match="emergency"):
        svc.run("lesson", LESSON)
    svc.budget.set_emergency(False)
    assert svc.run("hint", HINT).source == "bedrock"


def test_circuit_opens_after_repeated_failures_and_closes_later(store, clock, offline):
    provider = ScriptedProvider(ProviderError("server", "500"))
    svc = service(provider, store, clock, offline, breaker_threshold=3, breaker_cooldown_s=60)
    for _ in range(3):
        assert "unavailable" in svc.run("hint", HINT).note
    assert svc.breaker.state == "open"
    result = svc.run("hint", HINT)
    assert "resting" in result.note and len(provider.calls) == 3  # no call while open
    clock.advance(61)
    provider.steps = [{"hint": "back"}]
    assert svc.run("hint", HINT).source == "bedrock"
    assert svc.breaker.state == "closed"


def test_half_open_failure_reopens(store, clock, offline):
    provider = ScriptedProvider(ProviderError("timeout", "slow"))
    svc = service(provider, store, clock, offline, breaker_threshold=1, breaker_cooldown_s=30)
    assert "too long" in svc.run("hint", HINT).note
    clock.advance(31)
    svc.run("hint", HINT)  # the trial call fails
    assert svc.breaker.state == "open"


def test_projection_over_budget_switches_emergency_mode_on(store, clock, offline):
    provider = ScriptedProvider({"hint": "fine"})
    svc = service(provider, store, clock, offline, monthly_budget_usd=0.01, budget_check_interval_s=0)
    svc.run("hint", HINT)
    assert not svc.budget.is_emergency()
    for _ in range(30):
        svc.run("hint", HINT)
    state = svc.budget.emergency()
    assert state.on and state.reason == "auto"
    assert svc.run("hint", HINT).source == "offline"
    clock.advance(timedelta(days=25).total_seconds())  # next month: the automatic switch has lapsed
    assert not svc.budget.is_emergency()

import json

import pytest

from services.ai import AIService, AISettings, QuotaExceeded
from services.ai.errors import ProviderError
from services.ai.hints import SAFE_HINT, AIHintLimitReached, next_ai_hint
from services.ai.tasks import TASKS
from tests.ai.conftest import CONTENT
from tests.ai.fake_grader import FakeGrader
from tests.ai.scripted import ScriptedProvider

LESSON = json.loads((CONTENT / "python" / "beginner" / "variables.json").read_text())
CODE = "City = 'Lisbon'\npopulation = 545000\nis_capital = True\n"


@pytest.fixture
def report():
    return FakeGrader().grade(CODE, LESSON["tests"])


def make(store, clock, offline, *steps, **settings):
    provider = ScriptedProvider(*steps)
    svc = AIService(
        provider, store, settings=AISettings(**settings), clock=clock, monotonic=clock.monotonic, fallback=offline
    )
    return svc, provider


def hint(svc, store, report, **kw):
    return next_ai_hint(svc, store, user_id="u1", lesson=LESSON, code=CODE, report=report, **kw)


def test_prompt_gets_challenge_failures_and_code_but_never_the_solution(store, clock, offline, report):
    svc, provider = make(store, clock, offline, {"hint": "Compare the case of your first variable's name."})
    answer = hint(svc, store, report)
    assert answer.source == "bedrock" and answer.remaining == 1
    _, payload, _ = provider.calls[0]
    _, user = TASKS["hint"].build_prompt(payload)
    assert "Variable city not found" in user and "City = 'Lisbon'" in user and LESSON["challenge"][:40] in user
    assert 'city = "Lisbon"' not in user and "545000\nis_capital" not in LESSON["challenge"]
    assert "solution" not in payload
    assert store.get_progress("u1", LESSON["id"]).ai_hints_used == 1


def test_at_most_n_ai_hints_per_lesson(store, clock, offline, report):
    svc, _ = make(store, clock, offline, {"hint": "Names are case-sensitive."})
    hint(svc, store, report)
    assert hint(svc, store, report).remaining == 0
    with pytest.raises(AIHintLimitReached, match="2 AI hints"):
        hint(svc, store, report)
    assert hint(svc, store, report, max_ai_hints=3).remaining == 0  # the setting raises the cap


def test_rejected_hint_is_regenerated_once(store, clock, offline, report):
    leaky = {"hint": 'Type exactly: city = "Lisbon"'}
    svc, provider = make(store, clock, offline, leaky, {"hint": "Look at the first letter of your variable."})
    answer = hint(svc, store, report)
    assert answer.text == "Look at the first letter of your variable." and answer.source == "bedrock"
    assert provider.calls[1][1]["rejected_because"] == "repeats a line of the reference solution"


def test_hint_rejected_twice_is_replaced_by_the_offline_hint(store, clock, offline, report):
    leaky = {"hint": "```python\ncity = 'x'\npopulation = 1\n```"}
    svc, provider = make(store, clock, offline, leaky)
    answer = hint(svc, store, report)
    assert len(provider.calls) == 2 and answer.source == "offline"
    assert "`city`" in answer.text and "said too much" in answer.note


def test_provider_failure_gives_the_offline_hint_with_a_note(store, clock, offline, report):
    svc, _ = make(store, clock, offline, ProviderError("throttled", "429"))
    answer = hint(svc, store, report)
    assert answer.source == "offline" and "busy" in answer.note and "you defined `City`" in answer.text


def test_offline_hint_that_would_leak_becomes_the_safe_hint(store, clock, offline):
    lesson = {**LESSON, "solution": "value = compute_the_total(1)\n"}
    report = {"tests": [{"name": "t", "status": "fail", "message": "ZeroDivisionError: boom (line 1)"}]}
    svc, _ = make(store, clock, offline, {"hint": "value = compute_the_total(1)"})
    answer = next_ai_hint(svc, store, user_id="u1", lesson=lesson, code="value = compute_the_total(1)\n", report=report)
    assert answer.text == SAFE_HINT


def test_hint_quota(store, clock, offline, report):
    svc, _ = make(store, clock, offline, {"hint": "ok"}, quotas={"hint": 1})
    hint(svc, store, report)
    with pytest.raises(QuotaExceeded):
        next_ai_hint(svc, store, user_id="u1", lesson={**LESSON, "id": "other"}, code=CODE, report=report)

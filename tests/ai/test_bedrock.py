"""The Bedrock provider through boto3 against the fake Converse server: every fault, end to end."""

from __future__ import annotations

import time

import boto3
import pytest

from services.ai import AIService, AISettings, AIUnavailable
from services.ai.bedrock import BedrockProvider, make_bedrock_client
from services.ai.models import CLAUDE_HAIKU_45, NOVA_LITE
from services.ai.schema import validate
from services.ai.tasks import TASKS
from tests.fakes.bedrock_server import FakeBedrock

HINT = {
    "challenge": "Define city",
    "code": "City = 'x'",
    "failing_tests": [{"name": "test_city", "message": "Variable city not found"}],
}
LESSON = {"language": "python", "level": "beginner", "topic": "list summaries"}


@pytest.fixture
def fake():
    with FakeBedrock() as server:
        server.slow_seconds = 1.5
        yield server


def fake_session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")


@pytest.fixture
def make_service(fake, store, clock, offline):
    clients = []

    def build(**overrides):
        settings = AISettings(
            **{
                "provider": "bedrock",
                "endpoint_url": fake.url,
                "read_timeout_s": 0.5,
                "connect_timeout_s": 0.5,
                "call_deadline_s": 3.0,
                **overrides,
            }
        )
        client = make_bedrock_client(settings, session=fake_session())
        clients.append(client)
        provider = BedrockProvider(client, settings)
        return AIService(provider, store, settings=settings, clock=clock, monotonic=clock.monotonic, fallback=offline)

    yield build
    for client in clients:
        client.close()


@pytest.mark.parametrize("task", sorted(TASKS))
def test_every_task_round_trips_through_converse(make_service, fake, task):
    payload = {key: "python" for key in TASKS[task].required}
    result = make_service().run(task, payload)
    assert result.source == "bedrock" and result.note == ""
    validate(result.data, TASKS[task].schema)
    request = fake.requests[-1]
    assert request["body"]["toolConfig"]["toolChoice"] == {"tool": {"name": f"{task}_answer"}}
    assert request["body"]["inferenceConfig"]["maxTokens"] == TASKS[task].max_tokens
    assert result.input_tokens > 300 and result.output_tokens > 0 and result.cost_usd > 0


def test_model_ids_reach_the_server_intact(make_service, fake):
    svc = make_service()
    svc.run("hint", HINT)
    svc.run("lesson", LESSON)
    assert [r["model"] for r in fake.requests] == [NOVA_LITE, CLAUDE_HAIKU_45]


def test_endpoint_from_environment_variable(fake, monkeypatch, store, clock, offline):
    monkeypatch.setenv("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", fake.url)
    settings = AISettings(provider="bedrock")
    client = make_bedrock_client(settings, session=fake_session())
    try:
        result = AIService(BedrockProvider(client, settings), store, settings=settings, clock=clock).run("hint", HINT)
    finally:
        client.close()
    assert result.source == "bedrock" and fake.calls("hint") == 1


def test_throttling_is_retried_by_botocore_then_succeeds(make_service, fake):
    fake.fail("throttle", times=1)
    result = make_service(max_attempts=2).run("hint", HINT)
    assert result.source == "bedrock" and fake.calls() == 2


@pytest.mark.parametrize(
    ("fault", "note"),
    [
        ("throttle", "busy"),
        ("server_error", "unavailable"),
        ("unavailable", "unavailable"),
        ("model_timeout", "too long"),
        ("slow", "too long"),
        ("max_tokens", "could not be used"),
        ("malformed", "could not be used"),
        ("malformed_stop", "could not be used"),
        ("wrong_schema", "could not be used"),
    ],
)
def test_each_fault_falls_back_to_the_offline_answer_with_a_note(make_service, fake, store, fault, note):
    fake.fail(fault)
    started = time.monotonic()
    result = make_service(max_attempts=2).run("hint", HINT, user_id="u1")
    assert time.monotonic() - started < 5
    assert result.source == "offline" and note in result.note
    assert "`city`" in result.data["hint"]  # the offline hint still helps
    ledger = {r.model: r.calls for r in store.list_usage(*[next(iter(store.usage))[0]] * 2)}
    assert ledger["offline"] == 1 and ledger[NOVA_LITE] >= 1  # the failed call is on the books too


def test_model_timeout_gets_one_extra_try(make_service, fake):
    fake.fail("model_timeout", times=1)
    result = make_service(max_attempts=1, read_timeout_s=0.5, call_deadline_s=3.0).run("hint", HINT)
    assert result.source == "bedrock" and fake.calls() == 2


def test_invalid_output_is_billed_and_retried_once(make_service, fake, store):
    fake.fail("max_tokens", times=1)
    result = make_service().run("hint", HINT)
    assert result.source == "bedrock" and fake.calls() == 2
    row = next(r for r in store.usage.values() if r.model == NOVA_LITE)
    assert row.calls == 2 and row.output_tokens >= TASKS["hint"].max_tokens  # the cut-off answer was paid for


def test_lesson_fault_without_offline_answer_raises_unavailable(make_service, fake):
    fake.fail("server_error")
    with pytest.raises(AIUnavailable, match="try again"):
        make_service(max_attempts=1).run("lesson", LESSON)


def test_circuit_opens_after_repeated_failures_and_closes_later(make_service, fake, clock):
    svc = make_service(max_attempts=1, breaker_threshold=3, breaker_cooldown_s=30)
    fake.fail("unavailable")
    for _ in range(3):
        assert svc.run("hint", HINT).source == "offline"
    assert svc.breaker.state == "open" and fake.calls() == 3
    for _ in range(5):
        assert "resting" in svc.run("hint", HINT).note
    assert fake.calls() == 3  # no traffic while open
    fake.clear()
    clock.advance(31)
    assert svc.run("hint", HINT).source == "bedrock"
    assert svc.breaker.state == "closed"

"""Bedrock prompt caching: a `cachePoint` goes after the system blocks and after the earlier turns only
where the prefix reaches the model's minimum (never below it, never for a model without caching);
through boto3 and the fake server the cache is written, then read on the next turn of the same
conversation, and the ledger prices reads and writes from the one price table."""

from __future__ import annotations

from datetime import UTC, date, datetime

import boto3
import pytest

from dal.sqlite import SqliteStore
from services.ai import AIService, AISettings
from services.ai.bedrock import BedrockProvider, converse_request, make_bedrock_client
from services.ai.models import CLAUDE_3_HAIKU, CLAUDE_HAIKU_45, NOVA_LITE, NOVA_MICRO, cost_usd, price_of
from services.ai.prompt_cache import CACHE_POINT, add_cache_points
from services.ai.tasks import TASKS
from tests.fakes.bedrock_server import FakeBedrock

LONG_ANSWER = "A for loop takes each item of the sequence in turn and runs its body once for it. " * 14  # ~290 tokens


def chat_payload(turns: int, challenge: str = "") -> dict:
    history = []
    for n in range(turns):
        history += [{"role": "learner", "text": f"Question {n}: how does a for loop over a list work?"},
                    {"role": "tutor", "text": LONG_ANSWER}]
    return {"question": "And with range?", "history": history, "challenge": challenge}


def cache_points(request: dict) -> list[str]:
    where = ["system" for b in request["system"] if "cachePoint" in b]
    for n, message in enumerate(request["messages"]):
        where += [f"message {n}" for b in message["content"] if "cachePoint" in b]
    return where


def test_the_price_table_holds_each_models_caching_minimum_and_rates():
    assert (price_of(NOVA_MICRO).cache_min_tokens, price_of(CLAUDE_HAIKU_45).cache_min_tokens) == (1_000, 4_096)
    assert price_of(CLAUDE_3_HAIKU).cache_min_tokens == 0  # retired: never cached
    # 1M tokens read from the cache cost a quarter of the input price on Nova, a tenth on Claude.
    assert cost_usd(NOVA_LITE, 0, 0, cache_read_tokens=1_000_000) == pytest.approx(0.015)
    assert cost_usd(CLAUDE_HAIKU_45, 0, 0, cache_read_tokens=1_000_000, cache_write_tokens=1_000_000) \
        == pytest.approx(0.10 + 1.25)


def test_a_short_prefix_gets_no_cache_point():
    request = converse_request(TASKS["chat"], chat_payload(turns=1), NOVA_MICRO)
    assert cache_points(request) == []


def test_the_history_of_a_long_conversation_ends_with_a_cache_point():
    request = converse_request(TASKS["chat"], chat_payload(turns=3), NOVA_MICRO)
    # The system prompt alone is below Nova's 1,000 tokens; with the three earlier turns it is not.
    assert cache_points(request) == [f"message {len(request['messages']) - 2}"]
    assert request["messages"][-2]["content"][-1] == CACHE_POINT
    assert "cachePoint" not in str(request["messages"][-1])  # the question itself is never cached


def test_the_open_challenge_is_a_second_system_block_and_the_same_text_below_claudes_minimum():
    challenge = "Write `total(xs)` that returns the sum of the numbers in xs. " * 20
    nova = converse_request(TASKS["chat"], chat_payload(turns=3, challenge=challenge), NOVA_MICRO)
    assert nova["system"][1]["text"].startswith("The learner's open challenge:")
    assert "open challenge" not in nova["messages"][-1]["content"][0]["text"]
    assert cache_points(nova) == [f"message {len(nova['messages']) - 2}"]
    # Claude Haiku 4.5 needs 4,096 tokens: the same conversation is below it, so nothing is marked.
    assert cache_points(converse_request(TASKS["chat"], chat_payload(turns=3, challenge=challenge),
                                         CLAUDE_HAIKU_45)) == []


def test_a_long_system_prompt_is_marked_and_a_model_without_caching_never_is():
    system = [{"text": "x" * 4_400}]
    messages = [{"role": "user", "content": [{"text": "hi"}]}]
    assert add_cache_points(system, messages, 1_000) == 1 and system[-1] == CACHE_POINT
    system = [{"text": "x" * 40_000}]
    assert add_cache_points(system, messages, price_of(CLAUDE_3_HAIKU).cache_min_tokens) == 0
    assert system == [{"text": "x" * 40_000}]


@pytest.fixture
def bedrock(tmp_path):
    store = SqliteStore(str(tmp_path / "cache.sqlite3"))
    store.init_schema()
    with FakeBedrock() as fake:
        settings = AISettings(provider="bedrock", endpoint_url=fake.url, read_timeout_s=2, max_attempts=1)
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name="us-east-1")
        client = make_bedrock_client(settings, session=session)
        now = datetime(2026, 11, 3, 12, tzinfo=UTC)
        ai = AIService(BedrockProvider(client, settings), store, settings=settings, clock=lambda: now)
        yield ai, fake, store
        client.close()
    store.close()


def test_through_boto3_the_cache_is_written_then_read_and_priced_from_the_table(bedrock):
    ai, fake, store = bedrock
    fake.answers["chat"] = {"answer": LONG_ANSWER[:1900]}
    first = ai.run("chat", chat_payload(turns=3))
    sent = fake.requests[-1]["body"]
    assert any("cachePoint" in b for b in sent["messages"][-2]["content"])  # the cache point went over the wire
    assert first.cache_write_tokens >= 1_000 and first.cache_read_tokens == 0
    # The next turn of the same conversation starts with the same prefix: it is read from the cache.
    second = ai.run("chat", {**chat_payload(turns=3), "question": "What does break do?"})
    assert second.cache_read_tokens == first.cache_write_tokens and second.cache_write_tokens == 0
    usage = fake.requests[-1]["usage"]
    assert usage["cacheReadInputTokens"] == second.cache_read_tokens and usage["inputTokens"] == second.input_tokens
    model = ai.settings.model_for("chat")
    assert second.cost_usd == pytest.approx(cost_usd(model, second.input_tokens, second.output_tokens,
                                                     cache_read_tokens=second.cache_read_tokens))
    uncached = cost_usd(model, second.input_tokens + second.cache_read_tokens, second.output_tokens)
    assert second.cost_usd < uncached
    # The ledger counts every input token and the cached price.
    (row,) = store.list_usage(date(2026, 11, 3), date(2026, 11, 3))
    assert row.input_tokens == sum(r.input_tokens + r.cache_read_tokens + r.cache_write_tokens
                                   for r in (first, second))
    assert row.cost_usd == pytest.approx(first.cost_usd + second.cost_usd)


def test_the_fake_ignores_a_cache_point_below_the_minimum_as_bedrock_does(bedrock):
    ai, fake, _ = bedrock
    request = converse_request(TASKS["chat"], chat_payload(turns=1), NOVA_MICRO)
    request["messages"][-2]["content"].append(dict(CACHE_POINT))  # forced, below 1,000 tokens
    for _ in range(2):
        ai.provider._client.converse(**request)
    assert "cacheReadInputTokens" not in fake.requests[-1]["usage"]

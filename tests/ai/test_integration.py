"""The AI layer on the real pieces: SqliteStore, the sandboxed grader, boto3 and the fake Bedrock server."""

from __future__ import annotations

import json

import boto3
import pytest

from dal.base import User
from dal.sqlite import SqliteStore
from services.ai import AIService, AISettings
from services.ai.bedrock import BedrockProvider, make_bedrock_client
from services.ai.cost_report import cost_summary
from services.ai.hints import next_ai_hint
from services.ai.lessons import LessonUnavailable, generate_lesson
from services.grader import Grader
from tests.ai.conftest import CONTENT
from tests.fakes.bedrock_server import FakeBedrock


@pytest.fixture
def sqlite_store(tmp_path):
    store = SqliteStore(str(tmp_path / "ai.sqlite3"))
    store.init_schema()
    store.create_user(User(id="u1", email="learner@example.com", password_hash="x"))
    yield store
    store.close()


@pytest.fixture
def stack(sqlite_store, offline):
    with FakeBedrock() as fake:
        settings = AISettings(provider="bedrock", endpoint_url=fake.url, read_timeout_s=2, max_attempts=1)
        session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        )
        client = make_bedrock_client(settings, session=session)
        service = AIService(BedrockProvider(client, settings), sqlite_store, settings=settings, fallback=offline)
        yield service, fake
        client.close()


def test_generated_lesson_is_graded_for_real_and_cached(stack, sqlite_store):
    service, fake = stack
    grader = Grader()
    lesson, source, _ = generate_lesson(
        service, grader, sqlite_store, language="python", level="beginner", topic="summaries of lists", user_id="u1"
    )
    assert source == "bedrock" and fake.calls("lesson") == 1
    report = grader.grade(lesson["solution"], lesson["tests"])
    assert report.status == "pass"
    cached, source, _ = generate_lesson(
        service, grader, sqlite_store, language="python", level="beginner", topic="Summaries of  lists", user_id="u1"
    )
    assert source == "cache" and cached == lesson and fake.calls("lesson") == 1


def test_lesson_whose_solution_fails_real_grading_is_not_cached(stack, sqlite_store, lesson_index):
    service, fake = stack

    def broken(body):
        from tests.fakes.bedrock_answers import lesson_answer

        return {**lesson_answer(body), "solution": "def summarize(numbers):\n    return (0, 0, 0.0)\n"}

    fake.answers["lesson"] = broken
    with pytest.raises(LessonUnavailable) as info:
        generate_lesson(
            service,
            Grader(),
            sqlite_store,
            language="python",
            level="beginner",
            topic="variables and values",
            user_id="u1",
            lesson_index=lesson_index,
        )
    assert info.value.nearest["id"] == "python-variables" and fake.calls("lesson") == 2


def test_ai_hint_from_a_real_grader_report(stack, sqlite_store):
    service, fake = stack
    lesson = json.loads((CONTENT / "python" / "beginner" / "variables.json").read_text())
    code = "City = 'Lisbon'\npopulation = 545000\nis_capital = True\n"
    report = Grader().grade(code, lesson["tests"])
    assert report.status == "fail"
    answer = next_ai_hint(service, sqlite_store, user_id="u1", lesson=lesson, code=code, report=report)
    assert answer.source == "bedrock" and answer.remaining == 1
    prompt = fake.requests[-1]["body"]["messages"][0]["content"][0]["text"]
    assert "test_city_exists" in prompt and "City = 'Lisbon'" in prompt
    assert lesson["solution"].splitlines()[0] not in prompt
    fake.fail("throttle")
    fallback = next_ai_hint(service, sqlite_store, user_id="u1", lesson=lesson, code=code, report=report)
    assert fallback.source == "offline" and "`city`" in fallback.text
    assert sqlite_store.get_progress("u1", lesson["id"]).ai_hints_used == 2
    summary = cost_summary(service.budget, service.settings, service.budget._clock())
    assert summary.model_calls == 2 and summary.calls_avoided == 1 and summary.total_cost_usd > 0

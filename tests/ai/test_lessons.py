import pytest

from services.ai import AIService, AISettings, QuotaExceeded
from services.ai.errors import ProviderError
from services.ai.lessons import (
    InvalidTopic,
    LessonUnavailable,
    generate_lesson,
    lesson_cache_key,
    normalise_topic,
)
from tests.ai.fake_grader import FakeGrader
from tests.ai.scripted import ScriptedProvider
from tests.fakes.bedrock_answers import lesson_answer


def body(topic):
    return {"messages": [{"content": [{"text": f"Topic: <learner>\n{topic}\n</learner>"}]}]}


GOOD = lesson_answer(body("list summaries"))
BROKEN_SOLUTION = {**GOOD, "solution": "def summarize(numbers):\n    return None\n"}
PASSING_STARTER = {**GOOD, "starter": GOOD["solution"]}


def make(store, clock, offline, *steps):
    provider = ScriptedProvider(*steps)
    svc = AIService(provider, store, settings=AISettings(), clock=clock, monotonic=clock.monotonic, fallback=offline)
    return svc, provider


def gen(svc, store, grader, topic="List summaries", **kw):
    return generate_lesson(
        svc,
        grader,
        store,
        language="python",
        level="beginner",
        topic=topic,
        user_id="u1",
        clock=svc.budget._clock,
        **kw,
    )


@pytest.mark.parametrize("topic", ["ab", "x" * 81, "<script>alert(1)</script>", "drop; table", "\u0000zz"])
def test_topic_validation(topic):
    with pytest.raises(InvalidTopic):
        normalise_topic(topic)


def test_cache_key_is_normalised():
    assert lesson_cache_key("Python", "Beginner", "List  Summaries!") == lesson_cache_key(
        "python", "beginner", "list summaries"
    )
    assert normalise_topic("  list   summaries ") == "list summaries"


def test_generated_lesson_is_proved_cached_and_then_served_from_cache(store, clock, offline):
    svc, provider = make(store, clock, offline, GOOD)
    grader = FakeGrader()
    lesson, source, note = gen(svc, store, grader)
    assert source == "bedrock" and "checked by running its tests" in note
    assert lesson["solution"] and lesson["starter"] and len(lesson["tests"]) >= 3
    assert grader.calls == 2
    entry = store.lessons[lesson_cache_key("python", "beginner", "List summaries")]
    assert entry.source == "ai" and entry.output_tokens == 200 and entry.cost_usd > 0
    assert (entry.expires_at - entry.created_at).days == 90
    again, source, _ = gen(svc, store, grader, topic="list   SUMMARIES")
    assert source == "cache" and again == lesson and len(provider.calls) == 1
    assert store.lessons[entry.key].hit_count == 1


@pytest.mark.parametrize("bad", [BROKEN_SOLUTION, PASSING_STARTER])
def test_unproved_lesson_is_retried_once_with_the_reason(store, clock, offline, bad):
    svc, provider = make(store, clock, offline, bad, GOOD)
    lesson, source, _ = gen(svc, store, FakeGrader())
    assert source == "bedrock" and len(provider.calls) == 2
    assert provider.calls[1][1]["feedback"]


def test_two_failures_give_the_nearest_curated_lesson(store, clock, offline, lesson_index):
    svc, provider = make(store, clock, offline, BROKEN_SOLUTION)
    with pytest.raises(LessonUnavailable) as info:
        gen(svc, store, FakeGrader(), topic="variables and types in depth", lesson_index=lesson_index)
    assert info.value.nearest["id"] == "python-variables"
    assert "closest lesson" in str(info.value) and not store.lessons
    assert len(provider.calls) == 2


def test_model_down_gives_the_nearest_lesson_at_once(store, clock, offline, lesson_index):
    svc, provider = make(store, clock, offline, ProviderError("server", "500"))
    with pytest.raises(LessonUnavailable) as info:
        gen(svc, store, FakeGrader(), topic="while loops with counters", lesson_index=lesson_index)
    assert info.value.nearest is not None and "try again" in str(info.value)


def test_emergency_mode_never_calls_the_model(store, clock, offline):
    svc, provider = make(store, clock, offline, GOOD)
    svc.budget.set_emergency(True)
    with pytest.raises(LessonUnavailable, match="emergency"):
        gen(svc, store, FakeGrader())
    assert not provider.calls


def test_lesson_quota(store, clock, offline):
    svc, _ = make(store, clock, offline, GOOD)
    for n in range(5):
        gen(svc, store, FakeGrader(), topic=f"topic number {n}")
    with pytest.raises(QuotaExceeded):
        gen(svc, store, FakeGrader(), topic="one topic too many")


def test_leaky_model_hints_are_dropped(store, clock, offline):
    leaky = {**GOOD, "hints": ["Write: return min(numbers), max(numbers), sum(numbers) / len(numbers)", "Use min."]}
    svc, _ = make(store, clock, offline, leaky)
    lesson, _, _ = gen(svc, store, FakeGrader())
    assert lesson["hints"] == ["Use min."]

"""What does a month of CodeLearn cost in Bedrock? `python -m bench.cost_month`

Simulates a month at seed 000's headline load - 500 active learners, 5,000+ lesson views, failed
submissions, authored and AI hints, off-library lesson requests - through the real services:
AIService + BedrockProvider (boto3) against the fake Bedrock Runtime server on a loopback port (it
reports realistic token counts), the SQLite store, the sandboxed grader for generated lessons, and
the ledger. Prices come from services/ai/models.py. It then prices seed 000's own design on the same
workload, and prints the headline as its last line: `usd` is the whole month (the chat and the code
assistant included), `usd_core` lessons, hints, quizzes and explanations alone. Targets (issue 16):
usd <= 5.00 and usd_core <= 2.00 at 500 learners.

Seeded random workload: the same figures on every run.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from bench.cost_tutor import (
    ASSISTANT_PER_LEARNER,
    GENERATED_QUIZ,
    TUTOR_PER_LEARNER,
    assistant_month,
    cache_figures,
    cite_the_passages,
    tutor_answer,
    tutor_month,
)
from dal.base import User
from dal.sqlite import SqliteStore
from services.ai import AIService, AISettings
from services.ai.bedrock import BedrockProvider, make_bedrock_client
from services.ai.cost_report import cost_summary, record_lesson_view
from services.ai.hints import AIHintLimitReached, next_ai_hint
from services.ai.lesson_index import LessonIndex
from services.ai.lessons import LessonUnavailable, generate_lesson
from services.ai.models import CACHE, CLAUDE_3_HAIKU, CLAUDE_HAIKU_45, GENERATED, LIBRARY, price_of
from services.ai.offline import OfflineProvider
from services.grader import Grader
from tests.fakes.bedrock_server import FakeBedrock

CONTENT = Path(__file__).resolve().parents[1] / "content" / "lessons"
MONTH_START = datetime(2026, 11, 1, tzinfo=UTC)

# Topics learners ask for that the library does not have (a few are popular, most are rare).
OFF_LIBRARY_TOPICS = [
    "matrix operations with lists",
    "working with dates",
    "text adventure game",
    "caesar cipher",
    "prime numbers",
    "fizzbuzz variations",
    "palindromes",
    "word frequency counting",
    "binary numbers",
    "tic tac toe board",
    "temperature conversion",
    "simple bank account",
    "shopping cart totals",
    "roman numerals",
    "anagram detection",
    "grade calculator",
    "queue simulation",
    "string compression",
    "flattening nested lists",
    "run length encoding",
    "validating passwords",
    "parsing log lines",
    "inventory management",
    "unit conversion tables",
    "leap years",
    "vowel counting",
    "number guessing",
    "merging sorted lists",
    "histogram printing",
    "calendar printing",
    "morse code",
    "recipe scaling",
    "pascal's triangle",
    "matrix transpose",
    "dice statistics",
    "url slugs",
    "phone number formatting",
    "to-do list manager",
    "scoreboard ranking",
    "sudoku row checking",
]

TOPIC_WEIGHTS = [1 / (rank + 1) for rank in range(len(OFF_LIBRARY_TOPICS))]  # Zipf: a few popular

# Seed 000's design, as written: Claude 3 Haiku; a lesson prompt of ~110 tokens answered with up to
# 1,500 (about 1,100 in practice); AI feedback on every failed submission among a learner's first two
# attempts at a lesson: ~95 tokens in (prompt + 200 error characters), up to 150 out (~80).
SEED_LESSON_TOKENS = (110, 1100)
SEED_FEEDBACK_TOKENS = (95, 80)
SEED_CLAIM = "12-18 USD a month for Bedrock"
NO_PASSWORD = "!"  # noqa: S105 - simulated learners never log in


@dataclass
class Tally:
    lesson_views: int = 0
    submissions: int = 0
    failed: int = 0
    seed_feedback_calls: int = 0
    authored_hints: int = 0
    ai_hint_requests: int = 0
    ai_hints_from_model: int = 0
    ai_hint_limit_hits: int = 0
    off_library_requests: int = 0
    nearest_lesson_fallbacks: int = 0
    explanations: int = 0
    generated_quizzes: int = 0


class SimClock:
    def __init__(self) -> None:
        self.now = MONTH_START

    def __call__(self) -> datetime:
        return self.now


def build_events(rng: random.Random, learners: int, lessons: list[dict[str, Any]]) -> list[tuple]:
    """(time, learner, kind, detail) for the month; kind: curated | off_library."""
    events = []
    ordered = sorted(lessons, key=lambda lesson: lesson.get("order", 0))
    for n in range(learners):
        user = f"learner-{n:03d}"
        start = rng.randrange(0, max(1, len(ordered) - 12))  # not everyone starts at lesson one
        count = max(3, int(rng.gauss(11.5, 4)))
        for k in range(count):
            at = MONTH_START + timedelta(seconds=rng.uniform(0, 29.5 * 86_400))
            lesson = ordered[min(len(ordered) - 1, start + k)] if rng.random() > 0.15 else rng.choice(ordered)
            events.append((at, user, "curated", lesson["id"]))
        if rng.random() < 0.09:  # ~9% of learners ask for an off-library lesson, a few twice
            for _ in range(1 if rng.random() < 0.7 else 2):
                topic = rng.choices(OFF_LIBRARY_TOPICS, weights=TOPIC_WEIGHTS)[0]
                at = MONTH_START + timedelta(seconds=rng.uniform(0, 29.5 * 86_400))
                events.append((at, user, "off_library", topic))
    return sorted(events)


def simulate(learners: int, seed: int) -> tuple[Tally, Any, int, dict[str, int]]:
    rng = random.Random(seed)
    index = LessonIndex.from_dir(CONTENT)
    lessons = list(index.lessons.values())
    grader = Grader()
    # A failing submission's report: the real grader on each lesson's starter (what a learner who
    # has not solved it yet submits), graded once and reused.
    starter_reports = {lesson["id"]: grader.grade(lesson["starter"], lesson["tests"]) for lesson in lessons}
    tally = Tally()
    clock = SimClock()
    with tempfile.TemporaryDirectory() as tmp, FakeBedrock() as fake:
        store = SqliteStore(str(Path(tmp) / "bench.sqlite3"))
        store.init_schema()
        settings = AISettings(provider="bedrock", endpoint_url=fake.url)
        fake.answers["explain"] = cite_the_passages
        fake.answers["quiz"] = GENERATED_QUIZ
        fake.answers["chat"] = tutor_answer
        fake_credentials = {"aws_access_key_id": "bench", "aws_secret_access_key": "bench"}
        session = boto3.session.Session(region_name=settings.region, **fake_credentials)
        client = make_bedrock_client(settings, session=session)
        service = AIService(
            BedrockProvider(client, settings), store, settings=settings, clock=clock, fallback=OfflineProvider(index)
        )
        for n in range(learners):
            store.create_user(User(id=f"learner-{n:03d}", email=f"learner{n}@example.com", password_hash=NO_PASSWORD))
        for at, user, kind, detail in build_events(rng, learners, lessons):
            clock.now = at
            if kind == "curated":
                tally.lesson_views += 1
                record_lesson_view(store, LIBRARY, clock=clock)
                attempt_lesson(rng, service, store, tally, user, index.get(detail), starter_reports[detail])
            else:
                request_off_library(service, grader, store, index, tally, user, detail)
        tally.explanations, tally.generated_quizzes = tutor_month(rng, store, service, grader, index, clock, learners,
                                                                  CONTENT, MONTH_START)
        month_end = MONTH_START + timedelta(days=29, hours=23)
        summary = cost_summary(service.budget, settings, month_end, days=30)
        headline_calls = len(fake.requests)
        assistant = assistant_month(rng, service, clock, learners, lessons, store, index, grader, CONTENT,
                                    MONTH_START)
        with_assistant = cost_summary(service.budget, settings, month_end, days=30)
        client.close()
        store.close()
        by_task = dict(Counter(r["task"] for r in fake.requests))
        caching = cache_figures(fake.requests)
    return tally, summary, headline_calls, by_task, (assistant, with_assistant, caching)


def attempt_lesson(rng, service, store, tally, user, lesson, report) -> None:
    """A learner works on a lesson: some read only; others submit until they pass or give up, reveal
    authored hints after failures, and ask for AI hints once those are used up."""
    if rng.random() < 0.25:  # read it, or came back to re-read
        return
    difficulty = {"beginner": 0.45, "intermediate": 0.55, "advanced": 0.62}[lesson.get("level", "beginner")]
    authored = len(lesson.get("hints", []))
    shown = 0
    for attempt in range(1, 9):
        tally.submissions += 1
        if rng.random() > difficulty:  # passed
            return
        tally.failed += 1
        tally.seed_feedback_calls += attempt <= 2  # the seed asked the model on each early failure
        if rng.random() < 0.6:  # stuck: wants a hint
            if shown < authored:
                shown += 1
                tally.authored_hints += 1
            elif rng.random() < 0.8:
                tally.ai_hint_requests += 1
                try:
                    answer = next_ai_hint(
                        service, store, user_id=user, lesson=lesson, code=lesson["starter"], report=report
                    )
                    tally.ai_hints_from_model += answer.source == "bedrock"
                except AIHintLimitReached:
                    tally.ai_hint_limit_hits += 1
        if rng.random() < 0.12:  # gives up for now
            return


def request_off_library(service, grader, store, index, tally, user, topic) -> None:
    tally.off_library_requests += 1
    tally.lesson_views += 1
    clock = service.budget.now
    try:
        _, source, _ = generate_lesson(
            service,
            grader,
            store,
            language="python",
            level="beginner",
            topic=topic,
            user_id=user,
            lesson_index=index,
            clock=clock,
        )
        record_lesson_view(store, CACHE if source == "cache" else GENERATED, clock=clock)
    except LessonUnavailable:
        tally.nearest_lesson_fallbacks += 1
        record_lesson_view(store, LIBRARY, clock=clock)


def seed_design_cost(tally: Tally, generations: int, model: str) -> float:
    price = price_of(model)
    return generations * price.cost_usd(*SEED_LESSON_TOKENS) + tally.seed_feedback_calls * price.cost_usd(
        *SEED_FEEDBACK_TOKENS
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--seed", type=int, default=20261101)
    args = parser.parse_args()
    started = time.monotonic()
    tally, summary, headline_calls, by_task, (assistant_requests, everything, caching) = simulate(args.learners,
                                                                                                   args.seed)
    views, free = summary.lesson_views, summary.lesson_views_without_model
    print(
        f"Simulated month: {args.learners} learners, {views} lesson views ({free} without a model call), "
        f"{tally.submissions} submissions ({tally.failed} failed), {tally.authored_hints} authored hints, "
        f"{tally.ai_hint_requests} AI hint requests ({tally.ai_hints_from_model} answered by the model, "
        f"{tally.ai_hint_limit_hits} over the per-lesson cap), {tally.off_library_requests} off-library "
        f"lesson requests ({summary.ai_lesson_generations} generations, {summary.ai_lesson_cache_hits} cache "
        f"hits, {tally.nearest_lesson_fallbacks} nearest-lesson fallbacks), {tally.explanations} concept "
        f"explanations and {tally.generated_quizzes} quizzes with generated questions "
        f"({TUTOR_PER_LEARNER} per learner)."
    )
    print("Spend by feature (lessons, submissions, hints, explanations, quizzes):")
    for row in summary.features:
        if row.model_calls or row.calls_avoided:
            print(
                f"  {row.feature:<15} model_calls={row.model_calls:<5} avoided={row.calls_avoided:<5} "
                f"in={row.input_tokens:<8} out={row.output_tokens:<8} usd={row.cost_usd:.4f}"
            )
    print(
        "Prices (USD per 1M tokens in/out): "
        + "; ".join(f"{p.label} {p.input_per_mtok}/{p.output_per_mtok}" for p in summary.prices)
    )
    print(
        f"Fake Bedrock server: {headline_calls} Converse calls for this workload; all calls by task, "
        f"with the assistant: {json.dumps(by_task, sort_keys=True)}"
    )
    extra = everything.total_cost_usd - summary.total_cost_usd
    print(
        f"Chat and code assistant at {ASSISTANT_PER_LEARNER} requests per learner "
        f"({assistant_requests} requests) add {extra:.2f} USD "
        + ", ".join(
            f"{f.feature} {f.cost_usd:.2f}"
            for f in everything.features
            if f.feature not in {r.feature for r in summary.features}
        )
        + f"; month total {everything.total_cost_usd:.2f} USD."
    )
    print(
        f"Prompt caching: {caching['calls_with_cache_point']} calls with a cache point (where the prefix reaches "
        f"the model's minimum), {caching['cache_read_tokens']} input tokens read from the cache and "
        f"{caching['cache_write_tokens']} written to it, {caching['saved_usd']:.2f} USD less than the same tokens "
        "as plain input."
    )
    generations = summary.ai_lesson_generations
    seed_haiku3 = seed_design_cost(tally, generations, CLAUDE_3_HAIKU)
    seed_haiku45 = seed_design_cost(tally, generations, CLAUDE_HAIKU_45)
    print(
        f"Seed 000's design on the same workload: {tally.seed_feedback_calls} feedback calls + {generations} "
        f"generations = {seed_haiku3:.2f} USD with Claude 3 Haiku (retired), {seed_haiku45:.2f} USD at "
        f"Claude Haiku 4.5 prices; the seed claims {SEED_CLAIM}."
    )
    print(
        f"Budget {summary.budget_usd:.2f} USD; projection {summary.projection_usd:.2f} USD; emergency mode "
        f"{'on' if summary.emergency.on else 'off'}; ran in {time.monotonic() - started:.1f} s."
    )
    print(
        f"cost_month usd={everything.total_cost_usd:.2f} lesson_views={views} model_calls={everything.model_calls} "
        f"no_model_share={summary.no_model_share:.3f} usd_core={summary.total_cost_usd:.2f}"
    )


if __name__ == "__main__":
    main()

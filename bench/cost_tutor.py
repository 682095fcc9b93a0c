"""The tutor and the code assistant in `bench.cost_month`'s month: concept explanations and generated
quizzes (issue 14), tutor chat and code-assistant requests (issue 16), through their real services on
the month's AIService, store and clock. `python -m bench.cost_month` runs them and prints the figures.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.tutor_chat_questions import QUESTIONS
from services.ai.models import price_of
from services.assistant.service import AssistantService
from services.chat.service import ChatService
from services.lessons.library import LessonLibrary
from services.tutor.concepts import load_concept_map
from services.tutor.service import build_tutor

# The tutor, in the headline (issue 14), per active learner per month: 10 concept explanations (at the
# learner's band, so each concept x band is asked of the model once and cached) and 3 quizzes on
# concepts with few bank questions, where generated questions are used after validation (cached per
# concept). Concepts are drawn with a Zipf weight over the curriculum: early concepts are asked most.
TUTOR_PER_LEARNER = {"explain": 10, "generated_quiz": 3}
# Tutor chat and code-assistant requests per active learner per month (issue 16's assumptions), through
# the real services: chat questions in conversations of 4 (1 in 4 started from a lesson page, so with
# the challenge, the code and the last results as context), reviews (static first: the model is asked
# only when the static checks find nothing essential), debug requests with the failing test's message,
# explain / optimize, and generate (checked against the closest uncompleted challenges).
ASSISTANT_PER_LEARNER = {"chat": 20, "review": 8, "debug": 5, "explain": 2, "optimize": 1, "generate": 2}
CHAT_TURNS_PER_CONVERSATION = 4
# A conversation's questions come a few minutes apart (inside Bedrock's 5-minute cache lifetime, so the
# next turn can read the history the last one cached); conversations themselves are spread over the month.
MINUTES_BETWEEN_TURNS = 3
# The fake tutor's answer is as long as the ~280 output tokens the fake bills for it (about 1,100
# characters with the summary), so the history later turns carry is as long as a real one.
CHAT_ANSWER = ("Think about what the loop sees on each pass: the name after `for` takes each item in turn, and "
               "the indented block runs once for each. The lesson section cited here shows it with a list of "
               "names, and the same idea works with `range()`, which hands out numbers instead of items. ") * 3


def tutor_month(rng, store, service, grader, index, clock, learners, content: Path, start: datetime,
                ) -> tuple[int, int]:
    """Explanations and generated quizzes at TUTOR_PER_LEARNER through the tutor's own services
    (cache, citations checked, questions run in the grader); returns (explanations, quizzes)."""
    library, _ = LessonLibrary.from_directory(content)
    concepts, _ = load_concept_map(content, library.all())
    tutor = build_tutor(store, concepts, list(library.all()), service, index, grader)
    ordered = concepts.all()
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(ordered))]
    few_questions = [c for c in ordered if len(tutor.quizzes.bank.of_concept(c.id)) < 5]
    explanations = quizzes = 0
    for n in range(learners):
        user = f"learner-{n:03d}"
        for _ in range(TUTOR_PER_LEARNER["explain"]):
            clock.now = start + timedelta(seconds=rng.uniform(0, 29.5 * 86_400))
            concept = rng.choices(ordered, weights)[0]
            tutor.explanations.explain(user, concept.id, rng.choice((0.1, 0.5, 0.9)))  # new / developing / confident
            explanations += 1
        for _ in range(TUTOR_PER_LEARNER["generated_quiz"]):
            clock.now = start + timedelta(seconds=rng.uniform(0, 29.5 * 86_400))
            tutor.quizzes.start_concept_quiz(user, rng.choice(few_questions).id)
            quizzes += 1
    return explanations, quizzes


def cite_the_passages(body: dict[str, Any]) -> dict[str, Any]:
    """The fake model's explanation: it cites the first passage it was given (as a grounded model does)."""
    text = json.dumps(body["messages"])
    found = re.search(r"\[lesson_id=([^ |]+) \| title=([^|]+?) \| section=([^\]]*)\]", text)
    citations = [{"lesson_id": found.group(1), "title": found.group(2), "section": found.group(3)}] if found else []
    return {"explanation": "A short explanation grounded in the lesson passage.", "example": "x = 1",
            "key_points": ["one point"], "citations": citations}


GENERATED_QUIZ = {"questions": [{
    "question": "What does `sorted([3, 1, 2])[0]` return?", "choices": ["3", "1", "2", "0"], "answer": 1,
    "explanation": "sorted returns a new list in ascending order.",
    "why_not": ["the first before sorting", "", "x", "y"],
    "program": {"code": "print(repr(sorted([3, 1, 2])[0]))", "outputs": ["3", "1", "2", "0"]}}]}


def assistant_month(rng, service, clock, learners, lessons, store, index, grader, content: Path,
                    start: datetime) -> int:
    """Tutor chat and the code assistant at ASSISTANT_PER_LEARNER, through ChatService and
    AssistantService (retrieval, history window, citations, the gate, static review first)."""
    library, _ = LessonLibrary.from_directory(content)
    chat = ChatService(store, service, index, library, grader, clock=clock)
    assistant = AssistantService(store, service, index, library, grader)
    codes = [lesson["solution"] for lesson in lessons] + [lesson["starter"] for lesson in lessons]
    requests = 0
    for n in range(learners):
        user = f"learner-{n:03d}"
        conversation = None
        begun = start
        for turn in range(ASSISTANT_PER_LEARNER["chat"]):
            at = start + timedelta(seconds=rng.uniform(0, 29.5 * 86_400))
            if turn % CHAT_TURNS_PER_CONVERSATION == 0:
                begun = at
            clock.now = begun + timedelta(minutes=MINUTES_BETWEEN_TURNS * (turn % CHAT_TURNS_PER_CONVERSATION))
            if turn % CHAT_TURNS_PER_CONVERSATION == 0:
                from_lesson = rng.choice(lessons)["id"] if rng.random() < 0.25 else ""
                conversation = chat.start(user, lesson_id=from_lesson)
            chat.ask(user, conversation.id, rng.choice(QUESTIONS)[0])
            requests += 1
        for mode in ("review", "debug", "explain", "optimize", "generate"):
            for _ in range(ASSISTANT_PER_LEARNER[mode]):
                clock.now = start + timedelta(seconds=rng.uniform(0, 29.5 * 86_400))
                lesson = rng.choice(lessons)
                assistant.ask(user, mode, rng.choice(codes), error="AssertionError: assert 3 == 4",
                              description=f"a small example of {lesson['topic']}")
                requests += 1
    chat.close()
    return requests


def tutor_answer(body: dict[str, Any]) -> dict[str, Any]:
    """The fake model's chat answer: CHAT_ANSWER, citing the first passage given, with a summary."""
    return {"answer": CHAT_ANSWER[:2000], "cited": ["P1"],
            "summary": "The learner asks how loops walk through a list and a range; the tutor points at the "
                       "lesson section and asks them to try one pass by hand."}


def cache_figures(requests: list[dict[str, Any]]) -> dict[str, Any]:
    """Prompt caching over the fake server's calls: calls with a cache point, tokens read from and
    written to the cache, and what the cache saved against paying those tokens as plain input."""
    marked = read = write = 0
    saved = 0.0
    for request in requests:
        usage, body = request.get("usage") or {}, request["body"]
        blocks = [*(body.get("system") or ()), *(b for m in body["messages"] for b in m["content"])]
        marked += any("cachePoint" in b for b in blocks)
        hit, put = usage.get("cacheReadInputTokens", 0), usage.get("cacheWriteInputTokens", 0)
        read, write = read + hit, write + put
        price = price_of(request["model"])
        saved += (hit * (price.input_per_mtok - price.cache_read_per_mtok)
                  + put * (price.input_per_mtok - price.cache_write_per_mtok)) / 1_000_000
    return {"calls_with_cache_point": marked, "cache_read_tokens": read, "cache_write_tokens": write,
            "saved_usd": saved}

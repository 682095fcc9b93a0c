"""The wait a learner sees is bounded by GRADER_QUEUE_SECONDS whatever the server's threads: with many
learners submitting at once on a real server, every request is answered - graded or "busy" - within
the queue setting plus one run. The server with a fixed pool of request threads is the case that
broke: the queue formed in the server's pool, before the grader could say "busy"."""

from __future__ import annotations

import pytest

from app import create_app
from services.grader.languages import LANGUAGES
from tests.web.live_server import SlowSandbox, all_at_once, code_of, live_learner, serve

RUN_SECONDS = 1.0
QUEUE_SECONDS = 1.5
SLACK_SECONDS = 1.0  # the request around the run on a shared 2-core machine


@pytest.fixture
def sandbox(monkeypatch):
    fake = SlowSandbox(RUN_SECONDS)
    monkeypatch.setitem(LANGUAGES, "python", fake)
    return fake


def submit_all_at_once(app, learners: int, threads: int | None):
    people = [live_learner(app, f"learner{n}@example.com") for n in range(learners)]
    with serve(app, threads=threads) as base:
        return all_at_once([lambda who=who: who.post(base, "submit", {"code": code_of(who)}) for who in people])


@pytest.mark.parametrize("threads", [4, None], ids=["a pool of 4 request threads (gunicorn gthread)",
                                                    "a thread per connection"])
def test_sixteen_learners_at_once_are_each_graded_or_told_busy_within_the_bound(app_config, sandbox, threads):
    app = create_app({**app_config, "GRADER_CONCURRENCY": 2, "GRADER_QUEUE_LENGTH": 1,
                      "GRADER_QUEUE_SECONDS": QUEUE_SECONDS})
    try:
        answers = submit_all_at_once(app, 16, threads)
    finally:
        app.extensions["codelearn.store"].close()
    assert [a.status for a in answers] == [200] * 16
    slowest = max(a.seconds for a in answers)
    assert slowest < QUEUE_SECONDS + RUN_SECONDS + SLACK_SECONDS, sorted(round(a.seconds, 2) for a in answers)
    graded = [a for a in answers if not a.busy]
    busy = [a for a in answers if a.busy]
    assert 2 <= len(graded) <= 3 and len(graded) == sandbox.runs  # two slots, one waiting place
    assert max(a.seconds for a in busy) < SLACK_SECONDS  # told at once, not after waiting
    assert all("busy" in a.response.json()["summary"] for a in busy)


def test_real_sandboxes_behind_a_pool_of_3_threads_answer_within_the_bound(app_config):
    """The same claim with the real sandbox: eight learners each send a loop that runs until killed."""
    cpu, wall, queue = 1, 2, 1
    app = create_app({**app_config, "GRADER_CONCURRENCY": 1, "GRADER_QUEUE_LENGTH": 1, "GRADER_QUEUE_SECONDS": queue,
                      "GRADER_CPU_SECONDS": cpu, "GRADER_WALL_SECONDS": wall})
    try:
        people = [live_learner(app, f"learner{n}@example.com") for n in range(8)]
        with serve(app, threads=3) as base:
            answers = all_at_once([lambda who=who: who.post(base, "submit", {"code": "while True:\n    pass\n"})
                                   for who in people])
    finally:
        app.extensions["codelearn.store"].close()
    assert [a.status for a in answers] == [200] * 8
    assert max(a.seconds for a in answers) < queue + wall + SLACK_SECONDS, sorted(round(a.seconds, 2) for a in answers)
    graded = [a.response.json() for a in answers if not a.busy]
    assert 1 <= len(graded) <= 2 and all(r["status"] == "timeout" for r in graded)  # one slot, one waiting place

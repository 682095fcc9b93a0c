"""The Grader's queue is bounded twice: at most `max_waiting` submissions wait for a slot (the next one is
told "busy" at once, so request threads never pile up behind the grader), and none waits longer than
`queue_timeout_seconds`. The sandbox is a stand-in that takes a set time; the slots and queue are real."""

from __future__ import annotations

import time

import pytest

from services.grader import Grader
from services.grader.languages import LANGUAGES
from services.grader.report import BUSY_MESSAGE
from tests.web.live_server import SlowSandbox, all_at_once

TESTS = ["def test_city_exists():\n    assert 'city' in globals()\n"]


@pytest.fixture
def sandbox(monkeypatch):
    fake = SlowSandbox(0.6)
    monkeypatch.setitem(LANGUAGES, "python", fake)
    return fake


def timed_grade(grader: Grader, owner: str):
    def grade():
        started = time.monotonic()
        report = grader.grade(f"# {owner}\ncity = 1\n", TESTS)
        return report, time.monotonic() - started
    return grade


def test_past_the_slots_and_the_waiting_places_busy_comes_at_once(sandbox):
    grader = Grader(concurrency=1, max_waiting=1, queue_timeout_seconds=5)
    answers = all_at_once([timed_grade(grader, f"learner-{n}") for n in range(5)])
    busy = [seconds for report, seconds in answers if report.busy]
    graded = sorted(seconds for report, seconds in answers if not report.busy)
    assert len(busy) == 3 and max(busy) < 0.3  # not after a wait
    assert len(graded) == 2 and graded[0] < 0.6 + 0.3 and graded[1] < 2 * 0.6 + 0.3  # one ran, one waited once
    assert sandbox.runs == 2
    assert all(report.message == BUSY_MESSAGE and [t.name for t in report.tests] == ["test_city_exists"]
               for report, _ in answers if report.busy)


def test_a_waiter_waits_no_longer_than_the_queue_setting(sandbox):
    sandbox.seconds = 2.0
    grader = Grader(concurrency=1, max_waiting=3, queue_timeout_seconds=0.4)
    answers = all_at_once([timed_grade(grader, f"learner-{n}") for n in range(3)])
    waited = [seconds for report, seconds in answers if report.busy]
    assert len(waited) == 2 and all(0.35 < seconds < 0.4 + 0.3 for seconds in waited)


def test_places_are_given_back_after_busy_answers_and_runs(sandbox):
    sandbox.seconds = 0.0
    grader = Grader(concurrency=2, max_waiting=1, queue_timeout_seconds=1)
    for _ in range(10):
        assert not grader.grade("# ada\ncity = 1\n", TESTS).busy


def test_the_waiting_room_defaults_to_one_place_per_slot_and_must_not_be_negative():
    assert Grader(concurrency=3).max_waiting == 3
    assert Grader(concurrency=2, max_waiting=0).max_waiting == 0
    with pytest.raises(ValueError, match="max_waiting"):
        Grader(max_waiting=-1)

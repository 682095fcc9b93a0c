"""gunicorn.conf.py sizes the server from the grader's settings: grading can hold at most its slots
plus its waiting places, and PAGE_THREADS more threads are always left for pages."""

from __future__ import annotations

import runpy
from pathlib import Path

import config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def _served(monkeypatch, **settings) -> dict:
    for name, value in settings.items():
        monkeypatch.setenv(f"{config.ENV_PREFIX}_{name}", str(value))
    return runpy.run_path(str(CONF))


def test_threads_leave_pages_their_own_beyond_every_place_grading_can_hold(monkeypatch):
    served = _served(monkeypatch, GRADER_CONCURRENCY=3, GRADER_QUEUE_LENGTH=5)
    assert served["threads"] == 3 + 5 + served["PAGE_THREADS"] and served["PAGE_THREADS"] >= 4
    defaults = config.defaults()
    monkeypatch.delenv(f"{config.ENV_PREFIX}_GRADER_CONCURRENCY")
    monkeypatch.delenv(f"{config.ENV_PREFIX}_GRADER_QUEUE_LENGTH")
    served = runpy.run_path(str(CONF))
    grading = defaults["GRADER_CONCURRENCY"] + defaults["GRADER_QUEUE_LENGTH"]
    assert served["threads"] == grading + served["PAGE_THREADS"]


def test_one_worker_so_the_grader_slots_are_the_machine_s_and_its_queue_is_shared(monkeypatch):
    served = _served(monkeypatch)
    assert served["workers"] == 1 and served["worker_class"] == "gthread"
    public = {name for name in served if not name.startswith("_") and name not in ("PAGE_THREADS", "grader_threads")}
    assert public <= {"workers", "worker_class", "threads", "keepalive", "backlog"}  # only gunicorn settings

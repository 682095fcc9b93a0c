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
    assert served["threads"] == 3 + 5 + config.PAGE_THREADS and config.PAGE_THREADS >= 4
    defaults = config.defaults()
    monkeypatch.delenv(f"{config.ENV_PREFIX}_GRADER_CONCURRENCY")
    monkeypatch.delenv(f"{config.ENV_PREFIX}_GRADER_QUEUE_LENGTH")
    served = runpy.run_path(str(CONF))
    grading = defaults["GRADER_CONCURRENCY"] + defaults["GRADER_QUEUE_LENGTH"]
    assert served["threads"] == grading + config.PAGE_THREADS


def test_one_worker_so_the_grader_slots_are_the_machine_s_and_its_queue_is_shared(monkeypatch):
    served = _served(monkeypatch)
    assert served["workers"] == 1 and served["worker_class"] == "gthread"
    public = {name for name in served if not name.startswith("_")}
    assert public <= {"workers", "worker_class", "threads", "keepalive", "backlog"}  # only gunicorn settings


def test_the_store_client_keeps_a_connection_for_every_thread_that_may_call_it(monkeypatch, app_config):
    """botocore keeps 10 connections by default; with more threads each request past them opened
    a new one and threw it away ("Connection pool is full, discarding connection")."""
    from moto import mock_aws

    from app import create_app

    served = _served(monkeypatch)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        app = create_app({**app_config, "STORE": "dynamodb"})
    client = app.extensions["codelearn.store"]._client
    assert client.meta.config.max_pool_connections >= served["threads"]

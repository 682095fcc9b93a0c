"""The grader's wall-clock limit follows its CPU limit and, on Lambda, the function's CPU share."""

from __future__ import annotations

import pytest

import config
from app import create_app
from services.grader.limits import (
    API_GATEWAY_SECONDS,
    LAMBDA_MB_PER_VCPU,
    REQUEST_OVERHEAD_SECONDS,
    Limits,
    cpu_share,
    function_memory_mb,
    wall_seconds_for,
)

QUEUE = config.defaults()["GRADER_QUEUE_SECONDS"]
ON_LAMBDA_512 = {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"}


def test_off_lambda_the_wall_limit_is_the_measured_five_seconds_for_two_cpu_seconds():
    assert wall_seconds_for(2, memory_mb=None, queue_seconds=QUEUE) == 5
    assert Limits().cpu_seconds == 4 and Limits().wall_seconds == 8  # the default total: 2 tests' slices


def test_at_512_mb_the_cpu_seconds_fit_in_the_wall_limit():
    share = cpu_share(512)
    assert share == pytest.approx(512 / 1769) and share < 0.3
    seconds_of_cpu_work = 2 / share  # what the 2 CPU seconds take at this share: ~6.9 s
    wall = wall_seconds_for(2, memory_mb=512, queue_seconds=QUEUE)
    assert wall == 12.4
    assert wall > seconds_of_cpu_work + 1, "a run must reach its CPU limit before the wall limit"
    assert QUEUE + wall + REQUEST_OVERHEAD_SECONDS <= API_GATEWAY_SECONDS


def test_more_memory_gives_more_cpu_up_to_one_core():
    walls = [wall_seconds_for(2, memory_mb=mb, queue_seconds=QUEUE) for mb in (768, 1024, 1536)]
    assert walls == sorted(walls, reverse=True) and walls[0] < 12.4
    full = wall_seconds_for(2, memory_mb=LAMBDA_MB_PER_VCPU, queue_seconds=QUEUE)
    assert full == wall_seconds_for(2, memory_mb=10240, queue_seconds=QUEUE) == 5, \
        "a sandbox is one process: more than one vCPU does not speed it up"


def test_the_wall_limit_never_pushes_a_request_past_api_gateway():
    # 128 MB would want 2 / 0.072 * 1.5 + 2 = 43 s; the queue wait and the request come first.
    ceiling = API_GATEWAY_SECONDS - REQUEST_OVERHEAD_SECONDS
    assert wall_seconds_for(2, memory_mb=128, queue_seconds=QUEUE) == ceiling - QUEUE
    assert wall_seconds_for(2, memory_mb=128, queue_seconds=0) == ceiling
    with pytest.raises(ValueError, match="GRADER_QUEUE_SECONDS"):
        wall_seconds_for(2, memory_mb=512, queue_seconds=26)


def test_more_cpu_seconds_mean_a_longer_wall_limit():
    assert wall_seconds_for(1, memory_mb=None, queue_seconds=QUEUE) == 3.5
    assert wall_seconds_for(4, memory_mb=None, queue_seconds=QUEUE) == 8


def test_function_memory_comes_from_lambdas_variable():
    assert function_memory_mb({}) is None
    assert function_memory_mb({"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": ""}) is None
    assert function_memory_mb(ON_LAMBDA_512) == 512
    for bad in ("512MB", "0", "-1"):
        with pytest.raises(ValueError, match="AWS_LAMBDA_FUNCTION_MEMORY_SIZE"):
            function_memory_mb({"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": bad})


def test_config_derives_the_wall_limit_unless_it_is_set():
    settings = config.defaults()
    assert settings["GRADER_WALL_SECONDS"] is None
    assert config.grader_limits(settings, environ={}).wall_seconds == 8
    # 4 CPU s at 0.29 of a vCPU would want 22.7 s: the cap (29 - 3 - the 10 s queue) wins.
    assert config.grader_limits(settings, environ=ON_LAMBDA_512).wall_seconds == 16
    explicit = {**settings, "GRADER_WALL_SECONDS": 8}
    assert config.grader_limits(explicit, environ=ON_LAMBDA_512).wall_seconds == 8
    slower_queue = {**settings, "GRADER_QUEUE_SECONDS": 20}
    assert config.grader_limits(slower_queue, environ={"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256"}).wall_seconds == 6


def test_the_app_reads_the_function_memory_when_it_is_built(app_config, monkeypatch):
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", raising=False)
    apps = [create_app(app_config)]
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")  # after `config` and `app` were imported
    apps.append(create_app(app_config))
    monkeypatch.setenv("CODELEARN_GRADER_WALL_SECONDS", "7")
    apps.append(create_app(app_config))
    try:
        assert [a.extensions["codelearn.grader"].limits.wall_seconds for a in apps] == [8, 16, 7]
    finally:
        for each in apps:
            each.extensions["codelearn.store"].close()

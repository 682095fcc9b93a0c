"""The one limiter in front of every path that runs a learner's code: a budget per path on the store's
counters (shared by every process), a cap on one learner's runs at once, and refusals before anything
runs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from dal.sqlite import SqliteStore
from services.code_runs import AI_HINT, SUBMIT, CodeRunLimiter
from services.errors import RateLimited
from services.ratelimit import RateLimiter

NOW = datetime(2026, 11, 10, 12, 0, 30, tzinfo=UTC)


@pytest.fixture
def db_path(tmp_path) -> str:
    path = str(tmp_path / "runs.sqlite3")
    store = SqliteStore(path)
    store.init_schema()
    store.close()
    return path


@pytest.fixture
def stores(db_path):
    opened: list[SqliteStore] = []

    def open_store() -> SqliteStore:
        opened.append(SqliteStore(db_path))
        return opened[-1]

    yield open_store
    for store in opened:
        store.close()


def limiter_on(store, **overrides) -> CodeRunLimiter:
    settings = {"per_minute": {SUBMIT: 3, AI_HINT: 2}, "in_flight_per_learner": 1, "run_seconds": 15, **overrides}
    return CodeRunLimiter(RateLimiter(store, clock=lambda: NOW), **settings)


def run(limiter: CodeRunLimiter, user_id: str, path: str) -> bool:
    """True when the body ran; False when the limiter refused before it."""
    try:
        with limiter.admit(user_id, path):
            return True
    except RateLimited:
        return False


def test_each_path_has_its_own_budget(stores):
    limiter = limiter_on(stores())
    assert [run(limiter, "ada", SUBMIT) for _ in range(4)] == [True, True, True, False]
    assert [run(limiter, "ada", AI_HINT) for _ in range(3)] == [True, True, False]  # submits did not use it
    assert run(limiter, "bob", SUBMIT)  # per learner


def test_a_refusal_names_the_budget_and_when_to_come_back(stores):
    limiter = limiter_on(stores())
    for _ in range(3):
        run(limiter, "ada", SUBMIT)
    ran = []
    with pytest.raises(RateLimited) as refused, limiter.admit("ada", SUBMIT):
        ran.append(1)
    assert ran == []  # nothing runs once refused
    assert refused.value.retry_after == 30  # the minute's window ends 30 s after NOW
    assert "3 submissions in the last minute" in str(refused.value)
    with pytest.raises(RateLimited) as hint:
        for _ in range(3):
            with limiter.admit("ada", AI_HINT):
                pass
    assert "2 AI hints in the last minute" in str(hint.value)


def test_budgets_are_shared_by_every_process_on_the_store(stores):
    first, second = limiter_on(stores()), limiter_on(stores())  # two processes: two stores, one database
    assert [run(first, "ada", SUBMIT), run(second, "ada", SUBMIT), run(first, "ada", SUBMIT)] == [True] * 3
    assert run(second, "ada", SUBMIT) is False


def test_one_learner_has_one_run_at_once_and_others_are_not_held_up(stores):
    limiter = limiter_on(stores(), per_minute={SUBMIT: 100, AI_HINT: 100})
    inside, release = threading.Event(), threading.Event()

    def slow_run() -> None:
        with limiter.admit("ada", SUBMIT):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=slow_run)
    holder.start()
    try:
        assert inside.wait(5)
        # every path counts: a hint while a submission runs
        with pytest.raises(RateLimited) as second, limiter.admit("ada", AI_HINT):
            pass
        assert second.value.retry_after == 15 and "already running" in str(second.value)
        assert run(limiter, "bob", SUBMIT)
    finally:
        release.set()
        holder.join(5)
    assert run(limiter, "ada", SUBMIT)  # the place is given back when the run ends


def test_a_run_that_raises_gives_its_place_back(stores):
    limiter = limiter_on(stores())
    with pytest.raises(ZeroDivisionError), limiter.admit("ada", SUBMIT):
        raise ZeroDivisionError
    assert run(limiter, "ada", SUBMIT)


def test_a_learner_refused_for_a_run_in_progress_keeps_their_budget(stores):
    store = stores()
    limiter = limiter_on(store)
    with limiter.admit("ada", SUBMIT):
        for _ in range(10):
            assert run(limiter, "ada", SUBMIT) is False
    assert [run(limiter, "ada", SUBMIT) for _ in range(3)] == [True, True, False]  # 1 + 2 of 3 used


def test_a_refused_budget_gives_the_in_flight_place_back(stores):
    limiter = limiter_on(stores(), per_minute={SUBMIT: 1, AI_HINT: 1})
    assert run(limiter, "ada", SUBMIT)
    assert run(limiter, "ada", SUBMIT) is False  # over the budget
    assert run(limiter, "ada", AI_HINT)  # not "already running"


def test_every_budget_needs_a_known_path_and_a_positive_count(stores):
    store = stores()
    with pytest.raises(ValueError, match="no refusal"):
        limiter_on(store, per_minute={SUBMIT: 3, "teleport": 1})
    with pytest.raises(ValueError, match="positive"):
        limiter_on(store, per_minute={SUBMIT: 0})
    with pytest.raises(ValueError, match="positive"):
        limiter_on(store, in_flight_per_learner=0)
    with pytest.raises(ValueError, match="no budget"), limiter_on(store, per_minute={SUBMIT: 3}).admit("ada", AI_HINT):
        pass

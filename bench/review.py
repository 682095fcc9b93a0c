"""Does FSRS scheduling keep more than reviewing at an even interval, and is "what is due" one cheap
query? `python -m bench.review`

Simulation: 500 learners over 90 days, each meeting a new item a day for the first 45 days. Memory is
a forgetting model of its own, not the scheduler's: recall after t days is exp(-t / S), S starting at
a per-learner value and, after a successful recall, growing by a per-learner factor that is larger
the more was forgotten (the spacing effect); a failed recall shrinks it (the answer, shown again,
relearns at least most of the first strength). Due items are reviewed up to the daily cap of 20,
most overdue first (recall sampled from the model, rated Good or Again, fuzz off). The baseline does
the same number of reviews per learner, each item reviewed at an even interval over its remaining
days. Retention is the mean chance of recall of every item on day 90.

Measured (a shared 2-core machine): retention 0.929 with 482.9 reviews per learner, fixed interval
0.168 (its first review, days after learning, mostly comes after the item is forgotten, and a fail
relearns little); due query 0.11 ms on SQLite, 9.41 ms on DynamoDB Local.

Due query: list_due_cards (limit 20, the daily cap) for a learner with 2,000 cards, median of 50, on
SQLite and DynamoDB Local. Target: <= 20 ms on both; FSRS retention > the baseline's.
"""

from __future__ import annotations

import math
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.reviews.scheduling import AGAIN, GOOD, Scheduler

LEARNERS, DAYS, NEW_ITEM_DAYS = 500, 90, 45
DUE_CARDS, DUE_RUNS, CAP = 2_000, 50, 20
START = datetime(2026, 1, 1, tzinfo=UTC)


class Memory:
    """The simulated learner's memory of one item (parameters drawn per learner)."""

    def __init__(self, s0: float, growth: float, lapse: float, day: float) -> None:
        self.s0, self.stability, self.growth, self.lapse, self.last = s0, s0, growth, lapse, day

    def recall(self, day: float) -> float:
        return math.exp(-(day - self.last) / self.stability)

    def review(self, day: float, rng: random.Random) -> bool:
        r = self.recall(day)
        recalled = rng.random() < r
        if recalled:
            self.stability *= 1 + self.growth * math.sqrt(1 - r)
        else:  # the answer is shown again: relearnt to most of the first day's strength at least
            self.stability = max(0.8 * self.s0, self.stability * self.lapse)
        self.last = day
        return recalled


def _learner(rng: random.Random) -> tuple[float, float, float]:
    return rng.uniform(0.5, 4.0), rng.uniform(2.0, 6.0), rng.uniform(0.2, 0.6)


def simulate_fsrs(seed: int) -> tuple[float, int]:
    rng = random.Random(seed)
    s0, growth, lapse = _learner(rng)
    scheduler = Scheduler(0.9, fuzzing=False)
    items: list[tuple[Memory, dict, datetime]] = []
    reviews = 0
    for day in range(DAYS):
        now = START + timedelta(days=day)
        if day < NEW_ITEM_DAYS:  # learnt today (the lesson), first review scheduled as on completion
            memory = Memory(s0, growth, lapse, day)
            items.append((memory, {}, now + timedelta(days=1)))
        due_now = sorted((due, index) for index, (_, _, due) in enumerate(items) if due <= now)[:CAP]
        for _, index in due_now:  # the daily cap, most overdue first
            memory, state, due = items[index]
            recalled = memory.review(day, rng)
            state, due = scheduler.review(state, due, GOOD if recalled else AGAIN, now)
            items[index] = (memory, state, due)
            reviews += 1
    return statistics.fmean(m.recall(DAYS) for m, _, _ in items), reviews


def simulate_fixed(seed: int, reviews: int) -> float:
    rng = random.Random(seed)
    s0, growth, lapse = _learner(rng)
    per_item = reviews / NEW_ITEM_DAYS
    memories = []
    for first in range(NEW_ITEM_DAYS):
        memory = Memory(s0, growth, lapse, first)
        count = int(per_item) + (1 if rng.random() < per_item - int(per_item) else 0)
        interval = (DAYS - first) / (count + 1)
        for n in range(1, count + 1):
            memory.review(first + n * interval, rng)
        memories.append(memory)
    return statistics.fmean(m.recall(DAYS) for m in memories)


def due_query_ms(store) -> float:
    from dal.reviews import ReviewCard
    from tests.dal.helpers import new_user

    user = new_user(store)
    now = datetime.now(UTC)
    cards = [ReviewCard(user.id, f"quiz:lesson-{i // 10}#{i % 10}", "quiz", f"lesson-{i // 10}",
                        now + timedelta(hours=i - DUE_CARDS // 2)) for i in range(DUE_CARDS)]
    for start in range(0, len(cards), 100):
        store.add_review_cards(cards[start:start + 100])
    timings = []
    for _ in range(DUE_RUNS):
        started = time.perf_counter()
        found = store.list_due_cards(user.id, now, CAP)
        timings.append((time.perf_counter() - started) * 1000)
        assert len(found) == CAP
    return statistics.median(timings)


def main() -> None:
    from bench.harness import on_dynamodb_local
    from dal.dynamodb import DynamoStore
    from dal.sqlite import SqliteStore
    from tests.dal.helpers import dynamodb_client

    started = time.perf_counter()
    fsrs_runs = [simulate_fsrs(seed) for seed in range(LEARNERS)]
    retention = statistics.fmean(r for r, _ in fsrs_runs)
    per_learner = statistics.fmean(n for _, n in fsrs_runs)
    fixed = statistics.fmean(simulate_fixed(seed, n) for seed, (_, n) in enumerate(fsrs_runs))
    print(f"simulation: {LEARNERS} learners x {DAYS} days in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        sqlite = SqliteStore(str(Path(tmp) / "db.sqlite3"))
        sqlite.init_schema()
        sqlite_ms = due_query_ms(sqlite)
        sqlite.close()
        with on_dynamodb_local(Path(tmp)) as server:
            dynamo = DynamoStore(dynamodb_client(server.endpoint_url), "bench-review")
            dynamo.init_schema()
            dynamo_ms = due_query_ms(dynamo)
    print(f"targets: review retention > fixed_interval_retention; due query <= 20 ms on both "
          f"({DUE_CARDS:,} cards, first {CAP})")
    print(f"review retention={retention:.3f} reviews_per_learner={per_learner:.1f} "
          f"fixed_interval_retention={fixed:.3f} due_query_ms_sqlite={sqlite_ms:.2f} "
          f"due_query_ms_dynamodb_local={dynamo_ms:.2f}")


if __name__ == "__main__":
    main()

"""What the in-process benchmarks share (bench.progress, bench.tutor, bench.review): an app on a
throwaway instance, DynamoDB Local with the environment pointing at it, a learner with a year of
history, and a test client logged in through the form as a browser would be."""

from __future__ import annotations

import os
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PASSWORD = "bench password 123"  # noqa: S105 - throwaway accounts in temp databases
YEAR_EVENTS = 5_200
_DYNAMODB_ENV = ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")


def bench_app(instance: Path, **settings: Any):
    """The real app on its own instance folder, cheap password hashing, quiet logs."""
    from app import create_app

    return create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4,
                       "LOG_LEVEL": "WARNING", **settings})


def dynamodb_app(instance: Path, table: str, **settings: Any):
    """bench_app on DynamoDB (inside on_dynamodb_local), its table created."""
    app = bench_app(instance, STORE="dynamodb", DYNAMODB_TABLE=table, **settings)
    app.extensions["codelearn.store"].init_schema()
    return app


@contextmanager
def on_dynamodb_local(tmp: Path) -> Iterator[Any]:
    """DynamoDB Local (the contract suite's launcher) with the AWS variables pointing at it; both
    undone on the way out. Yields the server (its `endpoint_url`)."""
    from tests.dal.dynamodb_local import DynamoDBLocal

    server = DynamoDBLocal.start(tmp)
    saved = {name: os.environ.get(name) for name in _DYNAMODB_ENV}
    os.environ.update({"AWS_ENDPOINT_URL_DYNAMODB": server.endpoint_url, "AWS_ACCESS_KEY_ID": "bench",
                       "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
    try:
        yield server
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def new_learner(app, email: str, name: str, **preferences: Any):
    """A verified account with the given preferences (time zone, ...)."""
    accounts = app.extensions["codelearn.accounts"]
    store = app.extensions["codelearn.store"]
    with app.test_request_context():
        user = accounts.register(email, PASSWORD, name, lambda token: "http://x/" + token)
    store.update_user(user.id, verified=True, **({"preferences": preferences} if preferences else {}))
    return user


def seed_year(app, user_id: str, events: int = YEAR_EVENTS) -> int:
    """A year of practice: attempts in sessions of a few minutes apart on most days of the last 365
    (with breaks), a record on every lesson of the track, three in four completed. Returns the
    number of events written (>= `events`). Aggregates are not built: the caller back-fills."""
    from dal.base import ActivityEvent

    store = app.extensions["codelearn.store"]
    track = app.extensions["codelearn.tutor"].track
    rng = random.Random(17)
    start = datetime.now(UTC) - timedelta(days=365)
    days = [d for d in range(365) if rng.random() < 0.85]
    per_day = -(-events // len(days))
    written = 0
    for day in days:
        moment = start + timedelta(days=day, hours=rng.randint(6, 20))
        for _ in range(per_day):
            lesson = track[written % len(track)]
            store.add_event(ActivityEvent(user_id, moment, "attempt", {"lesson_id": lesson.id, "status": "fail",
                                                                       "passed": 1, "total": 3}))
            moment += timedelta(minutes=rng.randint(1, 12))
            written += 1
    for lesson in track:
        store.record_attempt(user_id, lesson.id, start)
        if lesson.order % 4:
            store.mark_completed(user_id, lesson.id, start, assisted=False)
    return written


def logged_in_client(app, email: str, password: str = PASSWORD):
    """A test client that logged in through the login form (its CSRF token and all)."""
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email, "password": password})
    if response.status_code != 302:
        raise RuntimeError(f"bench login of {email} failed: {response.status_code}")
    return client

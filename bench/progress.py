"""The dashboard's cost for a learner with a year of history. `python -m bench.progress`

For SQLite and DynamoDB Local (started from the contract suite's launcher), in process:
- the learner gets >= 5,000 activity events over the last 365 days (about 14 a day on most days, a
  record on every lesson, most completed), their aggregates built by `flask progress backfill`'s code;
- record: what one more event costs with its aggregates (the event, the summary, the hour), median;
- dashboard page: server time of GET /dashboard through the app (store reads, streaks, heat map,
  achievements, tutor next steps, rendering), median of 30;
- export: GET /account/export.json (every item of the learner); delete: erasing the account.
Prints, last:

    dashboard page_ms_sqlite=<n> page_ms_dynamodb_local=<n> events=<n> export_s=<n> delete_s=<n>
              record_ms_sqlite=<n> record_ms_dynamodb_local=<n>  (export and delete: DynamoDB Local)

Target (issue 17): the page <= 30 ms on both, flat in history length (it reads aggregates, never
the events beyond the newest 8).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

EVENTS = 5_200
PAGE_RUNS = 30
PASSWORD = "bench password 123"  # noqa: S105 - a throwaway account in a temp database


def _app(instance: Path, **settings):
    from app import create_app

    return create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4,
                       "LOG_LEVEL": "WARNING", **settings})


def _seed(app) -> tuple[str, object]:
    from dal.base import ActivityEvent
    from services.progress.backfill import backfill_user

    store = app.extensions["codelearn.store"]
    track = app.extensions["codelearn.tutor"].track
    accounts = app.extensions["codelearn.accounts"]
    with app.test_request_context():
        user = accounts.register("year@example.com", PASSWORD, "Città", lambda token: "http://x/" + token)
    store.update_user(user.id, verified=True, preferences={"time_zone": "Europe/Rome"})
    rng = random.Random(17)
    start = datetime.now(UTC) - timedelta(days=365)
    days = [d for d in range(365) if rng.random() < 0.85]  # most days, with breaks
    per_day = -(-EVENTS // len(days))
    n = 0
    for day in days:
        moment = start + timedelta(days=day, hours=rng.randint(6, 20))
        for _ in range(per_day):
            lesson = track[n % len(track)]
            store.add_event(ActivityEvent(user.id, moment, "attempt", {"lesson_id": lesson.id, "status": "fail",
                                                                       "passed": 1, "total": 3}))
            moment += timedelta(minutes=rng.randint(1, 12))
            n += 1
    for lesson in track:
        store.record_attempt(user.id, lesson.id, start)
        if lesson.order % 4:
            store.mark_completed(user.id, lesson.id, start, assisted=False)
    started = time.perf_counter()
    backfill_user(store, app.extensions["codelearn.progress_recorder"], user.id)
    print(f"  back-fill of {n} events: {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "email": "year@example.com", "password": PASSWORD})
    assert client.get("/dashboard").status_code == 200
    return user.id, client, n


def _measure(app) -> dict[str, float]:
    from dal.base import ActivityEvent

    user_id, client, events = _seed(app)
    store = app.extensions["codelearn.store"]
    recorder = app.extensions["codelearn.progress_recorder"]
    records = []
    for i in range(40):
        event = ActivityEvent(user_id, datetime.now(UTC) - timedelta(minutes=40 - i), "hint", {"lesson_id": "x"})
        started = time.perf_counter()
        recorder.record(event)
        records.append((time.perf_counter() - started) * 1000)
    pages = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get("/dashboard")
        pages.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and "heat-map" in response.get_data(as_text=True)
    started = time.perf_counter()
    exported = client.get("/account/export.json")
    export_s = time.perf_counter() - started
    assert exported.status_code == 200 and len(exported.data) > 100_000
    started = time.perf_counter()
    store.erase_user(user_id)
    delete_s = time.perf_counter() - started
    assert store.get_user(user_id) is None and not any(store.user_items(user_id).values())
    return {"page_ms": statistics.median(pages), "record_ms": statistics.median(records), "events": events + 40,
            "export_s": export_s, "delete_s": delete_s}


def main() -> None:
    from tests.dal.dynamodb_local import DynamoDBLocal  # the contract suite's launcher

    with tempfile.TemporaryDirectory(prefix="bench-progress-") as tmp:
        print("sqlite:")
        sqlite = _measure(_app(Path(tmp) / "sqlite"))
        print(f"  dashboard {sqlite['page_ms']:.2f} ms (median of {PAGE_RUNS}), record {sqlite['record_ms']:.2f} ms, "
              f"export {sqlite['export_s']:.2f} s, delete {sqlite['delete_s']:.2f} s, {sqlite['events']} events")
        server = DynamoDBLocal.start(Path(tmp))
        saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID",
                                               "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
        os.environ.update({"AWS_ENDPOINT_URL_DYNAMODB": server.endpoint_url, "AWS_ACCESS_KEY_ID": "bench",
                           "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
        try:
            print("dynamodb_local:")
            app = _app(Path(tmp) / "dynamodb", STORE="dynamodb", DYNAMODB_TABLE="bench-progress")
            app.extensions["codelearn.store"].init_schema()
            dynamo = _measure(app)
            print(f"  dashboard {dynamo['page_ms']:.2f} ms, record {dynamo['record_ms']:.2f} ms, "
                  f"export {dynamo['export_s']:.2f} s, delete {dynamo['delete_s']:.2f} s")
        finally:
            server.stop()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    print("target: dashboard <= 30 ms on both; export and delete within the Lambda timeout (30 s)")
    print(f"dashboard page_ms_sqlite={sqlite['page_ms']:.2f} page_ms_dynamodb_local={dynamo['page_ms']:.2f} "
          f"events={dynamo['events']} export_s={dynamo['export_s']:.2f} delete_s={dynamo['delete_s']:.2f} "
          f"record_ms_sqlite={sqlite['record_ms']:.2f} record_ms_dynamodb_local={dynamo['record_ms']:.2f}")


if __name__ == "__main__":
    main()

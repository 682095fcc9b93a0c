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

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import bench_app, dynamodb_app, logged_in_client, new_learner, on_dynamodb_local, seed_year

PAGE_RUNS = 30
EMAIL = "year@example.com"


def _seed(app) -> tuple[str, object, int]:
    """The learner with a year of history, aggregates back-filled; (user id, logged-in client, events)."""
    from services.progress.backfill import backfill_user

    store = app.extensions["codelearn.store"]
    user = new_learner(app, EMAIL, "Città", time_zone="Europe/Rome")
    n = seed_year(app, user.id)
    started = time.perf_counter()
    backfill_user(store, app.extensions["codelearn.progress_recorder"], user.id)
    print(f"  back-fill of {n} events: {time.perf_counter() - started:.1f} s")
    client = logged_in_client(app, EMAIL)
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
    with tempfile.TemporaryDirectory(prefix="bench-progress-") as tmp:
        print("sqlite:")
        sqlite = _measure(bench_app(Path(tmp) / "sqlite"))
        print(f"  dashboard {sqlite['page_ms']:.2f} ms (median of {PAGE_RUNS}), record {sqlite['record_ms']:.2f} ms, "
              f"export {sqlite['export_s']:.2f} s, delete {sqlite['delete_s']:.2f} s, {sqlite['events']} events")
        with on_dynamodb_local(Path(tmp)):
            print("dynamodb_local:")
            dynamo = _measure(dynamodb_app(Path(tmp) / "dynamodb", "bench-progress"))
            print(f"  dashboard {dynamo['page_ms']:.2f} ms, record {dynamo['record_ms']:.2f} ms, "
                  f"export {dynamo['export_s']:.2f} s, delete {dynamo['delete_s']:.2f} s")
    print("target: dashboard <= 30 ms on both; export and delete within the Lambda timeout (30 s)")
    print(f"dashboard page_ms_sqlite={sqlite['page_ms']:.2f} page_ms_dynamodb_local={dynamo['page_ms']:.2f} "
          f"events={dynamo['events']} export_s={dynamo['export_s']:.2f} delete_s={dynamo['delete_s']:.2f} "
          f"record_ms_sqlite={sqlite['record_ms']:.2f} record_ms_dynamodb_local={dynamo['record_ms']:.2f}")


if __name__ == "__main__":
    main()

"""The tutor's cost per request, with a learner holding a year of history. `python -m bench.tutor`

For SQLite and DynamoDB Local (started from the contract suite's launcher), in process:
- the learner gets >= 5,000 activity events, a mastery with a full history on every concept and a
  record on every lesson (what a year of daily practice leaves);
- skill update: the mastery update one graded submission causes (read the concepts' masteries, write
  them back in one transaction), median over submissions on every curated lesson, with real reports
  from the grader;
- profile page: server time of GET /skills through the app (store reads, recommendations, rendering),
  median;
- quiz check: running one program question of the bank in the grader, median over the bank.
Prints, last:

    tutor skill_update_ms_sqlite=<n> skill_update_ms_dynamodb_local=<n> profile_page_ms_sqlite=<n>
          profile_page_ms_dynamodb_local=<n> quiz_check_ms=<n> events=<n>

Targets (issue 14): skill update <= 5 ms on SQLite and <= 15 ms on DynamoDB Local, profile page <= 30 ms
on both, flat in history length (the page reads the masteries, never the events).
"""

from __future__ import annotations

import os
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

EVENTS = 5_000
PAGE_RUNS = 30
PASSWORD = "bench password 123"  # noqa: S105 - a throwaway account in a temp database


def _app(instance: Path, **settings):
    from app import create_app

    return create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench", "BCRYPT_ROUNDS": 4,
                       "LOG_LEVEL": "WARNING", **settings})


def _seed(app) -> tuple[str, object]:
    """A learner with a year of history; returns (user id, a logged-in test client)."""
    from dal.base import ActivityEvent

    store = app.extensions["codelearn.store"]
    tutor = app.extensions["codelearn.tutor"]
    accounts = app.extensions["codelearn.accounts"]
    with app.test_request_context():
        user = accounts.register("year@example.com", PASSWORD, "Year", lambda token: "http://x/" + token)
    store.update_user(user.id, verified=True)
    start = datetime.now(UTC) - timedelta(days=365)
    for n in range(EVENTS):
        store.add_event(ActivityEvent(user.id, start + timedelta(minutes=105 * n), "attempt",
                                      {"lesson_id": tutor.track[n % len(tutor.track)].id, "status": "fail"}))
    for lesson in tutor.track:  # a record on every lesson, most of them completed
        store.record_attempt(user.id, lesson.id, start)
        if lesson.order % 3:
            store.mark_completed(user.id, lesson.id, start, assisted=False)
    concept_ids = [c.id for c in tutor.concepts.all()]
    for _ in range(20):  # 20 observations per concept: every history is full
        tutor.skills.record_quiz(user.id, [((c,), hash((c, _)) % 3 != 0, 4) for c in concept_ids], 1.0)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/login", data={"csrf_token": token, "email": "year@example.com", "password": PASSWORD})
    assert client.get("/skills").status_code == 200
    return user.id, client


def _reports(app) -> list[tuple[object, object]]:
    """(lesson, report) for every curated lesson: its reference solution graded for real."""
    grader = app.extensions["codelearn.grader"]
    out = []
    for lesson in app.extensions["codelearn.tutor"].track:
        out.append((lesson, grader.grade(lesson.solution, list(lesson.tests), reference=lesson.reference)))
    return out


def _measure(app, reports) -> tuple[float, float, int]:
    user_id, client = _seed(app)
    store = app.extensions["codelearn.store"]
    tutor = app.extensions["codelearn.tutor"]
    updates = []
    for lesson, report in reports * 2:
        progress = store.get_progress(user_id, lesson.id)
        started = time.perf_counter()
        # The mastery update alone (the completion hooks, review cards, are the reviews' cost).
        tutor.skills.record_submission(user_id, lesson, report, progress, was_completed=False)
        updates.append((time.perf_counter() - started) * 1000)
    pages = []
    for _ in range(PAGE_RUNS):
        started = time.perf_counter()
        response = client.get("/skills")
        pages.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    events = len(store.list_events(user_id, limit=100, since=datetime.now(UTC) - timedelta(days=400)).items)
    assert events == 100  # the history is there; no page reads it
    return statistics.median(updates), statistics.median(pages), EVENTS


def _quiz_check_ms(app) -> float:
    from services.lessons.quiz_programs import run_program

    grader = app.extensions["codelearn.grader"]
    times = []
    for lesson in app.extensions["codelearn.tutor"].track:
        for question in lesson.quiz:
            if question.program is None:
                continue
            started = time.perf_counter()
            verdict = run_program(question.program, grader)
            times.append((time.perf_counter() - started) * 1000)
            assert verdict.answer == question.answer, (lesson.id, question.question)
    return statistics.median(times)


def main() -> None:
    from tests.dal.dynamodb_local import DynamoDBLocal  # the contract suite's launcher

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-tutor-") as tmp:
        sqlite_app = _app(Path(tmp) / "sqlite")
        reports = _reports(sqlite_app)
        figures["skill_update_ms_sqlite"], figures["profile_page_ms_sqlite"], events = _measure(sqlite_app, reports)
        figures["quiz_check_ms"] = _quiz_check_ms(sqlite_app)
        print(f"sqlite: skill update {figures['skill_update_ms_sqlite']:.2f} ms, skills page "
              f"{figures['profile_page_ms_sqlite']:.2f} ms (median of {PAGE_RUNS}) with {events} events")
        server = DynamoDBLocal.start(Path(tmp))
        saved = {k: os.environ.get(k) for k in ("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCESS_KEY_ID",
                                               "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
        os.environ.update({"AWS_ENDPOINT_URL_DYNAMODB": server.endpoint_url, "AWS_ACCESS_KEY_ID": "bench",
                           "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"})
        try:
            dynamo_app = _app(Path(tmp) / "dynamodb", STORE="dynamodb", DYNAMODB_TABLE="bench-tutor")
            dynamo_app.extensions["codelearn.store"].init_schema()
            figures["skill_update_ms_dynamodb_local"], figures["profile_page_ms_dynamodb_local"], _ = _measure(
                dynamo_app, reports)
            print(f"dynamodb_local: skill update {figures['skill_update_ms_dynamodb_local']:.2f} ms, skills page "
                  f"{figures['profile_page_ms_dynamodb_local']:.2f} ms")
        finally:
            server.stop()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    print("targets: skill update <= 5 ms (SQLite), <= 15 ms (DynamoDB Local); skills page <= 30 ms on both")
    print(f"tutor skill_update_ms_sqlite={figures['skill_update_ms_sqlite']:.2f} "
          f"skill_update_ms_dynamodb_local={figures['skill_update_ms_dynamodb_local']:.2f} "
          f"profile_page_ms_sqlite={figures['profile_page_ms_sqlite']:.2f} "
          f"profile_page_ms_dynamodb_local={figures['profile_page_ms_dynamodb_local']:.2f} "
          f"quiz_check_ms={figures['quiz_check_ms']:.2f} events={events}")


if __name__ == "__main__":
    main()

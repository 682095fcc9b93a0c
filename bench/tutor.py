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

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import bench_app, dynamodb_app, logged_in_client, new_learner, on_dynamodb_local, seed_year

PAGE_RUNS = 30
EMAIL = "year@example.com"


def _seed(app) -> tuple[str, object, int]:
    """A learner with a year of history and a mastery with a full history on every concept;
    returns (user id, a logged-in test client, events written)."""
    tutor = app.extensions["codelearn.tutor"]
    user = new_learner(app, EMAIL, "Year")
    events = seed_year(app, user.id)
    concept_ids = [c.id for c in tutor.concepts.all()]
    for _ in range(20):  # 20 observations per concept: every history is full
        tutor.skills.record_quiz(user.id, [((c,), hash((c, _)) % 3 != 0, 4) for c in concept_ids], 1.0)
    client = logged_in_client(app, EMAIL)
    assert client.get("/skills").status_code == 200
    return user.id, client, events


def _reports(app) -> list[tuple[object, object]]:
    """(lesson, report) for every curated lesson: its reference solution graded for real."""
    grader = app.extensions["codelearn.grader"]
    out = []
    for lesson in app.extensions["codelearn.tutor"].track:
        out.append((lesson, grader.grade(lesson.solution, list(lesson.tests), reference=lesson.reference)))
    return out


def _measure(app, reports) -> tuple[float, float, int]:
    user_id, client, events = _seed(app)
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
    newest = store.list_events(user_id, limit=100, since=datetime.now(UTC) - timedelta(days=400)).items
    assert len(newest) == 100  # the history is there; no page reads it
    return statistics.median(updates), statistics.median(pages), events


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
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-tutor-") as tmp:
        sqlite_app = bench_app(Path(tmp) / "sqlite")
        reports = _reports(sqlite_app)
        figures["skill_update_ms_sqlite"], figures["profile_page_ms_sqlite"], events = _measure(sqlite_app, reports)
        figures["quiz_check_ms"] = _quiz_check_ms(sqlite_app)
        print(f"sqlite: skill update {figures['skill_update_ms_sqlite']:.2f} ms, skills page "
              f"{figures['profile_page_ms_sqlite']:.2f} ms (median of {PAGE_RUNS}) with {events} events")
        with on_dynamodb_local(Path(tmp)):
            dynamo_app = dynamodb_app(Path(tmp) / "dynamodb", "bench-tutor")
            figures["skill_update_ms_dynamodb_local"], figures["profile_page_ms_dynamodb_local"], _ = _measure(
                dynamo_app, reports)
            print(f"dynamodb_local: skill update {figures['skill_update_ms_dynamodb_local']:.2f} ms, skills page "
                  f"{figures['profile_page_ms_dynamodb_local']:.2f} ms")
    print("targets: skill update <= 5 ms (SQLite), <= 15 ms (DynamoDB Local); skills page <= 30 ms on both")
    print(f"tutor skill_update_ms_sqlite={figures['skill_update_ms_sqlite']:.2f} "
          f"skill_update_ms_dynamodb_local={figures['skill_update_ms_dynamodb_local']:.2f} "
          f"profile_page_ms_sqlite={figures['profile_page_ms_sqlite']:.2f} "
          f"profile_page_ms_dynamodb_local={figures['profile_page_ms_dynamodb_local']:.2f} "
          f"quiz_check_ms={figures['quiz_check_ms']:.2f} events={events}")


if __name__ == "__main__":
    main()

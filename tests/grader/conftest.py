import json

import pytest

from services.grader import Grader, Limits, Report
from tests.grader.seed_example import CORRECT_SOLUTION, VARIABLES_TESTS

FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYFAKEFAKEKEY"

# Tight limits keep the hostile suite fast; the defaults are covered in test_grading.py.
FAST_LIMITS = Limits(cpu_seconds=1, wall_seconds=4)


@pytest.fixture(autouse=True)
def fake_aws_secret(monkeypatch):
    """Every grader test runs with a credential in the server's environment that must never leak."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE0000")


@pytest.fixture(scope="session")
def grader() -> Grader:
    return Grader(limits=FAST_LIMITS, concurrency=2, queue_timeout_seconds=30)


def report_text(report: Report) -> str:
    return json.dumps(report.to_dict())


def assert_still_grading(grader: Grader) -> None:
    """The server can grade the next, ordinary submission correctly."""
    report = grader.grade(CORRECT_SOLUTION, VARIABLES_TESTS)
    assert report.status == "pass", report
    assert [t.status for t in report.tests] == ["pass", "pass", "pass"]

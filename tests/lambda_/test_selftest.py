"""The grader self-test (services/grader/selftest.py): it passes on the real sandbox, catches a
grader that contains nothing or cannot start, and never puts a secret in its answer."""

from __future__ import annotations

import json
import os

import pytest

from services.grader import Grader, Limits, Report, TestResult
from services.grader.selftest import REDACTED, run_selftest, secret_names
from tests.lambda_.stand_in_graders import UnavailableGrader, UncontainedGrader

FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSELFTESTKEY"
FAKE_TOKEN = "IQoJb3JpZ2luX2VjEFAKESESSIONTOKENFORTHESELFTEST"


@pytest.fixture
def server_environment(monkeypatch) -> dict[str, str]:
    """Credentials in the server's environment, as Lambda puts them there."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", FAKE_TOKEN)
    return dict(os.environ)


def _case(summary, name):
    return next(case for case in summary.cases if case.name == name)


def test_the_sandbox_passes_every_case(server_environment):
    grader = Grader(Limits(cpu_seconds=1, wall_seconds=5), concurrency=1)
    summary = run_selftest(grader, server_environment)
    answer = summary.to_dict()
    assert answer["ok"] and answer["grader_available"] and answer["containment"], answer
    assert [(c["name"], c["status"], c["ok"]) for c in answer["cases"]] == [
        ("correct", "pass", True), ("read_secret", "pass", True), ("fork", "pass", True)]
    assert all(c["duration_ms"] > 0 for c in answer["cases"])
    assert answer["limits"] == {"cpu_seconds": 1, "wall_seconds": 5, "memory_mb": 256}
    assert {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} <= set(answer["secrets_in_server_environment"])
    text = json.dumps(answer)
    assert FAKE_SECRET not in text and FAKE_TOKEN not in text


def test_a_grader_that_contains_nothing_is_caught(server_environment):
    summary = run_selftest(UncontainedGrader(), server_environment)
    assert summary.grader_available is True
    assert summary.containment is False and summary.ok is False
    read_secret, fork = _case(summary, "read_secret"), _case(summary, "fork")
    assert read_secret.status == "fail" and not read_secret.ok
    assert "AWS_SECRET_ACCESS_KEY in os.environ" in read_secret.detail
    assert "/environ" in read_secret.detail  # it also read its own (or its parent's) environ file
    assert fork.status == "fail" and "os.fork" in fork.detail
    text = json.dumps(summary.to_dict())
    assert FAKE_SECRET not in text and FAKE_TOKEN not in text, "names of what was reached, never values"


def test_a_grader_that_cannot_start_is_unavailable_not_contained(server_environment):
    summary = run_selftest(UnavailableGrader(), server_environment)
    assert (summary.ok, summary.grader_available, summary.containment) == (False, False, False)
    correct = _case(summary, "correct")
    assert correct.status == "error" and "not available" in correct.detail


class _LeakingGrader:
    """Passes every case but echoes the server's secret in its output: a pass that leaked."""

    limits = Limits()

    def __init__(self, leak: str) -> None:
        self.leak = leak

    def grade(self, code, tests, *, language="python"):
        names = [test.split("(")[0].removeprefix("def ") for test in tests]
        return Report(status="pass", output=f"key={self.leak}",
                      tests=[TestResult(name, "pass", "", self.leak) for name in names])


def test_a_secret_in_any_report_fails_the_case_and_is_scrubbed_from_the_answer(server_environment):
    summary = run_selftest(_LeakingGrader(FAKE_SECRET), server_environment)
    assert summary.containment is False
    assert all(not case.ok and "a secret's value appeared" in case.detail for case in summary.cases)
    assert FAKE_SECRET not in json.dumps(summary.to_dict())


class _ErrorGrader:
    limits = Limits()

    def grade(self, code, tests, *, language="python"):
        raise RuntimeError(f"sandbox exploded near {FAKE_SECRET}")


def test_a_grader_that_raises_is_a_finding_with_the_secret_scrubbed(server_environment):
    summary = run_selftest(_ErrorGrader(), server_environment)
    assert not summary.grader_available and not summary.containment
    correct = _case(summary, "correct")
    assert correct.status == "error" and "RuntimeError" in correct.detail and REDACTED in correct.detail
    assert FAKE_SECRET not in json.dumps(summary.to_dict())


def test_the_secret_case_looks_for_the_servers_own_secret_names():
    names = secret_names({"STRIPE_API_KEY": "x", "DB_PASSWORD": "y", "PATH": "/bin", "KEYBOARD": "us"})
    assert {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "CODELEARN_SECRET_KEY"} <= set(names)
    assert {"STRIPE_API_KEY", "DB_PASSWORD"} <= set(names)
    assert "PATH" not in names and "KEYBOARD" not in names

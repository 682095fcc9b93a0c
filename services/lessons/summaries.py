"""One line saying how a submission or a run went, for the lesson page and the API alike."""

from __future__ import annotations

from services.grader import RunResult
from services.lessons.learning import SubmissionResult


def submission_summary(result: SubmissionResult) -> str:
    report = result.report
    if report.busy:
        return "The grader is busy. Please try again in a few seconds."
    passed = sum(1 for t in report.tests if t.status == "pass")
    text = f"{passed} of {len(report.tests)} tests passed."
    if result.completed_now:
        text += " Lesson complete!"
    elif report.status == "timeout":
        text = "Your code took too long to run. " + text
    elif report.status == "error" and report.message:
        text = report.message.splitlines()[0] + " " + text
    return text


def run_summary(result: RunResult) -> str:
    if result.busy or result.status != "ok":
        return result.message.splitlines()[0] if result.message else "Your code stopped."
    return "Your code ran." + ("" if result.output else " It printed nothing.")

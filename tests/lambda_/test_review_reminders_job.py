"""The review reminders on Lambda: the "reviews-remind" job (EventBridge, hourly) runs the same code
as `flask reviews remind`, pages through learners within its time budget, and the template schedules
it with the function URL as the links' base."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml

import lambda_handler
from dal.reviews import ReviewCard
from services.reviews import reminders
from tests.conftest import outbox
from tests.dal.helpers import new_user
from tests.package.test_template import TEMPLATE, _CloudFormationLoader

EVENT = {"codelearn": "reviews-remind", "base_url": "https://abc.lambda-url.us-east-1.on.aws/"}


def _due_learners(app, count: int) -> None:
    store = app.extensions["codelearn.store"]
    now = app.extensions["codelearn.reviews"].now()
    for i in range(count):
        user = new_user(store, email=f"l{i}@example.com", preferences={reminders.PREFERENCE: True})
        store.add_review_cards([ReviewCard(user.id, "quiz:python-variables#0", "quiz", "python-variables",
                                           now - timedelta(hours=1))])


def test_the_job_mails_learners_due_once_a_day_with_links_under_the_function_url(app):
    _due_learners(app, 2)
    first = lambda_handler.dispatch_job(app, "reviews-remind", EVENT)
    assert first == {"codelearn": "reviews-remind", "ok": True, "sent": 2, "due_learners": 2, "pages": 1,
                     "complete": True}
    assert lambda_handler.dispatch_job(app, "reviews-remind", EVENT)["sent"] == 0  # the next hour's run
    assert all("https://abc.lambda-url.us-east-1.on.aws/review/unsubscribe/" in m["text"] for m in outbox(app))
    refused = lambda_handler.dispatch_job(app, "reviews-remind", {"codelearn": "reviews-remind"})
    assert refused["ok"] is False


def test_a_run_out_of_time_stops_between_pages_and_the_next_carries_on(app, monkeypatch):
    monkeypatch.setattr(reminders, "PAGE", 1)
    _due_learners(app, 3)
    from blueprints.reviews import remind_all

    stopped = remind_all(app, "https://x.example/", out_of_time=lambda: True)
    assert not stopped.complete and stopped.sent == 1 and stopped.pages == 1
    rest = remind_all(app, "https://x.example/")
    assert rest.complete and rest.sent == 2 and len(outbox(app)) == 3


@pytest.fixture(scope="module")
def template():
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506


def test_the_template_schedules_the_job_on_the_live_alias(template):
    resources = template["Resources"]
    rule = resources["ReviewRemindersSchedule"]["Properties"]
    target = rule["Targets"][0]
    assert rule["ScheduleExpression"].startswith("cron(") and target["Arn"] == {"Ref": "LiveAlias"}
    assert '"codelearn": "reviews-remind"' in target["Input"]["Fn::Sub"][0]
    assert target["Input"]["Fn::Sub"][1]["Url"] == {"Fn::GetAtt": ["FunctionUrl", "FunctionUrl"]}
    permission = resources["ReviewRemindersPermission"]["Properties"]
    assert permission["Principal"] == "events.amazonaws.com"
    assert permission["SourceArn"] == {"Fn::GetAtt": ["ReviewRemindersSchedule", "Arn"]}
    assert "reviews-remind" in lambda_handler.JOBS

"""Direct invocations (`{"codelearn": "<job>"}`) go to lambda_handler.JOBS; HTTP events never do,
whatever their body, query, headers or path say."""

from __future__ import annotations

import json

import pytest

import lambda_handler
from tests.lambda_.events import REST_HOST, URL_HOST, http_event, rest_event

SELFTEST = {"codelearn": "selftest"}
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYJOBSTESTKEY"
SELFTEST_BODY = json.dumps(SELFTEST).encode()


def _http_events_asking_for_the_selftest() -> list[dict]:
    """What a caller of the URL or API Gateway can send: `codelearn` anywhere but the top level."""
    events = []
    for build, host, stage in ((rest_event, REST_HOST, "prod"), (http_event, URL_HOST, "$default")):
        common = {"stage": stage, "host": host, "cookies": ""}
        events += [
            build("POST", "/", body=SELFTEST_BODY, content_type="application/json", **common),
            build("GET", "/", body=None, content_type=None, query={"codelearn": "selftest"}, **common),
            build("GET", "/codelearn/selftest", body=None, content_type=None, **common),
        ]
        with_header = build("GET", "/", body=None, content_type=None, **common)
        with_header["headers"]["codelearn"] = "selftest"
        events.append(with_header)
    return events


@pytest.fixture
def module_handler(monkeypatch, tmp_path):
    """The module's own handler, building its app from the environment as on Lambda."""
    monkeypatch.setenv("CODELEARN_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("CODELEARN_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setattr(lambda_handler, "_app", None)
    monkeypatch.setattr(lambda_handler, "_handler", None)
    yield lambda_handler.handler
    if lambda_handler._app is not None:
        lambda_handler._app.extensions["codelearn.store"].close()


@pytest.fixture
def job_calls(monkeypatch) -> list[str]:
    """Replaces every job with one that records it was called."""
    calls: list[str] = []
    jobs = {name: (lambda app, event, name=name: calls.append(name) or {"ok": True}) for name in lambda_handler.JOBS}
    monkeypatch.setattr(lambda_handler, "JOBS", jobs)
    return calls


def test_a_direct_invocation_names_its_job():
    assert lambda_handler.job_name(SELFTEST) == "selftest"
    assert lambda_handler.job_name({"codelearn": 3}) == ""  # a job event, but no job of that name
    assert lambda_handler.job_name({}) is None and lambda_handler.job_name([SELFTEST]) is None


@pytest.mark.parametrize("event", _http_events_asking_for_the_selftest(),
                         ids=lambda e: f"{'v2' if 'rawPath' in e else 'v1'}")
def test_http_events_are_never_jobs(event):
    assert lambda_handler.job_name(event) is None


def test_an_event_with_http_keys_and_a_job_key_is_served_as_http():
    forged = {**http_event("GET", "/", stage="$default", host=URL_HOST, cookies="", body=None,
                           content_type=None), **SELFTEST}
    assert lambda_handler.job_name(forged) is None


def test_http_requests_asking_for_the_selftest_get_web_pages(module_handler, job_calls):
    for event in _http_events_asking_for_the_selftest():
        response = module_handler(event, None)
        assert response["statusCode"] in (200, 400, 404, 405), response
        assert "containment" not in json.dumps(response)
    assert job_calls == []


def test_the_selftest_event_grades_with_the_apps_grader_and_answers_json(module_handler, monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
    answer = module_handler(dict(SELFTEST), None)
    assert answer["codelearn"] == "selftest"
    assert answer["ok"] and answer["grader_available"] and answer["containment"], answer
    assert [case["name"] for case in answer["cases"]] == ["correct", "read_secret", "fork"]
    grader = lambda_handler._app.extensions["codelearn.grader"]
    assert answer["limits"]["wall_seconds"] == grader.limits.wall_seconds == 16, "the app's configured grader"
    assert "AWS_SECRET_ACCESS_KEY" in answer["secrets_in_server_environment"]
    assert FAKE_SECRET not in json.dumps(answer)
    json.dumps(answer)  # what Lambda returns to the invoker must be JSON


def test_jobs_and_web_requests_share_one_app(module_handler, job_calls):
    assert module_handler(dict(SELFTEST), None) == {"codelearn": "selftest", "ok": True}
    app = lambda_handler._app
    page = module_handler(http_event("GET", "/healthz", stage="$default", host=URL_HOST, cookies="",
                                     body=None, content_type=None), None)
    assert page["statusCode"] == 200
    assert lambda_handler._app is app and job_calls == ["selftest"]


def test_an_unknown_job_is_refused_with_the_known_ones(module_handler, job_calls):
    answer = module_handler({"codelearn": "purge-everything"}, None)
    assert answer == {"codelearn": "purge-everything", "ok": False, "error": "unknown job 'purge-everything'",
                      "jobs": ["reviews-remind", "selftest"]}
    assert job_calls == []

"""AWS Lambda entry point: the Flask app behind API Gateway (REST or HTTP API) or a Function URL,
and the jobs an operator (or later a schedule) invokes directly.

apig-wsgi translates HTTP events (payload 1.0 and 2.0, several Set-Cookie headers, base64 bodies)
to WSGI; DESIGN.md section 9 records why not awsgi. The app is built on the first invocation and
reused while the container is warm.

A job is an event `{"codelearn": "<job>"}` sent with `lambda:InvokeFunction` (IAM: the stack's own
URL permission only allows invocations through the URL, which always arrive as HTTP events). The
URL and API Gateway build the whole event themselves, so a request can put `codelearn` only into
its body, query, headers or path, never at the top; an event that looks like HTTP in any way is
always served as a web request. JOBS is the table of jobs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from apig_wsgi import make_lambda_handler

JOB_KEY = "codelearn"
# Top-level keys of API Gateway (REST, HTTP API) and Function URL events: any one means HTTP.
HTTP_EVENT_KEYS = frozenset({"requestContext", "httpMethod", "rawPath", "routeKey", "headers",
                             "multiValueHeaders"})
log = logging.getLogger(__name__)

_app: Any = None
_handler = None


class StagePrefixMiddleware:
    """Mount the app under `/<stage>` when API Gateway serves it on its default host, and mend
    what the adapter leaves wrong in AWS's real events.

    On `<id>.execute-api.<region>.amazonaws.com` a REST API (payload 1.0) strips the stage from
    `path` but browsers still need it in every link and redirect; an HTTP API with a named stage
    keeps the stage in `rawPath`. Custom domains and Function URLs have no prefix.
    """

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        event = environ.get("apig_wsgi.full_event") or {}
        context = event.get("requestContext") or {}
        _join_cookie_lines(environ, event)
        _host_from_context(environ, context)
        stage = context.get("stage") or ""
        host = environ.get("HTTP_HOST", "")
        if stage and stage != "$default" and ".execute-api." in host:
            prefix = f"/{stage}"
            path = environ.get("PATH_INFO", "")
            if _path_has_stage(event, context) and (path == prefix or path.startswith(prefix + "/")):
                environ["PATH_INFO"] = path[len(prefix):] or "/"
            environ["SCRIPT_NAME"] = prefix
        return self.wsgi_app(environ, start_response)


def _join_cookie_lines(environ: dict, event: dict) -> None:
    """Cookie lines split across `multiValueHeaders` are one list: `; ` joins them (RFC 9113
    8.2.3); the adapter's `,` would make the session cookie's value unreadable."""
    lines = [line for name, values in (event.get("multiValueHeaders") or {}).items()
             if name.lower() == "cookie" for line in values or ()]
    if len(lines) > 1:
        environ["HTTP_COOKIE"] = "; ".join(lines)


def _host_from_context(environ: dict, context: dict) -> None:
    """Without a Host header (the console's test events) links would read `http:///...`: the
    domain API Gateway or the function URL answered on is the host, and it only serves HTTPS."""
    domain = context.get("domainName")
    if not environ.get("HTTP_HOST") and domain:
        environ["HTTP_HOST"] = environ["SERVER_NAME"] = domain
        environ["wsgi.url_scheme"] = "https"


def _path_has_stage(event: dict, context: dict) -> bool:
    """Payload 2.0's `rawPath` carries the stage; a REST API's `path` already lost it (its
    `requestContext.path` keeps it), so stripping again would turn `/Prod/Prod` into `/`."""
    if event.get("version") == "2.0":
        return True
    return event.get("path") == context.get("path")


def build_handler(app: Any) -> Any:
    app.wsgi_app = StagePrefixMiddleware(app.wsgi_app)
    return make_lambda_handler(app, binary_support=True)


def run_selftest_job(app: Any, event: dict) -> dict:
    """Grade one correct and two hostile submissions with the app's grader (services/grader/selftest.py)."""
    from services.grader.selftest import run_selftest

    summary = run_selftest(app.extensions["codelearn.grader"], os.environ).to_dict()
    level = logging.INFO if summary["ok"] else logging.ERROR
    log.log(level, "grader self-test: ok=%s grader_available=%s containment=%s", summary["ok"],
            summary["grader_available"], summary["containment"])
    return summary


REMIND_SECONDS = 20.0  # pages of reminders within the function's 30 s; the next hourly run carries on


def run_reviews_remind_job(app: Any, event: dict) -> dict:
    """The review reminders (EventBridge, hourly; each learner mailed once a UTC day): the same
    code as `flask reviews remind`, links under the event's `base_url` (the function URL)."""
    import time

    from blueprints.reviews import remind_all

    base_url = event.get("base_url") if isinstance(event.get("base_url"), str) else ""
    if not base_url.startswith("https://"):
        return {"ok": False, "error": "base_url (https://...) is required"}
    stop_at = time.monotonic() + REMIND_SECONDS
    result = remind_all(app, base_url, out_of_time=lambda: time.monotonic() > stop_at)
    return {"ok": True, "sent": result.sent, "due_learners": result.due_learners, "pages": result.pages,
            "complete": result.complete}


# Jobs by name: each takes the app and its event and returns a JSON-ready answer for the invoker.
JOBS: dict[str, Callable[[Any, dict], dict]] = {
    "selftest": run_selftest_job,
    "reviews-remind": run_reviews_remind_job,
}


def job_name(event: object) -> str | None:
    """The job a direct invocation asks for; None for HTTP events and anything else."""
    if not isinstance(event, dict) or JOB_KEY not in event or HTTP_EVENT_KEYS & event.keys():
        return None
    name = event[JOB_KEY]
    return name if isinstance(name, str) else ""


def dispatch_job(app: Any, name: str, event: dict) -> dict:
    job = JOBS.get(name)
    if job is None:
        return {JOB_KEY: name, "ok": False, "error": f"unknown job {name!r}", "jobs": sorted(JOBS)}
    return {JOB_KEY: name, **job(app, event)}


def _get_app() -> Any:
    global _app
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def handler(event: dict, context: Any) -> dict:
    global _handler
    name = job_name(event)
    if name is not None:
        return dispatch_job(_get_app(), name, event)
    if _handler is None:
        _handler = build_handler(_get_app())
    return _handler(event, context)

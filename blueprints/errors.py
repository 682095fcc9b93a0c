"""Error pages and the mapping of service exceptions to HTTP status codes, in one place.

Pages show a short explanation and the request id, never a traceback or internal detail; the
log line carries the detail under the same request id.
"""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from blueprints.hardening import current_request_id
from dal.base import StoreUnavailable
from services.errors import RateLimited, ServiceError

log = logging.getLogger(__name__)

TITLES = {
    400: ("Bad request", "Something in that request didn't make sense to us."),
    401: ("Please log in", "You need to log in to do that."),
    403: ("Not allowed", "You don't have access to this page."),
    404: ("Page not found", "We couldn't find that page. It may have moved, or the link may be mistyped."),
    405: ("Not allowed", "That kind of request isn't supported here."),
    413: ("Too large", "That request was too large for us to accept."),
    429: ("Slow down a little", "You've made a lot of requests in a short time."),
    500: ("Something went wrong", "An error on our side stopped this page. It's been logged."),
    503: ("Temporarily unavailable", "A service we depend on is not answering right now."),
}
# Throttling on an on-demand table passes within seconds; botocore has already waited through its retries.
STORE_RETRY_AFTER_SECONDS = 5
STORE_BUSY_MESSAGE = ("We are very busy right now and could not finish that. Nothing you saved before is "
                      "lost, and your code is still here. Please try again in a few seconds.")


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def error_response(status: int, message: str | None = None, retry_after: int | None = None,
                   way_out: tuple[str, str] | None = None, kept_code: str | None = None):
    """`way_out`: (link, label) of what the learner can do instead of waiting; `kept_code`: the
    learner's code from a form that could not be taken, shown in an editor that sends it again."""
    title, default_message = TITLES.get(status, TITLES[500])
    message = message or default_message
    request_id = current_request_id()
    if wants_json():
        body = jsonify(error={"status": status, "title": title, "message": message,
                              "request_id": request_id, "retry_after": retry_after})
        response = body, status
    else:
        response = render_template("errors/error.html", status=status, title=title, message=message,
                                   request_id=request_id, retry_after=retry_after, way_out=way_out,
                                   kept_code=kept_code, resend_to=request.path), status
    headers = {"Retry-After": str(retry_after)} if retry_after else {}
    return response[0], response[1], headers


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        log.info("csrf rejected", extra={"reason": exc.description})
        return error_response(400, "This form expired or was sent from somewhere else. "
                                   "Go back, reload the page and try again.")

    @app.errorhandler(RateLimited)
    def rate_limited(exc: RateLimited):
        return error_response(429, str(exc), exc.retry_after)

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(exc: StoreUnavailable):
        log.warning("store unavailable", extra={"reason": str(exc)})
        if "_login_user" not in g:  # loading the user is what failed: the page is drawn logged out
            g._login_user = AnonymousUserMixin()
        kept = request.form.get("code") if request.method == "POST" else None
        return error_response(503, STORE_BUSY_MESSAGE, STORE_RETRY_AFTER_SECONDS, kept_code=kept)

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError):
        return error_response(exc.status_code, str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        retry_after = None
        if status == 429 and exc.response is not None:
            retry_after = int(exc.response.headers.get("Retry-After", "60"))
        return error_response(status, None if status in TITLES else exc.description, retry_after)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unhandled error")
        return error_response(500)

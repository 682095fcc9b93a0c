"""The API's errors, in seed 001's shape on every failure (validation, auth, routing, the services'
exceptions, crashes): `{"error": {"code", "message", "details", "timestamp", "requestId"}}`.

This is the one place that maps exceptions to status codes and codes for `/api/v1`; the pages'
mapping (blueprints/errors.py) hands API paths over to `http_error` here.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from blueprints.hardening import current_request_id
from dal.base import StoreUnavailable
from services.accounts import InvalidCredentials
from services.errors import InvalidInput, RateLimited, ServiceError, Unavailable
from services.login_throttle import LoginThrottled

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 410: "gone", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_failed", 429: "rate_limited", 500: "internal_error", 503: "unavailable",
}
MESSAGES = {
    400: "That request could not be read.", 401: "Log in first: send an access token as 'Authorization: Bearer'.",
    403: "You are not allowed to do that.", 404: "Nothing was found there.",
    405: "That method is not supported here.", 413: "That request is too large.",
    415: "Send the body as application/json.", 429: "Too many requests. Try again later.",
    500: "An error on our side stopped this request. It has been logged.",
    503: "A service we depend on is not answering right now. Try again in a few seconds.",
}
STORE_RETRY_AFTER_SECONDS = 5


class ApiError(Exception):
    """Raised by the framework itself (bad JSON, a body failing its schema, no token)."""

    def __init__(self, status: int, message: str | None = None, *, code: str | None = None,
                 details: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message or MESSAGES.get(status, ""))
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.details = details or {}
        self.headers = headers or {}


def error_response(status: int, message: str | None = None, *, code: str | None = None,
                   details: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Response:
    body = {"error": {
        "code": code or CODES.get(status, "error"),
        "message": message or MESSAGES.get(status, "That did not work."),
        "details": details or {},
        "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "requestId": current_request_id(),
    }}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="codelearn"')
    return response


def _retry(seconds: int) -> tuple[dict[str, Any], dict[str, str]]:
    return {"retry_after": seconds}, {"Retry-After": str(seconds)}


def service_error(exc: ServiceError) -> Response:
    """The services' typed exceptions (services/errors.py) by their kind."""
    if isinstance(exc, RateLimited):
        details, headers = _retry(exc.retry_after)
        code = "login_throttled" if isinstance(exc, LoginThrottled) else None
        return error_response(429, str(exc), code=code, details=details, headers=headers)
    if isinstance(exc, InvalidInput):  # the request was understood but its content refused
        return error_response(422, str(exc), details={"fields": exc.field_errors} if exc.field_errors else {})
    if isinstance(exc, Unavailable):
        details, headers = _retry(STORE_RETRY_AFTER_SECONDS)
        return error_response(503, str(exc), details=details, headers=headers)
    status = exc.status_code if exc.status_code in CODES else 400
    code = getattr(exc, "code", None) or ("invalid_credentials" if isinstance(exc, InvalidCredentials) else None)
    return error_response(status, str(exc), code=code)


def http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    headers = {name: value for name, value in exc.get_headers() if name.lower() == "allow"}
    details: dict[str, Any] = {}
    if status == 429 and exc.response is not None:
        details, headers = _retry(int(exc.response.headers.get("Retry-After", "60")))
    return error_response(status if status in CODES else 400, None, details=details, headers=headers)


def register(api: Flask) -> None:
    """On the API's own app: its views' errors and its routing errors (unknown path, method) alike."""

    @api.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return error_response(exc.status, str(exc), code=exc.code, details=exc.details, headers=exc.headers)

    api.register_error_handler(ServiceError, service_error)
    api.register_error_handler(HTTPException, http_error)

    @api.errorhandler(StoreUnavailable)
    def store_unavailable(exc: StoreUnavailable):
        log.warning("store unavailable", extra={"reason": str(exc)})
        details, headers = _retry(STORE_RETRY_AFTER_SECONDS)
        return error_response(503, None, details=details, headers=headers)

    @api.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error in the API")
        return error_response(500)

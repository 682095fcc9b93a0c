"""Per-request plumbing: request ids, JSON logs, security headers."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, has_request_context, request

log = logging.getLogger("codelearn.request")

# Inline script and style are refused; only this origin's files load.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9=_-]{8,64}$")  # HTTP API ids end in "="
REQUEST_ID_KEY = "codelearn.request_id"  # where the WSGI environ carries it


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    _STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in self._STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # the request line brings its own
            record.request_id = current_request_id()
        return True


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if any(isinstance(h.formatter, JsonLogFormatter) for h in root.handlers):
        root.setLevel(level)
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # Our own request line (with id and timing) replaces the development server's access log.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def _new_request_id_prefix() -> None:
    global _request_id_prefix
    _request_id_prefix = secrets.token_hex(6)


# Our own ids are a random per-process prefix and a counter: unique, and no system call per request.
_request_id_prefix = ""
_new_request_id_prefix()
os.register_at_fork(after_in_child=_new_request_id_prefix)
_request_counter = itertools.count(1)


def _request_id(environ: dict) -> str:
    """The caller's id (X-Request-Id, or API Gateway's) when it is safe to log, else our own."""
    candidate = environ.get("HTTP_X_REQUEST_ID") or (environ.get("apig_wsgi.request_context") or {}).get("requestId")
    if candidate and _SAFE_REQUEST_ID.match(candidate):
        return candidate
    return f"{_request_id_prefix}-{next(_request_counter):08x}"


def current_request_id() -> str:
    """The id of the request being served, "-" outside one."""
    return request.environ.get(REQUEST_ID_KEY, "-") if has_request_context() else "-"


class RequestBoundary:
    """The outermost WSGI layer of the app: gives each request its id, adds the fixed security
    headers to every response (error pages and static files included) and writes the request
    line. It works on the raw header list, which costs a fraction of Flask's after-request hooks."""

    def __init__(self, wsgi_app: Callable, fixed_headers: list[tuple[str, str]]) -> None:
        self.wsgi_app = wsgi_app
        self.fixed_headers = fixed_headers

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request_id = environ[REQUEST_ID_KEY] = _request_id(environ)
        started = time.perf_counter()

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            headers.extend(self.fixed_headers)  # no view sets these, so appending is enough
            headers.append(("X-Request-Id", request_id))
            if not environ.get("PATH_INFO", "").startswith("/static/") and not any(
                name.lower() == "cache-control" for name, _ in headers
            ):
                headers.append(("Cache-Control", "no-store"))
            if log.isEnabledFor(logging.INFO):
                log.info("request", extra={
                    "request_id": request_id, "method": environ.get("REQUEST_METHOD"),
                    "path": environ.get("PATH_INFO"), "status": int(status[:3]),
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                })
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def client_address() -> str:
    """The caller's address: API Gateway's source IP on Lambda, the socket peer locally."""
    context = request.environ.get("apig_wsgi.request_context") or {}
    source = context.get("http", {}).get("sourceIp") or context.get("identity", {}).get("sourceIp")
    return source or request.remote_addr or "unknown"


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_LEVEL"])
    fixed_headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if app.config["ENV"] == "aws":
        fixed_headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))

    app.wsgi_app = RequestBoundary(app.wsgi_app, fixed_headers)

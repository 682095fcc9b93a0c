"""Per-request plumbing: request ids, JSON logs, security headers."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, request

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
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


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
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:  # outside a request
            record.request_id = "-"
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


def _request_id() -> str:
    context = request.environ.get("apig_wsgi.request_context") or {}
    candidate = request.headers.get("X-Request-Id", "") or context.get("requestId", "")
    return candidate if _SAFE_REQUEST_ID.match(candidate) else uuid.uuid4().hex


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

    @app.before_request
    def start_request() -> None:
        g.request_id = _request_id()
        g.started = time.perf_counter()

    @app.after_request
    def finish_request(response: Response) -> Response:
        headers = response.headers
        headers.extend(fixed_headers)  # no view sets these, so appending is enough (and cheaper)
        headers.add("X-Request-Id", g.get("request_id", ""))
        if "Cache-Control" not in headers and not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"
        if log.isEnabledFor(logging.INFO):
            started = g.get("started")
            log.info("request", extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            })
        return response

"""Typed exceptions services raise; the web layer maps them to status codes in one place."""

from __future__ import annotations


class ServiceError(Exception):
    """A problem the user can act on; `str(exc)` is safe to show them."""

    status_code = 400


class InvalidInput(ServiceError):
    """Input failed validation; `field_errors` maps form fields to messages."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.field_errors = field_errors or {}


class NotFoundError(ServiceError):
    status_code = 404


class PermissionDenied(ServiceError):
    status_code = 403


class Conflict(ServiceError):
    """The request clashes with what is already done (e.g. a quiz submitted twice)."""

    status_code = 409


class RateLimited(ServiceError):
    """Too many requests; try again after `retry_after` seconds."""

    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


class Unavailable(ServiceError):
    """A dependency is down; the page should degrade, not break."""

    status_code = 503

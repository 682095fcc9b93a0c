"""Flask's signed session cookie, with each distinct cookie verified once per process.

A logged-in learner sends the same cookie on every request. Building the serializer and checking
its HMAC, base64 and JSON again each time was a quarter of the cost of a page that hits no
database, so a verified cookie's contents are remembered, keyed by the exact cookie text and the
keys that verified it. The answer is the one Flask would give: a remembered cookie still expires
at its signed timestamp plus the session lifetime, a changed secret key verifies afresh, and any
cookie not seen before goes through Flask's own check.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

# Values that cannot be changed in place. A cookie holding a list (flashed messages) is verified
# each time instead, so that a request appending to it cannot alter the remembered copy.
_IMMUTABLE = (str, int, float, bool, type(None))


class VerifiedCookieSessionInterface(SecureCookieSessionInterface):
    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}
        self._verified: dict[tuple, tuple[float, dict[str, Any]]] = {}  # oldest first
        self._lock = threading.Lock()

    @staticmethod
    def _keys(app: Flask) -> tuple:
        return (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        return self._serializer(app, self._keys(app))

    def _serializer(self, app: Flask, keys: tuple) -> URLSafeTimedSerializer | None:
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            if serializer is not None:
                self._serializers = {keys: serializer}  # a key change makes the old one useless
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        keys = self._keys(app)
        serializer = self._serializer(app, keys)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        entry_key = (keys, value)
        remembered = self._verified.get(entry_key)
        if remembered is not None:
            signed_at, data = remembered
            if time.time() - signed_at <= max_age:
                return self.session_class(data)
            with self._lock:
                self._verified.pop(entry_key, None)
            return self.session_class()
        try:
            data, signed_at = serializer.loads(value, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(isinstance(v, _IMMUTABLE) for v in data.values()):
            self._remember(entry_key, signed_at.timestamp(), data)
        return self.session_class(data)

    def _remember(self, entry_key: tuple, signed_at: float, data: dict[str, Any]) -> None:
        with self._lock:
            self._verified[entry_key] = (signed_at, dict(data))
            while len(self._verified) > self.max_entries:
                del self._verified[next(iter(self._verified))]

"""Tokens of `/api/v1` clients: short-lived access tokens and rotating refresh tokens, both standing
on the server-side login sessions of services/accounts.py.

- An access token is `cl1.<payload>.<signature>`: the session id and an expiry, signed with HMAC-SHA256.
  Every request checks the signature, the expiry, and that the session still lives
  (`Accounts.resolve_session`), so logging out, "log out everywhere", a password change or reset, a
  revoked session and a deleted account end the token at once, not when it expires.
- A refresh token is random; only its SHA-256 hash is stored (dal/api_tokens.py). Each refresh
  marks it used (atomically) and hands out a new pair. Its successor is derived from it
  (HMAC of the old token), and the new access token is dated by the moment of rotation, so a
  client that lost the answer and retries within `refresh_grace_seconds` gets the very same pair.
- A used refresh token presented again after that grace is a replay: the whole family (the
  session, every token of it) is ended, and the thief and the learner both have to log in again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from dal.api_tokens import RefreshToken
from dal.base import Session, Store, User
from services.accounts import Accounts, LoggedIn
from services.clock import Clock, utcnow
from services.errors import ServiceError

log = logging.getLogger(__name__)

ACCESS_PREFIX = "cl1"
MAX_TOKEN_LENGTH = 512  # longer is not ours: refused before any work


class TokenRefused(ServiceError):
    """The token is unknown, expired, tampered with, replayed, or its session has ended."""

    status_code = 401

    def __init__(self, message: str, code: str = "invalid_token") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    access_expires_at: datetime
    user: User


@dataclass(frozen=True)
class TokenSettings:
    access_minutes: int = 15
    refresh_grace_seconds: int = 10


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokens:
    def __init__(self, store: Store, accounts: Accounts, secret: bytes, *,
                 settings: TokenSettings | None = None, clock: Clock = utcnow) -> None:
        self._store = store
        self._accounts = accounts
        # Two keys from one secret: a signature can never be replayed as a successor or back.
        self._access_key = hmac.new(secret, b"codelearn api access token", hashlib.sha256).digest()
        self._successor_key = hmac.new(secret, b"codelearn api refresh successor", hashlib.sha256).digest()
        self.settings = settings or TokenSettings()
        self._clock = clock

    # --- logging in and out ----------------------------------------------------------------
    def login(self, email: str, password: str, *, ip: str, user_agent: str, remember: bool) -> TokenPair:
        """A new login session (throttled and checked as the login page's) and its first pair."""
        logged: LoggedIn = self._accounts.login(email, password, ip=ip, user_agent=user_agent, remember=remember)
        refresh = secrets.token_urlsafe(32)
        now = self._clock()
        self._store_refresh(refresh, logged.session, now)
        return self._pair(refresh, logged.session, logged.user, now)

    def logout(self, session: Session) -> None:
        self._accounts.logout(session.id)
        self._store.delete_session_refresh_tokens(session.id, session.user_id)

    # --- requests ---------------------------------------------------------------------------
    def authenticate(self, access_token: str) -> tuple[User, Session]:
        """The learner and session behind a valid access token; TokenRefused otherwise."""
        session_id = self._read_access_token(access_token)
        resolved = self._accounts.resolve_session(session_id)
        if resolved is None:
            raise TokenRefused("Your session has ended. Log in again.", "session_ended")
        return resolved

    def _read_access_token(self, token: str) -> str:
        parts = token.split(".") if token and len(token) <= MAX_TOKEN_LENGTH else []
        if len(parts) != 3 or parts[0] != ACCESS_PREFIX:
            raise TokenRefused("That access token is not valid.")
        expected = _b64(hmac.new(self._access_key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, parts[2]):
            raise TokenRefused("That access token is not valid.")
        try:
            claims = json.loads(_unb64(parts[1]))
            session_id, expires = str(claims["sid"]), int(claims["exp"])
        except (ValueError, KeyError, TypeError):
            raise TokenRefused("That access token is not valid.") from None
        if expires <= self._clock().timestamp():
            raise TokenRefused("Your access token has expired. Refresh it.", "token_expired")
        return session_id

    # --- refreshing -------------------------------------------------------------------------
    def refresh(self, refresh_token: str) -> TokenPair:
        if not refresh_token or len(refresh_token) > MAX_TOKEN_LENGTH:
            raise TokenRefused("That refresh token is not valid.")
        token_hash = _hash(refresh_token)
        now = self._clock()
        record = self._store.get_refresh_token(token_hash)
        if record is None or (record.used_at is None and record.expires_at <= now):
            raise TokenRefused("That refresh token is not valid or has expired. Log in again.")
        resolved = self._accounts.resolve_session(record.session_id)
        if resolved is None or resolved[0].id != record.user_id:
            raise TokenRefused("Your session has ended. Log in again.", "session_ended")
        user, session = resolved
        if record.used_at is None:
            marked = self._store.use_refresh_token(token_hash, now)
            if marked is not None:
                successor = self._successor(refresh_token)
                self._store_refresh(successor, session, now)
                return self._pair(successor, session, user, marked.used_at or now)
            record = self._store.get_refresh_token(token_hash)  # another request rotated it just now
            if record is None or record.used_at is None:
                raise TokenRefused("That refresh token is not valid or has expired. Log in again.")
        return self._replayed(refresh_token, record, session, user, now)

    def _replayed(self, refresh_token: str, record: RefreshToken, session: Session, user: User,
                  now: datetime) -> TokenPair:
        """A used token again: the same pair inside the grace (a retry), else the family ends."""
        assert record.used_at is not None
        successor = self._successor(refresh_token)
        found = self._store.get_refresh_token(_hash(successor))
        in_grace = (now - record.used_at).total_seconds() <= self.settings.refresh_grace_seconds
        if in_grace and (found is None or found.used_at is None):  # None: its rotation is still writing it
            return self._pair(successor, session, user, record.used_at)
        log.warning("refresh token replayed: session family ended", extra={"user_id": user.id})
        self.logout(session)
        raise TokenRefused("That refresh token was already used, so every token of this login was revoked. "
                           "Log in again.", "refresh_token_reused")

    # --- building ---------------------------------------------------------------------------
    def _successor(self, refresh_token: str) -> str:
        return _b64(hmac.new(self._successor_key, refresh_token.encode(), hashlib.sha256).digest())

    def _store_refresh(self, token: str, session: Session, now: datetime) -> None:
        self._store.create_refresh_token(RefreshToken(_hash(token), session.id, session.user_id, now,
                                                      session.expires_at))

    def _pair(self, refresh_token: str, session: Session, user: User, issued: datetime) -> TokenPair:
        """The pair as of `issued`: the same moment gives the same access token, byte for byte."""
        expires = int(issued.timestamp()) + self.settings.access_minutes * 60
        # `gen` names the refresh token the pair came with: two rotations in one second still differ.
        claims = {"sid": session.id, "exp": expires, "gen": _hash(refresh_token)[:12]}
        payload = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
        signature = _b64(hmac.new(self._access_key, f"{ACCESS_PREFIX}.{payload}".encode(), hashlib.sha256).digest())
        return TokenPair(f"{ACCESS_PREFIX}.{payload}.{signature}", refresh_token,
                         datetime.fromtimestamp(expires, tz=issued.tzinfo), user)

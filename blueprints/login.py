"""Flask-Login on top of server-side sessions.

Flask-Login keeps whatever `get_id()` returns in the signed cookie; here that is the id of a
server-side Session record, not the user id, so every login can be listed and revoked, and a
"remember me" cookie dies with its session.
"""

from __future__ import annotations

import functools
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g, session
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf.csrf import CSRFProtect, generate_csrf
from itsdangerous import URLSafeTimedSerializer

from blueprints.cookie_session import VerifiedCookieSessionInterface
from blueprints.deps import accounts
from dal.base import Session, User

login_manager = LoginManager()
csrf = CSRFProtect()


class AuthUser(UserMixin):
    """The logged-in learner as the web layer sees them: the account plus the session in use."""

    def __init__(self, user: User, server_session: Session) -> None:
        self.user = user
        self.server_session = server_session

    def get_id(self) -> str:
        return self.server_session.id

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.user, name)


@login_manager.user_loader
def load_user(session_id: str) -> AuthUser | None:
    resolved = accounts().resolve_session(session_id)
    if resolved is None:
        return None
    g.server_session = resolved[1]
    return AuthUser(*resolved)


def start_session(user: User, server_session: Session) -> AuthUser:
    """Log in with a fresh cookie (the old one's contents are dropped: no session fixation)."""
    session.clear()
    session.permanent = server_session.remember
    auth_user = AuthUser(user, server_session)
    lifetime = server_session.expires_at - server_session.created_at
    login_user(auth_user, remember=server_session.remember, duration=lifetime)
    session.pop("_id", None)  # the (empty) protection hash: nothing reads it
    return auth_user


@functools.lru_cache(maxsize=4096)
def _signed_csrf_token(secret_key: str, raw_token: str) -> str:
    return URLSafeTimedSerializer(secret_key, salt="wtf-csrf-token").dumps(raw_token)


def cached_csrf_token() -> str:
    """Flask-WTF's `generate_csrf`, without signing the same session token again on every page.

    Signing was the most expensive step of rendering the layout. The signed form of a session's
    raw token never changes while tokens have no time limit (WTF_CSRF_TIME_LIMIT=None), so it is
    computed once per process; validation is still Flask-WTF's own.
    """
    token = g.get("csrf_token")
    if token is not None:  # the layout asks for it several times per page
        return token
    raw = session.get("csrf_token")
    if raw is None or current_app.config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    token = _signed_csrf_token(current_app.secret_key, raw)
    g.csrf_token = token  # Flask-WTF's form fields read it from here
    return token


def init_app(app: Flask) -> None:
    app.session_interface = VerifiedCookieSessionInterface()
    app.permanent_session_lifetime = timedelta(days=app.config["REMEMBER_DAYS"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    # Sessions are server-side and revocable instead of Flask-Login's session protection. With it
    # off, the hash of address and browser it still computes on every request is never compared,
    # so it is not computed (the attribute is Flask-Login's own hook; its version is pinned).
    login_manager.session_protection = None
    login_manager._session_identifier_generator = str
    csrf.init_app(app)
    # Flask-WTF offers `csrf_token` as a global and from a context processor; this one runs later.
    app.jinja_env.globals["csrf_token"] = cached_csrf_token
    app.context_processor(lambda: {"csrf_token": cached_csrf_token})

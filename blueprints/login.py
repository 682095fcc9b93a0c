"""Flask-Login on top of server-side sessions.

Flask-Login keeps whatever `get_id()` returns in the signed cookie; here that is the id of a
server-side Session record, not the user id, so every login can be listed and revoked, and a
"remember me" cookie dies with its session.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, g, session
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf.csrf import CSRFProtect

from blueprints.deps import accounts
from dal.base import Session, User

login_manager = LoginManager()
PENDING_IDENTITY = "pending_identity"  # blueprints/identity.py: linked once its account is logged in to
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
    """Log in with a fresh cookie (the old one's contents are dropped: no session fixation), keeping
    only a provider sign-in waiting to be linked to the account being logged in to."""
    pending = session.get(PENDING_IDENTITY)
    session.clear()
    if pending:
        session[PENDING_IDENTITY] = pending
    session.permanent = server_session.remember
    auth_user = AuthUser(user, server_session)
    lifetime = server_session.expires_at - server_session.created_at
    login_user(auth_user, remember=server_session.remember, duration=lifetime)
    return auth_user


def init_app(app: Flask) -> None:
    app.permanent_session_lifetime = timedelta(days=app.config["REMEMBER_DAYS"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    # Sessions are server-side and revocable instead of Flask-Login's session protection.
    login_manager.session_protection = None
    csrf.init_app(app)

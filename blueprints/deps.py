"""The services built by the app factory, looked up for the current app."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import Blueprint, abort, current_app, request
from flask_login import login_required

from dal.base import Store
from services.accounts import Accounts


def service(name: str) -> Any:
    return current_app.extensions[f"codelearn.{name}"]


def store() -> Store:
    return service("store")


def accounts() -> Accounts:
    return service("accounts")


def service_or_404(name: str) -> Any:
    """The service, or 404 where the app factory did not build it (the chat and the assistant need the
    AI layer)."""
    found = current_app.extensions.get(f"codelearn.{name}")
    if found is None:
        abort(404)
    return found


def require_login(bp: Blueprint, *, public: Collection[str] = ()) -> None:
    """Every page of `bp` is for a logged-in learner, `public` endpoints excepted; flask-login's own
    `login_required` decides, so its unauthorized handling (the login page) stays the one."""

    @bp.before_request
    def _logged_in() -> Any:
        if request.endpoint in public:
            return None
        return login_required(lambda: None)()

"""The services built by the app factory, looked up for the current app."""

from __future__ import annotations

from typing import Any

from flask import current_app

from dal.base import Store
from services.accounts import Accounts


def service(name: str) -> Any:
    return current_app.extensions[f"codelearn.{name}"]


def store() -> Store:
    return service("store")


def accounts() -> Accounts:
    return service("accounts")

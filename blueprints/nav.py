"""The layout's navigation: entries that area blueprints add when they are registered, and the
fixed links every page carries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

_KEY = "codelearn.nav"
_BADGES = "codelearn.nav_badges"

# Everything base.html links to besides the nav entries (endpoints, and files under static/).
LAYOUT_ENDPOINTS = ("main.index", "main.dashboard", "auth.sessions", "auth.logout", "auth.login", "auth.register")
LAYOUT_ASSETS = ("img/logo.svg", "css/app.css", "js/menu.js")
# The pages under the Account entry: sessions and password (auth), profile and deletion (progress).
ACCOUNT_ENDPOINTS = frozenset({"auth.sessions", "auth.change_password", "progress.profile", "progress.delete_account",
                               "progress.confirm_deletion", "progress.confirm_email"})


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    blueprint: str
    admin_only: bool = False


def add_nav_item(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault(_KEY, []).append(item)


def add_nav_badge(app: Flask, endpoint: str, count: Callable[[], int]) -> None:
    """A number shown beside a nav entry (e.g. reviews due); `count` caches its own read per request."""
    app.extensions.setdefault(_BADGES, {})[endpoint] = count


def init_app(app: Flask) -> None:
    app.extensions.setdefault(_KEY, [])
    app.extensions.setdefault(_BADGES, {})
    links_by_mount: dict[str, dict[str, str]] = {}

    def layout_links() -> dict[str, str]:
        """The layout's URLs by endpoint or asset path, built once per mount point (stage prefix):
        url_for was a large share of rendering a page."""
        links = links_by_mount.get(request.script_root)
        if links is None:
            endpoints = (*LAYOUT_ENDPOINTS, *(item.endpoint for item in app.extensions[_KEY]))
            links = {endpoint: url_for(endpoint) for endpoint in endpoints}
            links.update({asset: url_for("static", filename=asset) for asset in LAYOUT_ASSETS})
            links_by_mount[request.script_root] = links
        return links

    @app.context_processor
    def navigation() -> dict:
        is_admin = bool(getattr(current_user, "is_admin", False))
        return {
            "nav_items": [i for i in app.extensions[_KEY] if is_admin or not i.admin_only],
            "links": layout_links(),
            "current_endpoint": request.endpoint,
            "account_current": request.endpoint in ACCOUNT_ENDPOINTS,
            "current_blueprint": request.blueprint,
            "nav_badge": lambda item: app.extensions[_BADGES].get(item.endpoint, lambda: 0)(),
        }

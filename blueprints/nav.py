"""Entries of the main navigation that area blueprints add when they are registered."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for

_KEY = "codelearn.nav"


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    blueprint: str
    admin_only: bool = False


def add_nav_item(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault(_KEY, []).append(item)


def init_app(app: Flask) -> None:
    app.extensions.setdefault(_KEY, [])
    built: dict[tuple, str] = {}

    def layout_url(endpoint: str, **values: str) -> str:
        """`url_for` for the layout's fixed links, built once per mount point (stage prefix)."""
        key = (request.script_root, endpoint, *sorted(values.items()))
        if key not in built:
            built[key] = url_for(endpoint, **values)
        return built[key]

    app.jinja_env.globals["layout_url"] = layout_url

    @app.context_processor
    def navigation() -> dict:
        from flask_login import current_user

        is_admin = bool(getattr(current_user, "is_admin", False))
        items = [i for i in app.extensions[_KEY] if is_admin or not i.admin_only]
        return {"nav_items": items}

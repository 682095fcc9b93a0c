"""The colour theme. Pages follow the device's light or dark setting (prefers-color-scheme) unless
the learner picks one on the account page; the choice is kept in a cookie, so it holds on every
page, logged in or not, and needs no script: the layout writes it on <html data-theme>."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, abort, current_app, flash, redirect, request, url_for

THEMES = {"system": "Match my device", "light": "Light", "dark": "Dark"}
COOKIE = "theme"
KEPT_FOR = timedelta(days=365)

bp = Blueprint("appearance", __name__)


def chosen_theme() -> str:
    value = request.cookies.get(COOKIE, "system")
    return value if value in THEMES else "system"


@bp.post("/account/theme")
def set_theme():
    theme = request.form.get("theme", "")
    if theme not in THEMES:
        abort(400)
    response = redirect(url_for("auth.sessions") + "#appearance")
    secure = current_app.config["SESSION_COOKIE_SECURE"]
    if theme == "system":
        response.delete_cookie(COOKIE, httponly=True, samesite="Lax", secure=secure)
    else:
        response.set_cookie(COOKIE, theme, max_age=int(KEPT_FOR.total_seconds()), httponly=True, samesite="Lax",
                            secure=secure)
    flash(f"Theme: {THEMES[theme].lower() if theme == 'system' else THEMES[theme]}.", "success")
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def theme() -> dict:
        return {"theme": chosen_theme(), "themes": THEMES}

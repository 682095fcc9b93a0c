"""Landing page, dashboard and health check."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from blueprints.forms import ConfirmForm

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.get("/dashboard")
@login_required
def dashboard():
    return render_template("main/dashboard.html", form=ConfirmForm())


@bp.get("/healthz")
def health():
    return {"status": "ok"}

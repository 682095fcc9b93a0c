"""Landing page, dashboard and health check."""

from __future__ import annotations

import logging

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from blueprints.deps import service
from blueprints.forms import ConfirmForm
from dal.base import StoreError

bp = Blueprint("main", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return render_template("main/index.html")


@bp.get("/dashboard")
@login_required
def dashboard():
    dashboards = service("dashboard")
    try:
        records = dashboards.records(current_user.id)  # one query on DynamoDB: skills, lessons, progress
    except StoreError:
        log.warning("dashboard without the learner's records: the store did not answer")
        records = None
    profile = track = None
    if records is not None:  # next steps and the track come from the records read
        profile = service("tutor").profile(current_user.id, records=(records.masteries, records.progress))
        track = dashboards.track(records.progress, profile.tested_out)
    try:
        progress = dashboards.build(current_user.user, completed=profile.completed if profile else None,
                                    view=records.view if records else None)
    except StoreError:
        log.warning("dashboard without progress aggregates: the store did not answer")
        progress = None
    heat_svg = Markup(progress.heat.svg) if progress else ""  # noqa: S704 - drawn from numbers and dates only
    return render_template("main/dashboard.html", form=ConfirmForm(), profile=profile, progress=progress,
                           heat_svg=heat_svg, track=track)


@bp.get("/healthz")
def health():
    return {"status": "ok"}

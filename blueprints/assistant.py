"""The code assistant's page: one form (code, mode, the error or a description) and its answer.

Thin: every decision is in services/assistant. A plain form post renders the answer on the same page,
so it works without JavaScript; opened from a lesson (?lesson=<id>) it starts from the learner's saved
code and, for debugging, the last failing result.
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.deps import require_login, service, service_or_404
from blueprints.nav import NavItem, add_nav_item
from services.assistant.service import MODES, AssistantService
from services.errors import InvalidInput

bp = Blueprint("assistant", __name__, url_prefix="/assistant")
require_login(bp)  # the assistant answers the learner's own code


def assistant() -> AssistantService:
    return service_or_404("assistant")


@bp.get("/")
def page():
    lesson_id = request.args.get("lesson", "")
    form = {"mode": request.args.get("mode", "review"), "code": "", "error": "", "description": "",
            "lesson_id": lesson_id}
    lesson = service("lesson_library").get(lesson_id) if lesson_id else None
    if lesson is not None:
        record = service("store").get_lesson_record(current_user.id, lesson.id)
        form["code"] = record.draft.code if record.draft else lesson.starter
        report = record.last_report.report if record.last_report else {}
        failing = [t for t in report.get("tests") or () if t.get("status") != "pass" and not t.get("hidden")]
        form["error"] = "\n".join(f"{t.get('name')}: {t.get('message', '')}" for t in failing[:3])
    return render_template("assistant/page.html", form=form, answer=None, errors={}, lesson=lesson,
                           modes=list(MODES), history=assistant().history(current_user.id))


@bp.post("/history/<request_id>/delete")
def forget(request_id: str):
    assistant().forget(current_user.id, request_id)
    return redirect(url_for(".page", _anchor="history"))


@bp.post("/history/delete")
def forget_all():
    assistant().forget(current_user.id)
    return redirect(url_for(".page", _anchor="history"))


@bp.post("/")
def ask():
    form = {name: request.form.get(name, "") for name in ("mode", "code", "error", "description", "lesson_id")}
    lesson = service("lesson_library").get(form["lesson_id"]) if form["lesson_id"] else None
    try:
        answer = assistant().ask(current_user.id, form["mode"], form["code"], error=form["error"],
                                 description=form["description"], lesson_id=form["lesson_id"])
    except InvalidInput as exc:
        status = 400 if "mode" in exc.field_errors else 422
        return render_template("assistant/page.html", form=form, answer=None, errors=exc.field_errors,
                               error=str(exc), lesson=lesson, modes=list(MODES),
                               history=assistant().history(current_user.id)), status
    return render_template("assistant/page.html", form=form, answer=answer, errors={}, lesson=lesson,
                           modes=list(MODES), history=assistant().history(current_user.id))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Assistant", "assistant.page", "assistant"))

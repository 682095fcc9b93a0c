"""Admin pages: users (find, role, disable), the AI cost page (spend, calls avoided, projection vs
budget, price table, quotas) with the emergency-mode switch and the monthly budget; the content check,
lesson cache, answer gate and audit pages are in blueprints/admin_pages.py on the same blueprint.
Admins only; everyone else gets 403. Every change is in the audit trail with the admin who made it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from blueprints.nav import NavItem, add_nav_item
from services.admin.ai_controls import AIControls
from services.admin.audit import AuditTrail
from services.admin.lesson_cache import LessonCacheAdmin
from services.ai.budget import Budget
from services.ai.cost_report import cost_summary
from services.ai.settings import TASK_NAMES, AISettings
from services.ai.tasks import TASKS
from services.errors import InvalidInput, NotFoundError, PermissionDenied
from services.user_admin import UserAdmin, is_disabled

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The page each AI task is used on: (the endpoint that calls the task, the page to link). A task whose
# endpoint this app does not have has no face, so the cost page lists no quota for it.
TASK_PAGES: dict[str, tuple[str, str]] = {
    "lesson": ("lessons.topic", "lessons.catalogue"),
    "hint": ("lessons.ai_hint", "lessons.catalogue"),
    "quiz": ("tutor.start_concept_quiz", "tutor.skills"),
    "explain": ("tutor.explain", "tutor.skills"),
    "chat": ("chat.ask", "chat.conversations"),
    **{task: ("assistant.ask", "assistant.page")
       for task in ("review", "debug", "explain_code", "optimize", "generate")},
}
PAGE_LABELS = {"lessons.catalogue": "Lessons", "tutor.skills": "Skills", "chat.conversations": "Tutor chat",
               "assistant.page": "Code assistant"}


def _ai_parts() -> tuple[Budget, AISettings, object | None]:
    """The running AI service's budget, or one over the store when the AI layer is not wired."""
    ai = current_app.extensions.get("codelearn.ai")
    if ai is not None:
        return ai.budget, ai.settings, ai
    settings = AISettings.from_config(current_app.config)
    return Budget(current_app.extensions["codelearn.store"], settings), settings, None


@bp.before_request
@login_required
def _admins_only() -> None:
    if not getattr(current_user, "is_admin", False):
        abort(403)


@bp.get("/")
def index():
    return redirect(url_for(".cost"))


@bp.get("/cost")
def cost():
    budget, settings, ai = _ai_parts()
    current_app.extensions["codelearn.lessons"].view_counter.flush()  # this process's views, up to now
    summary = cost_summary(budget, settings, budget.now())
    peak = max((day.cost_usd for day in summary.days), default=0.0)
    return render_template(
        "admin/cost.html",
        summary=summary,
        settings=settings,
        provider=getattr(getattr(ai, "provider", None), "name", "not configured"),
        breaker=getattr(getattr(ai, "breaker", None), "state", "-"),
        peak=peak,
        quotas=_quotas_with_a_page(settings),
    )


@dataclass(frozen=True)
class _QuotaRow:
    label: str
    limit: int
    page_url: str
    page_label: str


def _quotas_with_a_page(settings: AISettings) -> list[_QuotaRow]:
    rows = []
    for task in TASK_NAMES:
        serving, page = TASK_PAGES.get(task, ("", ""))
        if serving in current_app.view_functions and page in current_app.view_functions:
            rows.append(_QuotaRow(TASKS[task].feature, settings.quota_for(task), url_for(page), PAGE_LABELS[page]))
    return rows


def _controls() -> AIControls:
    budget, _, _ = _ai_parts()
    return AIControls(budget, current_app.extensions["codelearn.audit"])


@bp.post("/cost/emergency")
def emergency():
    turn_on = request.form.get("mode") == "on"
    _controls().switch_emergency(current_user.id, turn_on)
    flash(
        "Emergency mode is on: no model is called, everything answers offline."
        if turn_on
        else "Emergency mode is off: models answer again.",
        "success",
    )
    return redirect(url_for(".cost"))


@bp.post("/cost/budget")
def set_budget():
    try:
        _controls().set_budget(current_user.id, request.form.get("budget_usd", ""))
    except InvalidInput as exc:
        flash(str(exc), "error")
    else:
        flash("Monthly budget saved.", "success")
    return redirect(url_for(".cost"))


def _user_admin() -> UserAdmin:
    return current_app.extensions["codelearn.user_admin"]


@bp.get("/users")
def users():
    try:
        listing = _user_admin().listing(request.args.get("q", "")[:320], request.args.get("cursor"))
    except InvalidInput as exc:
        flash(str(exc), "error")
        listing = _user_admin().listing()
    return render_template("admin/users.html", listing=listing, is_disabled=is_disabled)


@bp.post("/users/<user_id>/role")
def change_role(user_id: str):
    try:
        user = _user_admin().set_role(current_user.id, user_id, request.form.get("role", ""))
    except (InvalidInput, PermissionDenied, NotFoundError) as exc:
        flash(str(exc), "error")
    else:
        flash(f"{user.email} is now {'an admin' if user.role == 'admin' else 'a learner'}.", "success")
    return redirect(url_for(".users", q=request.form.get("q", "")))


@bp.post("/users/<user_id>/disabled")
def change_disabled(user_id: str):
    disable = request.form.get("disabled") == "on"
    try:
        user = _user_admin().set_disabled(current_user.id, user_id, disable)
    except (InvalidInput, PermissionDenied, NotFoundError) as exc:
        flash(str(exc), "error")
    else:
        flash(f"{user.email} is {'disabled and logged out everywhere' if disable else 'enabled again'}.", "success")
    return redirect(url_for(".users", q=request.form.get("q", "")))


def init_app(app: Flask) -> None:
    store = app.extensions["codelearn.store"]
    audit = AuditTrail(store)
    app.extensions["codelearn.audit"] = audit
    app.extensions["codelearn.user_admin"] = UserAdmin(store, audit=audit)
    tutor, ai = app.extensions.get("codelearn.tutor"), app.extensions.get("codelearn.ai")
    app.extensions["codelearn.lesson_cache_admin"] = LessonCacheAdmin(
        store, app.extensions["codelearn.lesson_library"], getattr(tutor, "concepts", None), audit,
        hits=getattr(ai, "cache_hits", None))
    app.register_blueprint(bp)
    # One entry for the admin pages (they link each other): the header stays one row at 1280 px.
    add_nav_item(app, NavItem("Admin", "admin.users", "admin", admin_only=True))


from blueprints import admin_pages  # noqa: E402,F401 - its routes are on `bp`, registered by init_app

"""Admin pages beside users and costs: the content check's status, the lesson cache (entries, hits,
invalidation), the answer gate's recent refusals and the audit trail. Routes on blueprints.admin's
blueprint, so they share its admins-only guard; each view parses input, calls one service, renders."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.admin import bp
from services.admin.audit import AuditTrail
from services.admin.content_status import content_status
from services.admin.lesson_cache import KINDS, LessonCacheAdmin
from services.ai.gate_log import recent_rejections
from services.errors import InvalidInput, NotFoundError

STYLES = "css/admin.css"


def _cache() -> LessonCacheAdmin:
    return current_app.extensions["codelearn.lesson_cache_admin"]


def _audit() -> AuditTrail:
    return current_app.extensions["codelearn.audit"]


@bp.get("/content")
def content():
    status = content_status(current_app.extensions["codelearn.store"],
                            current_app.extensions["codelearn.lesson_library"],
                            current_app.extensions.get("codelearn.lesson_problems", ()),
                            current_app.config["LESSONS_DIR"])
    return render_template("admin/content.html", status=status)


@bp.get("/cache")
def cache():
    kind = request.args.get("kind", "")
    try:
        page = _cache().page(kind if kind in KINDS else "", request.args.get("cursor"))
    except InvalidInput as exc:
        flash(str(exc), "error")
        page = _cache().page(kind if kind in KINDS else "")
    return render_template("admin/cache.html", page=page, kinds=KINDS, lessons=_cache().lessons())


@bp.post("/cache/invalidate")
def invalidate_cache():
    key = request.form.get("key", "")
    try:
        _cache().invalidate(current_user.id, key)
    except (InvalidInput, NotFoundError) as exc:
        flash(str(exc), "error")
    else:
        flash(f"Invalidated {key}: the next request for it makes a new one.", "success")
    return redirect(url_for(".cache", kind=request.form.get("kind", "")))


@bp.post("/cache/invalidate-lesson")
def invalidate_lesson_cache():
    lesson_id = request.form.get("lesson_id", "")
    try:
        removed = _cache().invalidate_lesson(current_user.id, lesson_id)
    except NotFoundError as exc:
        flash(str(exc), "error")
    else:
        count = len(removed)
        flash(f"Invalidated {count} entr{'y' if count == 1 else 'ies'} of {lesson_id}." if count
              else f"Nothing of {lesson_id} was in the cache.", "success")
    return redirect(url_for(".cache"))


@bp.get("/gate")
def gate():
    rejections = recent_rejections(current_app.extensions["codelearn.store"])
    library = current_app.extensions["codelearn.lesson_library"]
    titles = {lesson.id: lesson.title for lesson in library.all()}
    return render_template("admin/gate.html", rejections=rejections, titles=titles)


@bp.get("/audit")
def audit():
    try:
        page = _audit().page(request.args.get("cursor"))
    except InvalidInput as exc:
        flash(str(exc), "error")
        page = _audit().page()
    return render_template("admin/audit.html", page=page)

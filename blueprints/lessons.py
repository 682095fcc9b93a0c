"""The learning pages: the catalogue of a track, a lesson with its editor, and the learning loop's
endpoints (submit, run, draft, reset, hints). Each answers JSON to fetch() and HTML to a plain form
post, so everything works without JavaScript too."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from blueprints.deps import service
from blueprints.errors import wants_json
from blueprints.nav import NavItem, add_nav_item
from services.errors import InvalidInput, RateLimited, ServiceError
from services.grader import RunResult
from services.lessons.catalogue import STATUS_LABELS
from services.lessons.learning import LearningService, SubmissionResult
from services.lessons.model import LEVEL_TITLES, LEVELS, Lesson
from services.lessons.service import LessonService
from services.lessons.summaries import run_summary, submission_summary

bp = Blueprint("lessons", __name__, url_prefix="/learn")


def lessons() -> LessonService:
    return service("lessons")


def learning() -> LearningService:
    return service("learning")


_URLS: dict[tuple[str, str], dict[str, str]] = {}
_URL_ENDPOINTS = ("lesson", "submit", "run", "save_draft", "reset", "hint", "ai_hint")
_STATIC_FILES = ("css/lessons.css", "css/pygments.css", "js/editor.js", "js/lesson.js")


def lesson_urls(lesson_id: str) -> dict[str, str]:
    """The lesson page's links, built once per lesson (url_for is a large share of a page's cost)."""
    key = (request.script_root, lesson_id)
    urls = _URLS.get(key)
    if urls is None:
        urls = {name: url_for(f".{name}", lesson_id=lesson_id) for name in _URL_ENDPOINTS}
        urls.update({name: url_for("static", filename=name) for name in _STATIC_FILES})
        urls["catalogue"] = url_for(".catalogue")
        if len(_URLS) > 5000:  # generated lessons are unbounded in number
            _URLS.clear()
        _URLS[key] = urls
    return urls


def _field(name: str) -> str:
    """A required form field; a form without it was not sent by our page (400, nothing changed)."""
    value = request.form.get(name)
    if value is None:
        abort(400)
    return value.replace("\r\n", "\n")


def _stdin() -> str:
    """The Run button's optional input box (absent from forms that do not carry it)."""
    return request.form.get("stdin", "").replace("\r\n", "\n")


@bp.before_request
@login_required
def _logged_in() -> None:
    """Every learning page is about the learner's own progress."""


@bp.get("/")
def catalogue():
    return render_template("lessons/catalogue.html", track=lessons().track(current_user.id),
                           levels=LEVELS, level_titles=LEVEL_TITLES)


@bp.get("/continue")
def continue_learning():
    following = service("tutor").continue_lesson(current_user.id)
    return redirect(url_for(".lesson", lesson_id=following.id) if following else url_for(".catalogue"))


@bp.post("/topic")
def topic():
    try:
        found = lessons().find("python", request.form.get("level", ""), request.form.get("topic", ""),
                               user_id=current_user.id)
    except InvalidInput as exc:
        flash(str(exc), "error")
        return redirect(url_for(".catalogue"))
    if found.note:
        flash(found.note, "info")
    # `via=topic`: this lookup already counted the view; the page it leads to does not count it again.
    return redirect(url_for(".lesson", lesson_id=found.lesson.id, via="topic"))


def _page(lesson: Lesson, *, code: str | None = None, result: SubmissionResult | None = None,
          run: RunResult | None = None, stdin: str = "", error: str | None = None, error_at: str = "editor",
          ai_hint: Any = None, status: int = 200, headers: dict | None = None):
    """The lesson page; `error` is shown where the refused action's answer would have appeared
    (`error_at`: editor, results or output), next to what was there before."""
    state = learning().state(current_user.id, lesson)
    # Back on a finished lesson: point the way on (one more read, only for completed lessons).
    following = lessons().next_lesson(current_user.id) if state.completed and result is None else None
    page = render_template(
        "lessons/lesson.html", lesson=lesson, rendered=lessons().rendered(lesson), state=state,
        code=state.code if code is None else code, result=result, run=run, stdin=stdin, error=error,
        error_at=error_at, ai_hint=_ai_hint_view(ai_hint), status_labels=STATUS_LABELS, level_titles=LEVEL_TITLES,
        urls=lesson_urls(lesson.id), following=following, newcomer_limits=_newcomer_limits(),
    )
    return page, status, headers or {}


def _newcomer_limits() -> tuple[dict[str, int], dict[str, int]] | None:
    """(the learner's budgets, the full ones) while their address is unconfirmed, else None."""
    if current_user.verified:
        return None
    return learning().code_run_budgets(verified=False), learning().code_run_budgets(verified=True)


@bp.get("/<lesson_id>")
def lesson(lesson_id: str):
    counted = request.args.get("via") == "topic"
    return _page(lessons().get(lesson_id) if counted else lessons().view(lesson_id))


def _ai_hint_view(answer: Any) -> dict[str, str] | None:
    return {"html": lessons().inline_markup(answer.text), "note": answer.note} if answer else None


def _result_json(lesson: Lesson, result: SubmissionResult) -> dict[str, Any]:
    report = result.report
    passed = sum(1 for t in report.tests if t.status == "pass")
    following = result.next_lesson
    return {
        **report.to_dict(),
        "summary": submission_summary(result),
        "passed": passed,
        "attempts": result.attempts,
        "completed": result.completed,
        "completed_now": result.completed_now,
        "next": {"id": following.id, "title": following.title,
                 "url": url_for(".lesson", lesson_id=following.id)} if following else None,
        "html": render_template("lessons/_results.html", lesson=lesson, result=result),
    }


@bp.post("/<lesson_id>/submit")
def submit(lesson_id: str):
    code = _field("code")
    lesson = lessons().get(lesson_id)
    try:
        result = learning().submit(current_user.id, lesson.id, code, verified=current_user.verified)
    except (InvalidInput, RateLimited) as exc:
        if wants_json():
            raise
        return _refused_page(lesson, code, exc, stdin=_stdin(), error_at="results")
    if wants_json():
        return jsonify(_result_json(lesson, result))
    return _page(lesson, code=code, result=result, stdin=_stdin())


@bp.post("/<lesson_id>/run")
def run(lesson_id: str):
    code, stdin = _field("code"), _stdin()
    lesson = lessons().get(lesson_id)
    try:
        result = learning().run(current_user.id, lesson.id, code, stdin, verified=current_user.verified)
    except ServiceError as exc:
        if wants_json():
            raise
        return _refused_page(lesson, code, exc, stdin=stdin, error_at="output")
    if wants_json():
        return jsonify({**result.to_dict(), "summary": run_summary(result),
                        "html": render_template("lessons/_output.html", run=result)})
    return _page(lesson, code=code, run=result, stdin=stdin)


def _refused_page(lesson: Lesson, code: str, exc: ServiceError, *, stdin: str = "", error_at: str = "editor"):
    """The lesson page again with the learner's code in the editor and why nothing ran."""
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
    return _page(lesson, code=code, stdin=stdin, error=str(exc), error_at=error_at, status=exc.status_code,
                 headers=headers)


@bp.post("/<lesson_id>/draft")
def save_draft(lesson_id: str):
    draft = learning().save_draft(current_user.id, lesson_id, _field("code"))
    if wants_json():
        return jsonify(saved=True, saved_at=draft.updated_at.isoformat())
    if request.form.get("quiet"):  # the page's beacon as the learner leaves
        return "", 204
    flash("Your draft is saved.", "success")
    return redirect(url_for(".lesson", lesson_id=lesson_id))


@bp.post("/<lesson_id>/reset")
def reset(lesson_id: str):
    starter = learning().reset_draft(current_user.id, lesson_id)
    if wants_json():
        return jsonify(code=starter)
    flash("The editor is back to the starter code.", "info")
    return redirect(url_for(".lesson", lesson_id=lesson_id))


@bp.post("/<lesson_id>/hint")
def hint(lesson_id: str):
    lesson = lessons().get(lesson_id)
    try:
        state = learning().reveal_hint(current_user.id, lesson.id)
    except InvalidInput as exc:
        if wants_json():
            raise
        flash(str(exc), "info")
    if wants_json():
        return jsonify(revealed=state.revealed_hints, html=render_template(
            "lessons/_hints.html", lesson=lesson, rendered=lessons().rendered(lesson), state=state, ai_hint=None,
            urls=lesson_urls(lesson.id)))
    return redirect(url_for(".lesson", lesson_id=lesson.id, _anchor="hints"))


@bp.post("/<lesson_id>/ai-hint")
def ai_hint(lesson_id: str):
    code = _field("code")
    lesson = lessons().get(lesson_id)
    try:
        answer = learning().ai_hint(current_user.id, lesson.id, code, verified=current_user.verified)
    except ServiceError as exc:  # limits and outages: JSON gets the error, the form the page and its code
        if wants_json():
            raise
        return _refused_page(lesson, code, exc, stdin=_stdin())
    if wants_json():
        state = learning().state(current_user.id, lesson)
        return jsonify(text=answer.text, note=answer.note, remaining=answer.remaining, html=render_template(
            "lessons/_hints.html", lesson=lesson, rendered=lessons().rendered(lesson), state=state,
            ai_hint=_ai_hint_view(answer), urls=lesson_urls(lesson.id)))
    return _page(lesson, code=code, ai_hint=answer, stdin=_stdin())


def _current_track():
    """For the dashboard: the learner's progress on the Python track and the next lesson."""
    return lessons().track(current_user.id) if current_user.is_authenticated else None


def time_ago(moment: datetime, now: datetime | None = None) -> str:
    """"just now", "5 minutes ago", "yesterday", "3 days ago": when results were made, in words."""
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    for size, unit in ((86_400, "day"), (3_600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return "yesterday" if unit == "day" and count == 1 else f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(time_ago, "ago")
    add_nav_item(app, NavItem("Learn", "lessons.catalogue", "lessons"))
    app.jinja_env.globals["learning_track"] = _current_track

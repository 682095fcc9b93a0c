"""The tutor's pages: the skill profile, a concept (explain, quiz me), quizzes and the placement quiz.

Thin: every decision is in services/tutor. Quiz forms post plain radio buttons (`q<position>`), so
everything works without JavaScript; answers come back on a refused form.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from blueprints.deps import require_login, service
from blueprints.nav import NavItem, add_nav_item
from services.errors import Conflict, InvalidInput
from services.lessons.rendering import section_anchor
from services.tutor.service import TutorService

bp = Blueprint("tutor", __name__)
require_login(bp)  # skills and quizzes are the learner's own


def tutor() -> TutorService:
    return service("tutor")


# --- skills ---------------------------------------------------------------------------------------
@bp.get("/skills")
def skills():
    return render_template("tutor/skills.html", profile=tutor().profile(current_user.id), concepts=tutor().concepts)


@bp.get("/skills/<concept_id>")
def concept(concept_id: str):
    found = tutor().concepts.get(concept_id)
    if found is None:
        abort(404)
    profile = tutor().profile(current_user.id)
    row = next((r for r in profile.rows if r.concept.id == concept_id), None)
    return render_template("tutor/concept.html", concept=found, row=row, profile=profile,
                           concepts=tutor().concepts, records=tutor().quizzes.records(current_user.id))


@bp.get("/skills/<concept_id>/explain")
def explain(concept_id: str):
    if concept_id not in tutor().concepts:
        abort(404)
    lesson = tutor().open_challenge(current_user.id, request.args.get("lesson", ""))
    explanation = tutor().explain(current_user.id, concept_id, open_lesson=lesson)
    return render_template("tutor/explain.html", explanation=explanation, from_lesson=lesson)


# --- quizzes ----------------------------------------------------------------------------------------
@bp.post("/quizzes/lesson/<lesson_id>")
def start_lesson_quiz(lesson_id: str):
    attempt = tutor().quizzes.start_lesson_quiz(current_user.id, lesson_id)
    return redirect(url_for(".quiz", attempt_id=attempt.id))


@bp.post("/quizzes/concept/<concept_id>")
def start_concept_quiz(concept_id: str):
    attempt = tutor().quizzes.start_concept_quiz(current_user.id, concept_id)
    return redirect(url_for(".quiz", attempt_id=attempt.id))


@bp.get("/quizzes/<attempt_id>")
def quiz(attempt_id: str):
    view = tutor().quizzes.view(current_user.id, attempt_id)
    if view.attempt.quiz_key == "placement":
        return redirect(url_for(".placement_step", attempt_id=attempt_id))
    return render_template("tutor/quiz.html", view=view, chosen={}, errors={})


@bp.post("/quizzes/<attempt_id>")
def submit_quiz(attempt_id: str):
    answers = {key: value for key, value in request.form.items() if key.startswith("q")}
    try:
        view = tutor().quizzes.submit(current_user.id, attempt_id, answers)
    except InvalidInput as exc:
        view = tutor().quizzes.view(current_user.id, attempt_id)
        return render_template("tutor/quiz.html", view=view, chosen=answers, errors=exc.field_errors,
                               error=str(exc)), 422
    except Conflict as exc:
        view = tutor().quizzes.view(current_user.id, attempt_id)
        return render_template("tutor/quiz.html", view=view, chosen={}, errors={}, error=str(exc)), 409
    return render_template("tutor/quiz.html", view=view, chosen={}, errors={}, just_submitted=True)


# --- placement --------------------------------------------------------------------------------------
@bp.get("/placement")
def placement():
    return render_template("tutor/placement_start.html", track=tutor().track)


@bp.post("/placement")
def start_placement():
    attempt = tutor().placement.start(current_user.id)
    return redirect(url_for(".placement_step", attempt_id=attempt.id))


@bp.get("/placement/<attempt_id>")
def placement_step(attempt_id: str):
    step = tutor().placement.current(current_user.id, attempt_id)
    return render_template("tutor/placement.html", step=step, chosen={}, errors={},
                           lessons={lesson.id: lesson for lesson in tutor().track})


@bp.post("/placement/<attempt_id>")
def answer_placement(attempt_id: str):
    answers = {key: value for key, value in request.form.items() if key.startswith("q")}
    try:
        tutor().placement.answer(current_user.id, attempt_id, answers)
    except InvalidInput as exc:
        step = tutor().placement.current(current_user.id, attempt_id)
        return render_template("tutor/placement.html", step=step, chosen=answers, errors=exc.field_errors,
                               error=str(exc), lessons={lesson.id: lesson for lesson in tutor().track}), 422
    except Conflict as exc:
        step = tutor().placement.current(current_user.id, attempt_id)
        return render_template("tutor/placement.html", step=step, chosen={}, errors={}, error=str(exc),
                               lessons={lesson.id: lesson for lesson in tutor().track}), 409
    return redirect(url_for(".placement_step", attempt_id=attempt_id))


# --- pictures: SVG drawn here (one string format per row; Jinja macros cost ~0.3 ms a row) ----------
_BAND_LABELS = {"new": "New", "developing": "Developing", "confident": "Confident"}


def level_bar(percent: int, band: str, width: int = 120) -> Markup:
    """A level as a bar, with its number for screen readers."""
    fill = round(width * max(0, min(100, int(percent))) / 100, 1)
    return Markup(  # noqa: S704 - numbers and a fixed class name only
        f'<svg class="level-bar" width="{width}" height="10" viewBox="0 0 {width} 10" role="img" '
        f'aria-label="Level {int(percent)} of 100"><rect class="track" x="0" y="0" width="{width}" height="10" rx="5">'
        f'</rect><rect class="fill-{escape(band)}" x="0" y="0" width="{fill}" height="10" rx="5"></rect></svg>')


def sparkline(points: tuple[float, ...] | list[float], width: int = 96, height: int = 24) -> Markup:
    """The level's history as a line, with the values for screen readers; nothing under two points."""
    if len(points) < 2:
        return Markup("")
    step = (width - 4) / (len(points) - 1)
    coords = " ".join(f"{2 + i * step:.1f},{height - 2 - p * (height - 4):.1f}" for i, p in enumerate(points))
    values = ", ".join(str(round(p * 100)) for p in points)
    return Markup(  # noqa: S704 - numbers only
        f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Level history: {values}"><polyline points="{coords}"></polyline></svg>')


def band_label(band: str) -> Markup:
    return Markup(f'<span class="band band-{escape(band)}">{_BAND_LABELS.get(band, "")}</span>')  # noqa: S704


def _concept_title(concept_id: str) -> str:
    concept = tutor().concepts.get(concept_id)
    return concept.title if concept else concept_id.replace("-", " ")


def _markup(text: str, shift: int = 2):
    return Markup(service("lessons").markup(text, shift=shift))  # noqa: S704 - sanitised by the renderer


def _inline(text: str):
    """Bank texts are plain words with `code` in backticks: Markdown only where there is code, so a
    bare __init__ is not taken for bold."""
    if "`" not in text:
        return escape(text)
    return Markup(service("lessons").inline_markup(text))  # noqa: S704 - sanitised by the renderer


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(_markup, "markup")
    app.add_template_filter(_inline, "inline_markup")
    app.add_template_filter(section_anchor, "section_anchor")
    app.jinja_env.globals.update(concept_title=_concept_title, level_bar=level_bar, sparkline=sparkline,
                                 band_label=band_label)
    add_nav_item(app, NavItem("Skills", "tutor.skills", "tutor"))

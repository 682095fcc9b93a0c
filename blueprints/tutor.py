"""The tutor's pages: the skill profile, a concept (explain, quiz me), quizzes and the placement quiz.

Thin: every decision is in services/tutor. Quiz forms post plain radio buttons (`q<position>`), so
everything works without JavaScript; answers come back on a refused form.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from blueprints.deps import service
from blueprints.nav import NavItem, add_nav_item
from services.errors import Conflict, InvalidInput
from services.lessons.rendering import section_anchor
from services.tutor.service import TutorService

bp = Blueprint("tutor", __name__)


def tutor() -> TutorService:
    return service("tutor")


@bp.before_request
@login_required
def _logged_in() -> None:
    """Skills and quizzes are the learner's own."""


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
    lesson = _open_lesson(request.args.get("lesson", ""))
    explanation = tutor().explain(current_user.id, concept_id, open_lesson=lesson)
    return render_template("tutor/explain.html", explanation=explanation, from_lesson=lesson)


def _open_lesson(lesson_id: str):
    """The challenge the learner came from, when it is not solved yet (its answer must not leak)."""
    lesson = service("lesson_library").get(lesson_id) if lesson_id else None
    if lesson is None:
        return None
    progress = service("store").get_progress(current_user.id, lesson.id)
    return None if progress and progress.completed else lesson


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


def _concept_title(concept_id: str) -> str:
    concept = tutor().concepts.get(concept_id)
    return concept.title if concept else concept_id.replace("-", " ")


def _markup(text: str, shift: int = 2):
    from markupsafe import Markup

    return Markup(service("lessons").markup(text, shift=shift))  # noqa: S704 - sanitised by the renderer


def _inline(text: str):
    """Bank texts are plain words with `code` in backticks: Markdown only where there is code, so a
    bare __init__ is not taken for bold."""
    from markupsafe import Markup, escape

    if "`" not in text:
        return escape(text)
    return Markup(service("lessons").inline_markup(text))  # noqa: S704 - sanitised by the renderer


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(_markup, "markup")
    app.add_template_filter(_inline, "inline_markup")
    app.add_template_filter(section_anchor, "section_anchor")
    app.jinja_env.globals["concept_title"] = _concept_title
    add_nav_item(app, NavItem("Skills", "tutor.skills", "tutor"))

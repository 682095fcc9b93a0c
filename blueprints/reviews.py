"""The review session page: today's due items one at a time (a quiz question with radio buttons, or
a code variant in the lesson editor's markup), plain form posts that work without JavaScript.

Thin: every decision is in services/reviews. What was shown travels back in a signed token (card,
item, card version, when it was shown), so an answer can only be for the item served: a tampered
token is a 400, another learner's card a 404, a second send of the same answer a 409.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import click
from flask import Blueprint, Flask, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask.cli import AppGroup, with_appcontext
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from blueprints.deps import require_login, service
from blueprints.nav import NavItem, add_nav_badge, add_nav_item
from services.errors import InvalidInput
from services.reviews.reminders import PREFERENCE, RemindResult, send_reminders, wants_reminders
from services.reviews.service import ReviewItem, ReviewService

bp = Blueprint("reviews", __name__)
require_login(bp, public={"reviews.unsubscribe"})  # reviews are the learner's own; the mailed link says who


def reviews() -> ReviewService:
    return service("reviews")


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="codelearn.review-item")


def item_token(item: ReviewItem) -> str:
    return _serializer().dumps([item.card.card_id, item.ref, item.card.version, round(time.time(), 1)])


def _shown() -> tuple[str, str, int, float]:
    try:
        card_id, ref, version, shown_at = _serializer().loads(request.form.get("token", ""))
        return str(card_id), str(ref), int(version), float(shown_at)
    except (BadSignature, ValueError, TypeError):
        abort(400, "This review form was changed or is not one of ours; open the review page again.")


@bp.get("/review")
def session():
    today = reviews().today(current_user.id)
    item = today.items[0] if today.items else None
    code = item.variant.starter if item and item.variant else ""
    return render_template("reviews/session.html", today=today, item=item, token=item_token(item) if item else "",
                           code=code)


@bp.post("/review")
def answer():
    card_id, ref, version, shown_at = _shown()
    seconds = max(0.0, time.time() - shown_at)
    helped = request.form.get("helped") == "1"
    if request.form.get("hint") == "1":  # the lesson's own first hint (authored: no AI text to gate)
        item = reviews().item(current_user.id, card_id, ref, version)
        return render_template("reviews/session.html", today=reviews().today(current_user.id), item=item,
                               token=request.form["token"], code=request.form.get("code", ""),
                               hint=item.lesson.hints[0] if item.lesson.hints else "", helped=True)
    try:
        if "code" in request.form:
            result = reviews().submit_variant(current_user.id, card_id, ref, version, request.form["code"],
                                              verified=current_user.verified, seconds=seconds,
                                              helped=helped)
        else:
            result = reviews().answer_quiz(current_user.id, card_id, ref, version, request.form.get("choice", ""),
                                           seconds=seconds, helped=helped)
    except InvalidInput as exc:
        item = reviews().item(current_user.id, card_id, ref)
        today = reviews().today(current_user.id)
        return render_template("reviews/session.html", today=today, item=item, token=request.form["token"],
                               code=request.form.get("code", ""), error=str(exc)), 422
    return render_template("reviews/result.html", result=result, code=request.form.get("code", ""))


def due_count() -> int:
    """The navigation's count: read at most once per request, only for a learner."""
    if not current_user.is_authenticated:
        return 0
    if "review_due" not in g:
        g.review_due = reviews().due_count(current_user.id)
    return g.review_due


# --- reminders ------------------------------------------------------------------------------------
def _unsubscribe_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="codelearn.review-unsubscribe")


def unsubscribe_url(user_id: str) -> str:
    return url_for("reviews.unsubscribe", token=_unsubscribe_serializer().dumps(user_id), _external=True)


@bp.post("/review/reminders")
def reminders():
    """The account page's opt-in (a plain checkbox form)."""
    wanted = request.form.get("reminders") == "on"
    preferences = {**current_user.user.preferences, PREFERENCE: wanted}
    service("store").update_user(current_user.id, preferences=preferences)
    flash("Daily review reminders are on." if wanted else "Daily review reminders are off.", "success")
    return redirect(url_for("auth.sessions"))


@bp.get("/review/unsubscribe/<token>")
def unsubscribe(token: str):
    """The mailed one-click link: no login needed, the signed token names the learner."""
    try:
        user_id = str(_unsubscribe_serializer().loads(token))
    except BadSignature:
        abort(404)
    user = service("store").get_user(user_id)
    if user is None:
        abort(404)
    if wants_reminders(user.preferences):
        service("store").update_user(user_id, preferences={**user.preferences, PREFERENCE: False})
    return render_template("reviews/unsubscribed.html")


def remind_all(app: Flask, base_url: str, out_of_time: Callable[[], bool] | None = None) -> RemindResult:
    """Today's reminders, with links under `base_url` (the CLI command and the Lambda job)."""
    with app.test_request_context(base_url=base_url):
        service_ = app.extensions["codelearn.reviews"]
        return send_reminders(app.extensions["codelearn.store"], app.extensions["codelearn.mailer"], service_.now(),
                              due_count=service_.due_count, review_url=url_for("reviews.session", _external=True),
                              unsubscribe_url=unsubscribe_url, out_of_time=out_of_time)


@click.command("remind")
@click.option("--base-url", default="http://localhost:5000", show_default=True,
              help="Where the site is served (links in the email).")
@with_appcontext
def remind(base_url: str) -> None:
    """Mail today's review reminder to every opted-in learner with reviews due (idempotent per day)."""
    result = remind_all(current_app._get_current_object(), base_url)
    click.echo(f"{result.sent} reminders sent ({result.due_learners} learners with reviews due, "
               f"{result.pages} page{'s' if result.pages != 1 else ''}).")


reviews_cli = AppGroup("reviews", help="Spaced review.")
reviews_cli.add_command(remind)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Review", "reviews.session", "reviews"))
    add_nav_badge(app, "reviews.session", due_count)
    app.cli.add_command(reviews_cli)
    app.context_processor(lambda: {"review_due_count": due_count})

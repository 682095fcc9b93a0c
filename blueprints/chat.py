"""The tutor chat's pages: the conversation list, a conversation, and the forms that change them.

Thin: every decision is in services/chat. Plain forms with redirect-after-post, so everything works
without JavaScript; with it, the ask button says the tutor is thinking (static/js/busy.js).
"""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.deps import require_login, service_or_404
from blueprints.nav import NavItem, add_nav_item
from services.chat.service import ChatService
from services.errors import InvalidInput

bp = Blueprint("chat", __name__, url_prefix="/chat")
require_login(bp)  # conversations are the learner's own


def chat() -> ChatService:
    return service_or_404("chat")


@bp.get("/")
def conversations():
    page = chat().list(current_user.id, request.args.get("after") or None)
    return render_template("chat/list.html", page=page, errors={}, question="")


@bp.post("/")
def start():
    lesson_id = request.form.get("lesson_id", "").strip()
    question = request.form.get("message", "")
    try:
        conversation = chat().start(current_user.id, lesson_id=lesson_id, question=question)
    except InvalidInput as exc:
        page = chat().list(current_user.id)
        return render_template("chat/list.html", page=page, errors=exc.field_errors, error=str(exc),
                               question=question), 422
    return redirect(url_for(".conversation", conversation_id=conversation.id, _anchor="latest"))


@bp.get("/<conversation_id>")
def conversation(conversation_id: str):
    view = chat().open(current_user.id, conversation_id, request.args.get("before") or None)
    return _page(view)


@bp.post("/<conversation_id>/messages")
def ask(conversation_id: str):
    text = request.form.get("message", "")
    try:
        chat().ask(current_user.id, conversation_id, text)
    except InvalidInput as exc:
        view = chat().open(current_user.id, conversation_id)
        return _page(view, errors=exc.field_errors, error=str(exc), message=text), 422
    return redirect(url_for(".conversation", conversation_id=conversation_id, _anchor="latest"))


@bp.post("/<conversation_id>/rename")
def rename(conversation_id: str):
    try:
        chat().rename(current_user.id, conversation_id, request.form.get("title", ""))
    except InvalidInput as exc:
        view = chat().open(current_user.id, conversation_id)
        return _page(view, errors=exc.field_errors, error=str(exc)), 422
    return redirect(url_for(".conversation", conversation_id=conversation_id))


@bp.post("/<conversation_id>/delete")
def delete(conversation_id: str):
    chat().delete(current_user.id, conversation_id)
    return redirect(url_for(".conversations"))


def _page(view, *, errors: dict | None = None, error: str = "", message: str = ""):
    context = chat().lesson_context(current_user.id, view.conversation)
    return render_template("chat/conversation.html", view=view, context=context, errors=errors or {}, error=error,
                           message=message)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    add_nav_item(app, NavItem("Tutor", "chat.conversations", "chat"))

"""Sign up, email verification, log in / out, password reset and change, session list."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm

from blueprints.deps import accounts
from blueprints.errors import error_response
from blueprints.forms import (
    ChangePasswordForm,
    ConfirmForm,
    EmailForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from blueprints.hardening import client_address
from blueprints.login import start_session
from services.accounts import LINK_OK, LINK_UNKNOWN, RESET_PASSWORD, VERIFY_EMAIL, InvalidCredentials, normalise_email
from services.devices import describe_device
from services.errors import InvalidInput
from services.login_throttle import LoginThrottled

bp = Blueprint("auth", __name__)
bp.add_app_template_filter(describe_device, "device")


def _link(endpoint: str):
    return lambda token: url_for(endpoint, token=token, _external=True)


def _apply_errors(form: FlaskForm, exc: InvalidInput) -> None:
    """Show a service's verdict next to the field it is about (or at the top)."""
    placed = False
    for name, message in exc.field_errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
            placed = True
    if not placed:
        flash(str(exc), "error")


def _safe_next(target: str | None) -> str:
    """Only same-site paths: `next` must never send a learner to another origin."""
    if not target:
        return url_for("main.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("main.dashboard")
    return target


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            accounts().register(form.email.data, form.password.data, form.display_name.data,
                                _link("auth.verify_email"), ip=client_address(),
                                login_url=url_for("auth.login", _external=True),
                                forgot_url=url_for("auth.forgot_password", _external=True))
        except InvalidInput as exc:
            _apply_errors(form, exc)
        else:
            # The same page whether the address was new or had an account (its owner got a mail).
            return render_template("auth/check_email.html", email=normalise_email(form.email.data))
    return render_template("auth/register.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    # A GET only shows a button: mail scanners that prefetch links must not spend the token.
    # It does look at the token, so a dead link says so at once.
    form = ConfirmForm()
    if request.method == "GET":
        state = accounts().link_state(token, VERIFY_EMAIL)
        if state != LINK_OK:
            return render_template("auth/verify.html", form=form, failed=True, state=state), _dead_link_status(state)
    if form.validate_on_submit():
        try:
            accounts().verify_email(token)
        except InvalidInput as exc:
            flash(str(exc), "error")
            return render_template("auth/verify.html", form=form, failed=True, state=None), 400
        flash("Your email address is confirmed. Welcome aboard!", "success")
        return redirect(url_for("main.dashboard") if current_user.is_authenticated else url_for("auth.login"))
    return render_template("auth/verify.html", form=form, failed=False)


def _dead_link_status(state: str) -> int:
    return 404 if state == LINK_UNKNOWN else 410  # used or expired: it existed, and is gone


@bp.post("/verify/resend")
@login_required
def resend_verification():
    if ConfirmForm().validate_on_submit() and not current_user.verified:
        accounts().send_verification(current_user.user, _link("auth.verify_email"))
        flash(f"We sent a new confirmation link to {current_user.email}.", "success")
    return redirect(url_for("main.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user, server_session, first_login = accounts().login(
                form.email.data, form.password.data, ip=client_address(),
                user_agent=request.headers.get("User-Agent", ""), remember=form.remember.data,
            )
        except LoginThrottled as exc:
            return error_response(429, str(exc), exc.retry_after,
                                  way_out=(url_for("auth.forgot_password"), "Reset your password"))
        except InvalidCredentials as exc:
            flash(str(exc), "error")
            return render_template("auth/login.html", form=form), 401
        start_session(user, server_session)
        greeting = "Welcome" if first_login else "Welcome back"
        flash(f"{greeting}{', ' + user.display_name if user.display_name else ''}!", "success")
        return redirect(_safe_next(request.args.get("next")))
    if request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    if ConfirmForm().validate_on_submit() and current_user.is_authenticated:
        accounts().logout(current_user.get_id())
        logout_user()
        flash("You are logged out. See you soon!", "info")
    return redirect(url_for("main.index"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    if ConfirmForm().validate_on_submit():
        count = accounts().logout_everywhere(current_user.id)
        logout_user()
        flash(f"You are logged out on {count} devices." if count > 1 else "You are logged out on this device.",
              "info")
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.sessions"))


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        accounts().request_password_reset(form.email.data, _link("auth.reset_password"))
        # The same answer whether or not the account exists: no account enumeration.
        return render_template("auth/check_email.html", email=form.email.data, reset=True)
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    if request.method == "GET":
        state = accounts().link_state(token, RESET_PASSWORD)
        if state != LINK_OK:
            return render_template("auth/reset_dead.html", state=state), _dead_link_status(state)
    if form.validate_on_submit():
        try:
            accounts().reset_password(token, form.password.data, ip=client_address())
        except InvalidInput as exc:
            _apply_errors(form, exc)
        else:
            logout_user()
            flash("Your password is changed and every device was logged out. Log in with the new one.",
                  "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 200 if request.method == "GET" else 400


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            others = accounts().change_password(current_user.id, form.current_password.data,
                                                form.new_password.data, current_user.get_id())
        except InvalidInput as exc:
            _apply_errors(form, exc)
        else:
            flash("Password changed." + (f" {others} other session{'s' if others != 1 else ''} logged out."
                                         if others else ""), "success")
            return redirect(url_for("auth.sessions"))
    return render_template("auth/change_password.html", form=form), 200 if request.method == "GET" else 400


@bp.get("/account/sessions")
@login_required
def sessions():
    return render_template("auth/sessions.html", sessions=accounts().list_sessions(current_user.id),
                           current_id=current_user.get_id(), form=ConfirmForm())


@bp.post("/account/sessions/<session_id>/revoke")
@login_required
def revoke_session(session_id: str):
    if ConfirmForm().validate_on_submit():
        accounts().revoke_session(current_user.id, session_id)  # NotFoundError -> 404 for others' ids
        if session_id == current_user.get_id():
            logout_user()
            return redirect(url_for("auth.login"))
        flash("That session is logged out.", "info")
    return redirect(url_for("auth.sessions"))

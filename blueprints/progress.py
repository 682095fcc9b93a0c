"""Profile, data export and account deletion (the progress dashboard itself is main.dashboard)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from blueprints.deps import service
from services.accounts import LINK_OK, LINK_UNKNOWN, MAX_NAME_LENGTH
from services.errors import InvalidInput, NotFoundError
from services.identities import has_password
from services.progress.calendar import zone_names
from services.progress.data_rights import CONFIRMATION, pseudonym

bp = Blueprint("progress", __name__)
log = logging.getLogger(__name__)


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", [Length(max=MAX_NAME_LENGTH)])
    time_zone = StringField("Time zone", [DataRequired("Choose your time zone."), Length(max=64)],
                            description="Streaks and the activity calendar count days in this zone, e.g. Europe/Rome.")


class EmailChangeForm(FlaskForm):
    new_email = EmailField("New email address", [DataRequired("Enter the new address."), Length(max=320)])
    password = PasswordField("Your password", [DataRequired("Enter your password.")])


class DeleteByLinkForm(FlaskForm):
    """Deleting an account without a password: the typed word, then a mailed link."""

    confirmation = StringField(f"Type {CONFIRMATION} to confirm", [DataRequired("Type the word to confirm.")])


class DeleteAccountForm(FlaskForm):
    confirmation = StringField(f"Type {CONFIRMATION} to confirm", [DataRequired("Type the word to confirm.")])
    password = PasswordField("Your password", [DataRequired("Enter your password.")])


def _apply_errors(form: FlaskForm, exc: InvalidInput) -> None:
    for name, message in (exc.field_errors or {}).items():
        if name in form:
            shown = str(exc) if message in ("unknown time zone", "too long") else message
            form[name].errors = [*form[name].errors, shown]


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(data={"display_name": current_user.display_name,
                             "time_zone": current_user.preferences.get("time_zone", "UTC")})
    if form.validate_on_submit():
        try:
            service("profile").update(current_user.id, form.display_name.data or "", form.time_zone.data or "")
        except InvalidInput as exc:
            _apply_errors(form, exc)
        else:
            flash("Your profile is saved.", "success")
            return redirect(url_for("progress.profile"))
    status = 400 if form.errors else 200
    return render_template("progress/profile.html", form=form, zones=zone_names(),
                           email_form=EmailChangeForm(formdata=None)), status


@bp.post("/account/email")
@login_required
def change_email():
    email_form = EmailChangeForm()
    if email_form.validate_on_submit():
        try:
            address = service("email_change").request(
                current_user.id, email_form.new_email.data or "", email_form.password.data or "",
                lambda token: url_for("progress.confirm_email", token=token, _external=True))
        except InvalidInput as exc:
            for name, message in (exc.field_errors or {"new_email": str(exc)}).items():
                email_form[name].errors = [*email_form[name].errors, message]
        else:
            flash(f"We sent a link to {address}. Your email changes when you open it; until then, "
                  f"log in with {current_user.email}.", "info")
            return redirect(url_for("progress.profile"))
    form = ProfileForm(data={"display_name": current_user.display_name,
                             "time_zone": current_user.preferences.get("time_zone", "UTC")})
    return render_template("progress/profile.html", form=form, zones=zone_names(), email_form=email_form), 400


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    # A GET only shows a button: mail scanners that prefetch links must not spend the token.
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            user = service("email_change").confirm(token)
        except InvalidInput as exc:
            flash(str(exc), "error")
            return render_template("progress/confirm_email.html", form=form, failed=True), 400
        flash(f"Your email address is now {user.email}.", "success")
        return redirect(url_for("progress.profile") if current_user.is_authenticated else url_for("auth.login"))
    return render_template("progress/confirm_email.html", form=form, failed=False)


@bp.get("/account/report.pdf")
@login_required
def report():
    from flask import current_app

    from services.progress.report import learner_report  # fpdf2 loads only for a report

    pdf = learner_report(current_user.user, service("store"), service("dashboard"), service("tutor"),
                         current_app.config.get("REPORT_FONT"), datetime.now(UTC))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="codelearn-progress-report.pdf"',
                             "Cache-Control": "no-store"})


@bp.get("/account/export.json")
@login_required
def export():
    return Response(service("data_rights").export_text(current_user.id), mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="codelearn-my-data.json"',
                             "Cache-Control": "no-store"})


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    if not has_password(current_user.user):
        return _delete_by_link()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            service("data_rights").delete_account(current_user.id, form.password.data or "",
                                                  form.confirmation.data or "")
        except InvalidInput as exc:
            for name, message in (exc.field_errors or {}).items():
                form[name].errors = [*form[name].errors, message]
        except NotFoundError as exc:
            flash(str(exc), "error")
            logout_user()
            return redirect(url_for("main.index"))
        else:
            logout_user()
            flash("Your account and everything stored about you are deleted.", "info")
            return redirect(url_for("main.index"))
    return render_template("progress/delete.html", form=form), 400 if form.errors else 200


def _delete_by_link():
    form = DeleteByLinkForm()
    if form.validate_on_submit():
        try:
            service("deletion_link").send(current_user.id, current_user.email, form.confirmation.data or "",
                                          lambda token: url_for("progress.confirm_deletion", token=token,
                                                                _external=True))
        except InvalidInput as exc:
            for name, message in (exc.field_errors or {}).items():
                form[name].errors = [*form[name].errors, message]
        else:
            return render_template("progress/delete.html", form=form, by_link=True, sent_to=current_user.email)
    return render_template("progress/delete.html", form=form, by_link=True), 400 if form.errors else 200


@bp.route("/account/delete/confirm/<token>", methods=["GET", "POST"])
def confirm_deletion(token: str):
    # A GET only asks: mail scanners that prefetch links must not delete accounts. It does check the
    # link, so a dead one says so at once.
    deletion = service("deletion_link")
    state = deletion.link_state(token)
    if state != LINK_OK:
        return render_template("progress/delete_dead.html", state=state), 404 if state == LINK_UNKNOWN else 410
    form = DeleteByLinkForm()
    if form.validate_on_submit():
        try:
            name = deletion.confirm(token, form.confirmation.data or "")
        except InvalidInput as exc:
            for field_name, message in (exc.field_errors or {}).items():
                form[field_name].errors = [*form[field_name].errors, message]
        except NotFoundError:
            return render_template("progress/delete_dead.html", state="used"), 410
        else:
            if current_user.is_authenticated and pseudonym(current_user.id) == name:
                logout_user()
            flash("Your account and everything stored about you are deleted.", "info")
            return redirect(url_for("main.index"))
    return render_template("progress/delete_confirm.html", form=form), 400 if form.errors else 200


def init_app(app) -> None:
    app.register_blueprint(bp)

"""Form definitions: presence and size checks only; the services own the real rules."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from services.accounts import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from services.passwords import MAX_LENGTH as MAX_PASSWORD

_email = [DataRequired("Enter your email address."), Length(max=MAX_EMAIL_LENGTH)]
_password = [DataRequired("Enter a password."),
             Length(max=MAX_PASSWORD, message=f"Use at most {MAX_PASSWORD} characters.")]


class RegisterForm(FlaskForm):
    display_name = StringField("Your name (optional)", [Length(max=MAX_NAME_LENGTH)])
    email = EmailField("Email", _email)
    password = PasswordField("Password", _password,
                             description="At least 10 characters. A short sentence works well.")


class LoginForm(FlaskForm):
    email = EmailField("Email", _email)
    password = PasswordField("Password", _password)
    remember = BooleanField("Keep me logged in on this device")


class EmailForm(FlaskForm):
    email = EmailField("Email", _email)


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", _password, description="At least 10 characters.")
    confirm = PasswordField("Repeat the new password",
                            [DataRequired("Repeat the password."), EqualTo("password", "The passwords differ.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", _password)
    new_password = PasswordField("New password", _password, description="At least 10 characters.")
    confirm = PasswordField("Repeat the new password",
                            [DataRequired("Repeat the password."), EqualTo("new_password", "The passwords differ.")])


class ConfirmForm(FlaskForm):
    """A bare form: a button that carries the CSRF token."""

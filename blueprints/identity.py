"""Sign in with an identity provider (OpenID Connect through Authlib's Flask client), linking, and the
account page's sign-in methods.

Authlib keeps each attempt's state, nonce and PKCE code verifier in the signed session cookie and checks
them on the way back; the ID token's signature is checked against the provider's JWKS, and its issuer,
audience, expiry and nonce by Authlib's claims rules. Authlib (and the `cryptography` it brings) is
imported on the first provider route only: pages that never use a provider do not pay for it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from blueprints.deps import service
from blueprints.errors import error_response
from blueprints.forms import ConfirmForm
from blueprints.hardening import client_address
from blueprints.login import PENDING_IDENTITY, start_session
from services.errors import InvalidInput, NotFoundError
from services.identities import (
    IdentityRefused,
    IdentityService,
    LinkRequired,
    Provider,
    VerifiedIdentity,
)
from services.passwords import MAX_LENGTH as MAX_PASSWORD

bp = Blueprint("identity", __name__)
log = logging.getLogger(__name__)
PENDING_SECONDS = 600  # how long "log in to link" waits for the learner
_registry_lock = threading.Lock()


class SetPasswordForm(FlaskForm):
    password = PasswordField("New password", [DataRequired("Enter a password."), Length(max=MAX_PASSWORD)],
                             description="At least 10 characters.")
    confirm = PasswordField("Repeat the new password",
                            [DataRequired("Repeat the password."), EqualTo("password", "The passwords differ.")])


class UnlinkForm(FlaskForm):
    provider = HiddenField(validators=[DataRequired()])
    subject = HiddenField(validators=[DataRequired()])


def identities() -> IdentityService:
    return service("identities")


def providers() -> dict[str, Provider]:
    return current_app.extensions["codelearn.oidc_providers"]


def _provider(name: str) -> Provider:
    found = providers().get(name)
    if found is None:
        raise NotFoundError("That sign-in provider is not set up here.")
    return found


def _oauth_client(provider: Provider) -> Any:
    """The provider's Authlib client, registered on first use (one registry per app)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _registry_lock:
        registry = app.extensions.get("codelearn.oauth_registry")
        if registry is None:
            from authlib.integrations.flask_client import OAuth  # lazily: ~4.5 MB of crypto, off the cold start

            registry = OAuth(app)
            app.extensions["codelearn.oauth_registry"] = registry
        client = registry.create_client(provider.name)
        if client is None:
            client = registry.register(
                provider.name, client_id=provider.client_id, client_secret=provider.client_secret,
                server_metadata_url=provider.metadata_url,
                client_kwargs={"scope": provider.scope, "code_challenge_method": "S256", "default_timeout": 5},
            )
    metadata = client.load_server_metadata()
    if str(metadata.get("issuer", "")).rstrip("/") != provider.issuer.rstrip("/"):
        # OpenID Connect Discovery: the document must name the issuer it was fetched for.
        raise IdentityRefused("The provider's settings do not match its issuer.")
    return client


@bp.post("/login/with/<provider_name>")
def start(provider_name: str):
    provider = _provider(provider_name)
    if not ConfirmForm().validate_on_submit():
        return error_response(400, "This form expired. Go back, reload the page and try again.")
    try:
        client = _oauth_client(provider)
        redirect_uri = url_for("identity.callback", provider_name=provider.name, _external=True)
        found = client.create_authorization_url(redirect_uri, **provider.authorize_params)
        client.save_authorize_data(redirect_uri=redirect_uri, **found)  # state, nonce, PKCE verifier
    except Exception as exc:  # the provider's discovery document could not be read
        return _refused(exc, provider)
    # Not a redirect: the CSP's form-action 'self' (rightly) blocks a form post that redirects to
    # another origin, so this same-origin page moves on to the provider itself.
    response = current_app.make_response(render_template("identity/leaving.html", url=found["url"],
                                                         provider=provider))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/login/with/<provider_name>/callback")
def callback(provider_name: str):
    provider = _provider(provider_name)
    try:
        # Authlib checks the audience only when told to (otherwise just `azp`): an ID token made for
        # another client must not log anyone in here.
        token = _oauth_client(provider).authorize_access_token(claims_options={
            "iss": {"essential": True, "values": provider.accepted_issuers},
            "aud": {"essential": True, "value": provider.client_id}})
        claims = token.get("userinfo")
        if not claims or not claims.get("sub"):
            raise IdentityRefused("The provider sent no ID token.")
        identity = VerifiedIdentity.from_claims(provider.name, claims)
    except Exception as exc:
        return _refused(exc, provider)
    if current_user.is_authenticated:
        return _link_to_current(identity, provider)
    try:
        logged_in, created = identities().sign_in(
            identity, ip=client_address(), user_agent=request.headers.get("User-Agent", ""),
            verify_link=lambda token: url_for("auth.verify_email", token=token, _external=True))
    except LinkRequired:
        session[PENDING_IDENTITY] = {**identity.to_dict(), "exp": time.time() + PENDING_SECONDS}
        return redirect(url_for("identity.link_pending"))
    except IdentityRefused as exc:
        return _page(403, str(exc), provider)
    start_session(logged_in.user, logged_in.session)
    if created:
        flash(f"Welcome to CodeLearn! Your account was made with {provider.label}." +
              ("" if logged_in.user.verified else " Confirm your email address with the link we sent."), "success")
    else:
        flash(f"Welcome back{', ' + logged_in.user.display_name if logged_in.user.display_name else ''}!",
              "success")
    return redirect(url_for("main.dashboard"))


def _link_to_current(identity: VerifiedIdentity, provider: Provider):
    try:
        identities().link(current_user.id, identity)
    except InvalidInput as exc:
        return _page(409, str(exc), provider)
    flash(f"You can now log in with {provider.label} ({identity.email or 'no email shared'}).", "success")
    return redirect(url_for("auth.sessions"))


def _refused(exc: Exception, provider: Provider):
    """A clear page for each way a provider's answer is refused; the log gets the kind, never a secret."""
    from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
    from joserfc.errors import BadSignatureError, ClaimError, ExpiredTokenError, JoseError
    from requests import RequestException

    if isinstance(exc, MismatchingStateError):
        message = ("This sign-in answer does not belong to a sign-in started in this browser (or it was "
                   "used already). Start again from the log-in page.")
    elif isinstance(exc, OAuthError) and exc.error == "invalid_grant":
        message = f"{provider.label} refused the sign-in code: it was already used or has expired. Start again."
    elif isinstance(exc, OAuthError) and exc.error == "access_denied":
        message = f"The sign-in was cancelled at {provider.label}. Nothing was changed."
    elif isinstance(exc, OAuthError):
        message = f"{provider.label} did not complete the sign-in ({exc.error}). Start again."
    elif isinstance(exc, BadSignatureError):
        message = f"The sign-in could not be verified: the answer was not signed by {provider.label}."
    elif isinstance(exc, ClaimError) and getattr(exc, "claim", "") == "nonce":
        message = "The sign-in answer was made for another sign-in attempt (its nonce differs). Start again."
    elif isinstance(exc, ExpiredTokenError):
        message = "The sign-in answer has expired. Start again."
    elif isinstance(exc, JoseError):
        message = f"The sign-in could not be verified ({exc.error}). Start again."
    elif isinstance(exc, IdentityRefused):
        message = str(exc)
    elif isinstance(exc, RequestException):
        log.warning("identity provider unreachable", extra={"provider": provider.name, "kind": type(exc).__name__})
        return _page(502, f"{provider.label} is not answering right now. Try again in a minute, or log in "
                          "with your password.", provider)
    else:
        raise exc
    log.info("identity sign-in refused", extra={"provider": provider.name, "kind": type(exc).__name__})
    return _page(400, message, provider)


def _page(status: int, message: str, provider: Provider):
    return render_template("identity/refused.html", message=message, provider=provider), status


def _pending() -> VerifiedIdentity | None:
    found = session.get(PENDING_IDENTITY)
    if not found or found.get("exp", 0) < time.time():
        session.pop(PENDING_IDENTITY, None)
        return None
    return VerifiedIdentity(found["provider"], found["subject"], found["email"], bool(found["email_verified"]),
                            found.get("name", ""))


@bp.route("/login/link", methods=["GET", "POST"])
def link_pending():
    identity = _pending()
    if identity is None or identity.provider not in providers():
        flash("That sign-in waited too long to be linked. Start again.", "info")
        return redirect(url_for("auth.login"))
    provider = providers()[identity.provider]
    form = ConfirmForm()
    if current_user.is_authenticated and form.validate_on_submit():
        session.pop(PENDING_IDENTITY, None)
        if request.form.get("decision") != "link":
            flash(f"Your {provider.label} sign-in was not linked.", "info")
            return redirect(url_for("auth.sessions"))
        return _link_to_current(identity, provider)
    return render_template("identity/link.html", identity=identity, provider=provider, form=form,
                           login_url=url_for("auth.login", next=url_for("identity.link_pending")))


@bp.post("/account/sign-in/unlink")
@login_required
def unlink():
    form = UnlinkForm()
    if form.validate_on_submit():
        try:
            identities().unlink(current_user.id, form.provider.data, form.subject.data)
        except InvalidInput as exc:
            flash(str(exc), "error")
        else:
            label = providers().get(form.provider.data)
            flash(f"{label.label if label else form.provider.data} sign-in unlinked.", "info")
    return redirect(url_for("auth.sessions") + "#sign-in-methods")


@bp.post("/account/sign-in/password")
@login_required
def set_password():
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            identities().set_password(current_user.id, form.password.data or "")
        except InvalidInput as exc:
            form.password.errors = [*form.password.errors, str(exc)]
        else:
            flash("Your password is set: you can log in with your email and it too.", "success")
            return redirect(url_for("auth.sessions") + "#sign-in-methods")
    return render_template("identity/set_password.html", form=form), 400


def _sign_in_methods() -> dict[str, Any]:
    methods = identities().methods(current_user.id)
    return {"methods": methods, "providers": providers(), "unlink_form": UnlinkForm(formdata=None),
            "password_form": SetPasswordForm(formdata=None)}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def sign_in_providers() -> dict[str, Any]:
        # Names and labels only: nothing secret reaches a template.
        return {"sign_in_providers": [(p.name, p.label) for p in app.extensions["codelearn.oidc_providers"].values()],
                "sign_in_methods": _sign_in_methods}


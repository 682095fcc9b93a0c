"""Accounts for API clients: sign up, confirm the address, log in for a token pair, refresh, log
out, forgotten password. Same services, throttles and mails as the pages (services/accounts.py);
the links in the mails open the site's pages, which work on a phone too."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from blueprints.api.framework import client_user_agent, current_session, endpoint, learner, page_url
from blueprints.api.schemas import ACCEPTED, BOOLEAN, DONE, TOKENS, USER, obj, text
from blueprints.deps import accounts, service
from blueprints.hardening import client_address
from services import passwords
from services.accounts import MAX_EMAIL_LENGTH, MAX_NAME_LENGTH
from services.api_tokens import TokenPair

EMAIL = text(MAX_EMAIL_LENGTH)
PASSWORD = text(passwords.MAX_LENGTH)
TOKEN = text(128)
CHECK_EMAIL = "If the address can be used, a message is on its way to it: open its link to go on."


def _link(endpoint_name: str):
    return lambda token: page_url(endpoint_name, token=token)


def user_json(user) -> dict[str, Any]:
    return {"id": user.id, "email": user.email, "display_name": user.display_name, "role": user.role,
            "verified": user.verified, "time_zone": user.preferences.get("time_zone"),
            "created_at": user.created_at.isoformat() if user.created_at else None,
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None}


def tokens_json(pair: TokenPair) -> dict[str, Any]:
    left = int((pair.access_expires_at - datetime.now(UTC)).total_seconds())
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token, "token_type": "Bearer",
            "expires_in": max(0, left), "expires_at": pair.access_expires_at.isoformat(), "user": user_json(pair.user)}


@endpoint("auth", "/auth/register", "POST", auth=False, status=202, summary="Sign up",
          request=obj({"email": EMAIL, "password": PASSWORD, "display_name": text(MAX_NAME_LENGTH)},
                      required=("email", "password")),
          response=ACCEPTED, errors=(429,),
          example={"email": "ada@example.com", "password": "correct horse battery", "display_name": "Ada"})
def register(body: dict[str, Any]):
    """The same answer whether or not the address already has an account (its owner is mailed
    instead): sign-up never tells who has an account. A confirmation link is mailed."""
    accounts().register(body["email"], body["password"], body.get("display_name", ""),
                        _link("auth.verify_email"), ip=client_address(),
                        login_url=page_url("auth.login"),
                        forgot_url=page_url("auth.forgot_password"))
    return {"status": "accepted", "message": CHECK_EMAIL}


@endpoint("auth", "/auth/verify", "POST", auth=False, summary="Confirm the email address",
          request=obj({"token": TOKEN}), response=DONE, example={"token": "the-token-from-the-mailed-link"})
def verify(body: dict[str, Any]):
    """The token is the last part of the mailed link (single use, expires)."""
    accounts().verify_email(body["token"])
    return {"status": "done", "message": "Your email address is confirmed."}


@endpoint("auth", "/auth/verify/resend", "POST", summary="Mail a new confirmation link", response=ACCEPTED)
def resend_verification():
    if not learner().verified:
        accounts().send_verification(learner(), _link("auth.verify_email"))
    return {"status": "accepted", "message": CHECK_EMAIL}


@endpoint("auth", "/auth/login", "POST", auth=False, summary="Log in for an access and a refresh token",
          request=obj({"email": EMAIL, "password": PASSWORD, "remember": BOOLEAN}, required=("email", "password")),
          response=TOKENS, errors=(401, 429),
          example={"email": "ada@example.com", "password": "correct horse battery", "remember": True})
def login(body: dict[str, Any]):
    """A new server-side session, listed with the learner's others (GET /account/sessions).
    `remember` (default true): the session lives REMEMBER_DAYS instead of SESSION_HOURS since last use.
    Failed logins are throttled as on the site: 429 with Retry-After."""
    pair = service("api_tokens").login(body["email"], body["password"], ip=client_address(),
                                       user_agent=client_user_agent(), remember=body.get("remember", True))
    return tokens_json(pair)


@endpoint("auth", "/auth/refresh", "POST", auth=False, summary="Exchange a refresh token for a new pair",
          request=obj({"refresh_token": text(512)}), response=TOKENS, errors=(401,),
          example={"refresh_token": "the-refresh-token-from-login"})
def refresh(body: dict[str, Any]):
    """The refresh token rotates: each is good once. The same one sent again within a few seconds
    (a retry after a lost answer) gets the same new pair; later, it is taken as stolen and every
    token of this login is revoked (401 refresh_token_reused)."""
    return tokens_json(service("api_tokens").refresh(body["refresh_token"]))


@endpoint("auth", "/auth/logout", "POST", summary="Log out this client", response=None)
def logout():
    """Ends this login session: its access and refresh tokens stop working at once."""
    service("api_tokens").logout(current_session())


@endpoint("auth", "/auth/forgot", "POST", auth=False, status=202, summary="Mail a password reset link",
          request=obj({"email": EMAIL}), response=ACCEPTED, example={"email": "ada@example.com"})
def forgot(body: dict[str, Any]):
    """The same answer whether or not the account exists."""
    accounts().request_password_reset(body["email"], _link("auth.reset_password"))
    return {"status": "accepted", "message": CHECK_EMAIL}


@endpoint("auth", "/auth/reset", "POST", auth=False, summary="Set a new password with a mailed reset token",
          request=obj({"token": TOKEN, "password": PASSWORD}), response=DONE,
          example={"token": "the-token-from-the-mailed-link", "password": "a new long passphrase"})
def reset(body: dict[str, Any]):
    """Every session of the account ends (every client logs in again) and its login throttle lifts."""
    accounts().reset_password(body["token"], body["password"], ip=client_address())
    return {"status": "done", "message": "Your password is changed. Log in with the new one."}


__all__ = ["USER", "tokens_json", "user_json"]

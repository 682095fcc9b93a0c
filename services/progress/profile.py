"""The learner's profile: display name and time zone (streaks and the heat map count days in it).
Changing the zone rewrites nothing: activity is kept by UTC hour and folded into days when read."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from dal.base import EmailTaken, OneTimeToken, Store, User
from services import passwords
from services.accounts import MAX_NAME_LENGTH, normalise_email
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError
from services.mail import Message
from services.progress.calendar import check_time_zone


class ProfileService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def update(self, user_id: str, display_name: str, time_zone: str) -> User:
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        name = " ".join(display_name.split())
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(f"Use at most {MAX_NAME_LENGTH} characters for your name.",
                               {"display_name": "too long"})
        zone = check_time_zone(time_zone)
        return self._store.update_user(user_id, display_name=name,
                                       preferences={**user.preferences, "time_zone": zone})


CHANGE_EMAIL = "change_email"
CHANGE_EMAIL_HOURS = 24


class EmailChange:
    """A new email address, confirmed from that address before it replaces the old one: until the
    link is opened, the old address keeps logging in and getting mail."""

    def __init__(self, store: Store, mailer: Any, clock: Clock = utcnow) -> None:
        self._store = store
        self._mailer = mailer
        self._clock = clock

    def request(self, user_id: str, new_email: str, password: str, confirm_link: Callable[[str], str]) -> str:
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        try:
            address = normalise_email(new_email)
        except InvalidInput as exc:
            raise InvalidInput(str(exc), {"new_email": str(exc)}) from None
        if not passwords.verify_password(password[: passwords.MAX_LENGTH], user.password_hash):
            raise InvalidInput("That is not your password.", {"password": "That is not your password."})
        if address == user.email:
            raise InvalidInput("That is already your email address.", {"new_email": "That is already your address."})
        if self._store.get_user_by_email(address) is not None:  # said to the account's owner only
            raise InvalidInput("Another account uses that address.", {"new_email": "Another account uses it."})
        token = secrets.token_urlsafe(32)
        now = self._clock()
        self._store.create_token(OneTimeToken(hashlib.sha256(token.encode()).hexdigest(), CHANGE_EMAIL, user.id, now,
                                              now + timedelta(hours=CHANGE_EMAIL_HOURS)))
        self._store.update_user(user.id, preferences={**user.preferences, "pending_email": address})
        self._mailer.send(Message(
            to=address, subject="Confirm your new CodeLearn email address",
            text=(f"Open this link to make {address} the email address of your CodeLearn account:\n"
                  f"{confirm_link(token)}\n\nThe link works for {CHANGE_EMAIL_HOURS} hours. Until then you "
                  f"log in with {user.email}. If you did not ask for this, ignore this message."),
        ))
        return address

    def confirm(self, token: str) -> User:
        used = self._store.consume_token(hashlib.sha256(token.encode()).hexdigest(), CHANGE_EMAIL, self._clock())
        user = self._store.get_user(used.user_id) if used else None
        pending = user.preferences.get("pending_email") if user else None
        if user is None or not pending:
            raise InvalidInput("This link is invalid, already used or expired. Your email address is unchanged.")
        try:
            moved = self._store.change_email(user.id, user.email, pending)
        except EmailTaken:
            raise InvalidInput("Another account took that address meanwhile; "
                               "your email address is unchanged.") from None
        if not moved:
            raise InvalidInput("Your email address changed meanwhile; ask for a new link.")
        preferences = {k: v for k, v in user.preferences.items() if k != "pending_email"}
        return self._store.update_user(user.id, preferences=preferences, verified=True)

"""Accounts: registration, email verification, login sessions, password reset and change.

Sessions live on the server (revocable); only their random id travels in the signed cookie.
Tokens mailed to users are stored as SHA-256 hashes, so a leaked table does not leak live links.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from dal.base import EmailTaken, OneTimeToken, Session, Store, User
from services import passwords
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError, RateLimited, ServiceError
from services.login_throttle import LoginThrottle, ThrottleLimits
from services.mail import Mailer, Message
from services.ratelimit import RateLimiter

log = logging.getLogger(__name__)

VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"  # noqa: S105 - a token purpose, not a password
MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 80
SESSION_TOUCH_SECONDS = 60  # write last_seen at most this often, to spare the store
RESETS_PER_HOUR = 3
SIGN_UP_NOTICES_PER_HOUR = 3  # "someone tried to sign up with your address" mails per address

LinkBuilder = Callable[[str], str]

# What opening a mailed link finds (checked without spending it)
LINK_OK, LINK_USED, LINK_EXPIRED, LINK_UNKNOWN = "ok", "used", "expired", "unknown"


class LoggedIn(NamedTuple):
    user: User
    session: Session
    first_login: bool  # the account had never logged in before


class InvalidCredentials(ServiceError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("That email and password don't match an account.")


@dataclass(frozen=True)
class AccountSettings:
    session_hours: int = 12
    remember_days: int = 30
    verify_token_hours: int = 48
    reset_token_minutes: int = 30
    login_failures_per_pair: int = 5
    login_failures_per_account: int = 50
    login_failures_per_address: int = 20
    login_window_minutes: int = 15
    login_max_delay_seconds: int = 60
    signups_per_address_per_hour: int = 5
    bcrypt_rounds: int = 12


def normalise_email(raw: str) -> str:
    """Trimmed, syntax-checked, domain lower-cased (the local part is kept as typed)."""
    raw = (raw or "").strip()
    if not raw:
        raise InvalidInput("Enter your email address.", {"email": "Enter your email address."})
    if len(raw) > MAX_EMAIL_LENGTH:
        raise InvalidInput("That email address is too long.", {"email": "That email address is too long."})
    # Imported here, on the first address checked: its module compiles the RFC grammars' regular
    # expressions (~20 ms), which every Lambda cold start paid before serving a single page.
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(raw, check_deliverability=False)
    except EmailNotValidError as exc:
        message = f"That doesn't look like an email address: {exc}"
        raise InvalidInput(message, {"email": message}) from None
    return result.normalized.lower()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@functools.cache
def _dummy_hash() -> str:
    # Checked against when the email is unknown, so a miss costs as long as a wrong password.
    return passwords.hash_password(secrets.token_urlsafe(16), rounds=12)


class Accounts:
    def __init__(
        self, store: Store, mailer: Mailer, *, settings: AccountSettings | None = None, clock: Clock = utcnow
    ) -> None:
        self._store = store
        self._mailer = mailer
        self.settings = settings or AccountSettings()
        self._clock = clock
        self._limits = RateLimiter(store, clock)
        self._login_throttle = LoginThrottle(self._limits, self._throttle_limits)

    def _throttle_limits(self) -> ThrottleLimits:
        s = self.settings
        return ThrottleLimits(per_pair=s.login_failures_per_pair, per_address=s.login_failures_per_address,
                              per_account=s.login_failures_per_account, window_minutes=s.login_window_minutes,
                              max_delay_seconds=s.login_max_delay_seconds)

    def login_delay(self, failures: int) -> int:
        """Seconds between tries on an account with `failures` recent wrong passwords (0: none)."""
        return self._login_throttle.delay(failures)

    # --- registration and verification -----------------------------------------------------
    def register(
        self, email: str, password: str, display_name: str, verify_link: LinkBuilder, *,
        ip: str | None = None, login_url: str = "", forgot_url: str = "",
    ) -> User | None:
        """The new account, or None when the address already has one: its owner is mailed instead,
        and the caller answers exactly as for a new account (no account enumeration).
        `ip`: the sign-up's address, throttled per hour; `login_url`/`forgot_url` go in that mail."""
        email = normalise_email(email)
        display_name = (display_name or "").strip()
        if len(display_name) > MAX_NAME_LENGTH:
            raise InvalidInput("Name too long.", {"display_name": f"Use at most {MAX_NAME_LENGTH} characters."})
        problem = passwords.policy_problem(password, email)
        if problem:
            raise InvalidInput(problem, {"password": problem})
        if ip is not None:
            decision = self._limits.hit(f"signup:address:{ip}", self.settings.signups_per_address_per_hour, 3600)
            if not decision.allowed:
                raise RateLimited("Many accounts were created from your network in the last hour. "
                                  "Wait a little before signing up again.", decision.retry_after)
        user = User(
            id=uuid.uuid4().hex,
            email=email,
            password_hash=passwords.hash_password(password, self.settings.bcrypt_rounds),
            display_name=display_name,
            created_at=self._clock(),
        )
        try:
            self._store.create_user(user)
        except EmailTaken:
            self._tell_owner_of_sign_up(email, login_url, forgot_url)
            return None
        self.send_verification(user, verify_link)
        return user

    def _tell_owner_of_sign_up(self, email: str, login_url: str, forgot_url: str) -> None:
        if not self._limits.hit(f"signup-notice:{email}", SIGN_UP_NOTICES_PER_HOUR, 3600).allowed:
            return
        self._mailer.send(Message(
            to=email,
            subject="Someone tried to sign up to CodeLearn with your address",
            text=("Someone (perhaps you) tried to sign up to CodeLearn with this email address, "
                  "but it already has one, so nothing was changed.\n\n"
                  f"If it was you, log in here:\n{login_url}\n\n"
                  f"Forgotten your password? Choose a new one here:\n{forgot_url}\n\n"
                  "If it wasn't you, ignore this message: your account stays as it is."),
        ))

    def send_verification(self, user: User, verify_link: LinkBuilder) -> None:
        token = self.issue_token(user.id, VERIFY_EMAIL, timedelta(hours=self.settings.verify_token_hours))
        self._mailer.send(Message(
            to=user.email,
            subject="Confirm your CodeLearn email address",
            text=(f"Welcome to CodeLearn!\n\nConfirm your email address by opening this link:\n"
                  f"{verify_link(token)}\n\nThe link works for {self.settings.verify_token_hours} hours. "
                  "If you did not sign up, ignore this message."),
        ))

    def verify_email(self, token: str) -> User:
        used = self._store.consume_token(_token_hash(token), VERIFY_EMAIL, self._clock())
        if used is None:
            raise InvalidInput("This verification link is invalid, already used or expired.")
        return self._store.update_user(used.user_id, verified=True)

    def link_state(self, token: str, purpose: str) -> str:
        """LINK_OK, LINK_USED, LINK_EXPIRED or LINK_UNKNOWN, for the link's page to say at once."""
        found = self._store.get_token(_token_hash(token)) if token and len(token) <= 128 else None
        if found is None or found.purpose != purpose:
            return LINK_UNKNOWN
        if found.used_at is not None:
            return LINK_USED
        return LINK_EXPIRED if found.expires_at <= self._clock() else LINK_OK

    # --- login sessions --------------------------------------------------------------------
    def login(self, email: str, password: str, *, ip: str, user_agent: str, remember: bool) -> LoggedIn:
        try:
            email = normalise_email(email)
        except InvalidInput:
            raise InvalidCredentials() from None
        # Counted before the password is checked (LoginThrottled, a 429, when a budget is spent).
        admission = self._login_throttle.admit(email, ip)
        user = self._store.get_user_by_email(email)
        valid = passwords.verify_password(password[: passwords.MAX_LENGTH],
                                          user.password_hash if user else _dummy_hash())
        if user is None or not valid or user.preferences.get("disabled_at"):  # an admin disabled the account
            log.info("login failed", extra={"known_account": user is not None})
            raise InvalidCredentials()
        admission.succeeded()
        return self.open_session(user, ip=ip, user_agent=user_agent, remember=remember)

    def open_session(self, user: User, *, ip: str, user_agent: str, remember: bool) -> LoggedIn:
        """A new login session of an account whose owner was just proven (password, identity provider)."""
        now = self._clock()
        session = Session(
            id=secrets.token_urlsafe(32), user_id=user.id, created_at=now, last_seen_at=now,
            expires_at=now + self._session_lifetime(remember), user_agent=user_agent[:256], ip=ip[:64],
            remember=remember,
        )
        self._store.create_session(session)
        first_login = user.last_login_at is None
        user = self._store.update_user(user.id, last_login_at=now)
        return LoggedIn(user, session, first_login)

    def _session_lifetime(self, remember: bool) -> timedelta:
        return timedelta(days=self.settings.remember_days) if remember else timedelta(hours=self.settings.session_hours)

    def resolve_session(self, session_id: str) -> tuple[User, Session] | None:
        """The live session and its user, sliding a non-remembered session's expiry forward."""
        if not session_id or len(session_id) > 128:
            return None
        now = self._clock()
        found = self._store.get_session_with_user(session_id, now)
        if found is None:
            return None
        session, user = found
        if user.preferences.get("disabled_at"):  # disabling ended its sessions; one read just before dies too
            return None
        if (now - session.last_seen_at).total_seconds() >= SESSION_TOUCH_SECONDS:
            expires = session.expires_at if session.remember else now + self._session_lifetime(False)
            self._store.touch_session(session.id, now, expires)
            session.last_seen_at, session.expires_at = now, expires
        return user, session

    def logout(self, session_id: str) -> None:
        self._store.delete_session(session_id)

    def logout_everywhere(self, user_id: str) -> int:
        return self._store.delete_user_sessions(user_id)

    def list_sessions(self, user_id: str) -> list[Session]:
        sessions = self._store.list_user_sessions(user_id, self._clock())
        return sorted(sessions, key=lambda s: s.last_seen_at, reverse=True)

    def revoke_session(self, user_id: str, session_id: str) -> None:
        """Revoke one of the user's own sessions; someone else's id is simply not found."""
        if not any(s.id == session_id for s in self._store.list_user_sessions(user_id, self._clock())):
            raise NotFoundError("That session was not found.")
        self._store.delete_session(session_id)

    # --- passwords -------------------------------------------------------------------------
    def request_password_reset(self, email: str, reset_link: LinkBuilder) -> None:
        """Mails a reset link when the account exists; behaves the same either way."""
        try:
            email = normalise_email(email)
        except InvalidInput:
            return
        if not self._limits.hit(f"reset:{email}", RESETS_PER_HOUR, 3600).allowed:
            return
        user = self._store.get_user_by_email(email)
        if user is None:
            return
        token = self.issue_token(user.id, RESET_PASSWORD, timedelta(minutes=self.settings.reset_token_minutes))
        self._mailer.send(Message(
            to=user.email,
            subject="Reset your CodeLearn password",
            text=(f"Someone asked to reset the password of your CodeLearn account.\n\n"
                  f"Choose a new password here:\n{reset_link(token)}\n\nThe link works once, for "
                  f"{self.settings.reset_token_minutes} minutes. If it wasn't you, ignore this message: "
                  "your password stays as it is."),
        ))

    def reset_password(self, token: str, new_password: str, *, ip: str | None = None) -> User:
        """Sets the new password, signs the account out everywhere and lifts its login throttle."""
        # Check the password before spending the token, so a refused password keeps the link usable.
        problem = passwords.policy_problem(new_password)
        if problem:
            raise InvalidInput(problem, {"password": problem})
        used = self._store.consume_token(_token_hash(token), RESET_PASSWORD, self._clock())
        if used is None:
            raise InvalidInput("This reset link is invalid, already used or expired. Ask for a new one.")
        user = self._store.get_user(used.user_id)
        if user is None:
            raise InvalidInput("This reset link is invalid, already used or expired. Ask for a new one.")
        problem = passwords.policy_problem(new_password, user.email)
        if problem:
            raise InvalidInput(problem, {"password": problem})
        if not user.verified:
            # The mailbox is proven for the first time: provider sign-ins linked before (by whoever
            # claimed the address with an unverified provider email) no longer get in.
            for link in self._store.list_identities(user.id):
                self._store.delete_identity(user.id, link.provider, link.subject)
        user = self._store.update_user(user.id, password_hash=self._hash(new_password), verified=True)
        self._store.delete_user_sessions(user.id)
        self._login_throttle.clear_account(user.email, ip)
        return user

    def change_password(self, user_id: str, current: str, new: str, keep_session_id: str) -> int:
        """Returns how many other sessions were signed out."""
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        if not passwords.verify_password(current[: passwords.MAX_LENGTH], user.password_hash):
            message = "Your current password is not right."
            raise InvalidInput(message, {"current_password": message})
        problem = passwords.policy_problem(new, user.email)
        if problem:
            raise InvalidInput(problem, {"new_password": problem})
        self._store.update_user(user_id, password_hash=self._hash(new))
        return self._store.delete_user_sessions(user_id, except_session_id=keep_session_id)

    def _hash(self, password: str) -> str:
        return passwords.hash_password(password, self.settings.bcrypt_rounds)

    # --- roles and tokens ------------------------------------------------------------------
    def make_admin(self, email: str) -> User:
        user = self._store.get_user_by_email(normalise_email(email))
        if user is None:
            raise NotFoundError(f"No account with the email {email}.")
        return self._store.update_user(user.id, role="admin")

    def consume_token(self, token: str, purpose: str) -> OneTimeToken | None:
        """Spend a mailed link's token (once, unexpired, of this purpose), or None."""
        if not token or len(token) > 128:
            return None
        return self._store.consume_token(_token_hash(token), purpose, self._clock())

    def issue_token(self, user_id: str, purpose: str, lifetime: timedelta) -> str:
        """A single-use token for a mailed link; only its hash is stored."""
        token = secrets.token_urlsafe(32)
        now: datetime = self._clock()
        self._store.create_token(OneTimeToken(
            token_hash=_token_hash(token), purpose=purpose, user_id=user_id, created_at=now,
            expires_at=now + lifetime,
        ))
        return token

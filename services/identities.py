"""Signing in with an identity provider (OpenID Connect), after the web layer has verified the ID token.

What this decides, from the token's verified claims:
- a linked identity logs in to its account;
- an unknown identity whose email has no account signs up (the address counts as confirmed only when
  the provider says it verified it);
- an unknown identity whose email already has an account is never logged in to it: the learner has to
  log in to that account once (password or another linked provider) and then link it, so a provider
  that hands out unverified addresses cannot take an account over.
Unlinking never leaves an account without a way in (a password or another identity).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dal.base import EmailTaken, Store, User
from dal.identities import IdentityLink, IdentityTaken
from services import passwords
from services.accounts import MAX_NAME_LENGTH, Accounts, LinkBuilder, LoggedIn, normalise_email
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError, RateLimited, ServiceError
from services.ratelimit import RateLimiter

log = logging.getLogger(__name__)

_PROVIDER_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Provider:
    """One configured OpenID Connect provider (the `OIDC_PROVIDERS` setting, by name)."""

    name: str
    label: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)  # never logged or shown
    scope: str = "openid email profile"
    authorize_params: Mapping[str, str] = field(default_factory=dict)  # e.g. Cognito's identity_provider

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def accepted_issuers(self) -> list[str]:
        """The `iss` values an ID token may carry: the issuer, and for Google also its bare host name,
        which Google's documentation says its ID tokens may use."""
        issuer = self.issuer.rstrip("/")
        return [issuer, "accounts.google.com"] if issuer == "https://accounts.google.com" else [issuer]


def providers_from_settings(raw: Any) -> dict[str, Provider]:
    """The providers of the `OIDC_PROVIDERS` setting: {name: {issuer, client_id, client_secret, label?,
    scope?, authorize_params?}}. Empty (the default): sign-in with a provider is off."""
    if not raw:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError("OIDC_PROVIDERS must be a JSON object of providers by name")
    providers = {}
    for name, entry in raw.items():
        if not _PROVIDER_NAME.match(str(name)) or not isinstance(entry, Mapping):
            raise ValueError(f"OIDC_PROVIDERS: {name!r} needs a lower-case name and an object of settings")
        missing = [key for key in ("issuer", "client_id", "client_secret") if not entry.get(key)]
        if missing:
            raise ValueError(f"OIDC_PROVIDERS[{name!r}] lacks {', '.join(missing)}")
        issuer = str(entry["issuer"])
        parts = urlsplit(issuer)
        if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
            raise ValueError(f"OIDC_PROVIDERS[{name!r}]: the issuer must be an https URL")
        providers[name] = Provider(
            name=name, label=str(entry.get("label") or name.capitalize()), issuer=issuer,
            client_id=str(entry["client_id"]), client_secret=str(entry["client_secret"]),
            scope=str(entry.get("scope") or "openid email profile"),
            authorize_params={str(k): str(v) for k, v in (entry.get("authorize_params") or {}).items()},
        )
    return providers


@dataclass(frozen=True)
class VerifiedIdentity:
    """The claims of an ID token whose signature, issuer, audience, expiry and nonce were checked."""

    provider: str
    subject: str
    email: str  # as the provider gave it ("" when it gave none)
    email_verified: bool
    name: str = ""

    @classmethod
    def from_claims(cls, provider: str, claims: Mapping[str, Any]) -> VerifiedIdentity:
        # Cognito sends email_verified as the string "true" for some attribute mappings.
        verified = claims.get("email_verified")
        return cls(provider=provider, subject=str(claims["sub"]), email=str(claims.get("email") or ""),
                   email_verified=verified is True or str(verified).lower() == "true",
                   name=str(claims.get("name") or "")[:MAX_NAME_LENGTH])

    def to_dict(self) -> dict[str, Any]:
        return {"provider": self.provider, "subject": self.subject, "email": self.email,
                "email_verified": self.email_verified, "name": self.name}


class LinkRequired(ServiceError):
    """The identity is new and its email has an account: log in to it once, then link."""

    status_code = 409

    def __init__(self, identity: VerifiedIdentity) -> None:
        super().__init__("An account with this email address already exists.")
        self.identity = identity


class IdentityRefused(ServiceError):
    status_code = 403


def has_password(user: User) -> bool:
    return bool(user.password_hash)  # accounts made through a provider start without one


@dataclass(frozen=True)
class SignInMethods:
    has_password: bool
    links: list[IdentityLink]

    def can_unlink(self) -> bool:
        return self.has_password or len(self.links) > 1


class IdentityService:
    def __init__(self, store: Store, accounts: Accounts, *, clock: Clock = utcnow) -> None:
        self._store = store
        self._accounts = accounts
        self._clock = clock
        self._limits = RateLimiter(store, clock)

    def sign_in(self, identity: VerifiedIdentity, *, ip: str, user_agent: str, verify_link: LinkBuilder,
                remember: bool = False) -> tuple[LoggedIn, bool]:
        """(the new session, whether the account was just created); LinkRequired when the email has an
        account this identity is not linked to."""
        link = self._store.get_identity(identity.provider, identity.subject)
        if link is not None:
            user = self._store.get_user(link.user_id)
            if user is None or user.preferences.get("disabled_at"):
                raise IdentityRefused("This account cannot log in. Contact the site's administrators.")
            return self._accounts.open_session(user, ip=ip, user_agent=user_agent, remember=remember), False
        if not identity.email:
            raise IdentityRefused("The provider did not share your email address, which CodeLearn needs "
                                  "to make an account. Allow it, or sign up with a password.")
        email = normalise_email(identity.email)
        if self._store.get_user_by_email(email) is not None:
            raise LinkRequired(identity)
        user = self._sign_up(identity, email, ip)
        if not user.verified:
            self._accounts.send_verification(user, verify_link)
        return self._accounts.open_session(user, ip=ip, user_agent=user_agent, remember=remember), True

    def _sign_up(self, identity: VerifiedIdentity, email: str, ip: str) -> User:
        decision = self._limits.hit(f"signup:address:{ip}", self._accounts.settings.signups_per_address_per_hour,
                                    3600)
        if not decision.allowed:
            raise RateLimited("Many accounts were created from your network in the last hour. "
                              "Wait a little before signing up again.", decision.retry_after)
        user = User(id=uuid.uuid4().hex, email=email, password_hash="", display_name=identity.name,
                    verified=identity.email_verified, created_at=self._clock())
        try:
            self._store.create_user(user)
        except EmailTaken:
            raise LinkRequired(identity) from None  # signed up with a password a moment ago
        try:
            self._store.add_identity(IdentityLink(user.id, identity.provider, identity.subject, identity.email,
                                                  self._clock()))
        except IdentityTaken:  # the same identity signed up twice at once: the other request won
            self._store.delete_user(user.id)
            raise IdentityRefused("This sign-in is already being set up. Try again in a moment.") from None
        log.info("account created through %s", identity.provider)
        return user

    def link(self, user_id: str, identity: VerifiedIdentity) -> IdentityLink:
        """Link the identity to the logged-in learner's account."""
        found = self._store.get_identity(identity.provider, identity.subject)
        if found is not None and found.user_id != user_id:
            raise InvalidInput("That sign-in is linked to another CodeLearn account. Unlink it there first.")
        link = IdentityLink(user_id, identity.provider, identity.subject, identity.email, self._clock())
        try:
            self._store.add_identity(link)
        except IdentityTaken:
            raise InvalidInput("That sign-in is linked to another CodeLearn account. Unlink it there first.") from None
        return found or link

    def methods(self, user_id: str) -> SignInMethods:
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        return SignInMethods(has_password(user), self._store.list_identities(user_id))

    def unlink(self, user_id: str, provider: str, subject: str) -> None:
        methods = self.methods(user_id)
        if not any(link.provider == provider and link.subject == subject for link in methods.links):
            raise NotFoundError("That sign-in is not linked to your account.")
        if not methods.can_unlink():
            raise InvalidInput("This is your only way to log in: set a password (or link another sign-in) "
                               "before you unlink it.")
        self._store.delete_identity(user_id, provider, subject)

    def set_password(self, user_id: str, new_password: str) -> None:
        """A first password for an account made through a provider (one with a password changes it instead)."""
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        if has_password(user):
            raise InvalidInput("Your account has a password already: change it on the password page.")
        problem = passwords.policy_problem(new_password, user.email)
        if problem:
            raise InvalidInput(problem, {"password": problem})
        self._store.update_user(user_id, password_hash=passwords.hash_password(
            new_password, self._accounts.settings.bcrypt_rounds))

"""The identity-provider storage area: which provider identities (OpenID Connect `iss`-named
provider + `sub`) sign in to which account. One identity belongs to one account at most."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime


class IdentityTaken(Exception):
    """The provider identity is already linked to an account (this one or another)."""


@dataclass
class IdentityLink:
    user_id: str
    provider: str  # the settings' name of the provider ("cognito", "google")
    subject: str  # the provider's stable `sub` claim
    email: str  # the address the provider gave when it was linked (shown, never used to sign in)
    linked_at: datetime


class IdentityRecords(abc.ABC):
    @abc.abstractmethod
    def add_identity(self, link: IdentityLink) -> None:
        """Link the identity; IdentityTaken when another account has it (the same account again: no change)."""

    @abc.abstractmethod
    def get_identity(self, provider: str, subject: str) -> IdentityLink | None: ...

    @abc.abstractmethod
    def list_identities(self, user_id: str) -> list[IdentityLink]:
        """The account's identities, oldest first (read consistently: unlinking counts them)."""

    @abc.abstractmethod
    def delete_identity(self, user_id: str, provider: str, subject: str) -> bool:
        """Unlink one of the account's identities; False when it is not the account's."""

"""Deleting an account that has no password (made through an identity provider): the typed
confirmation, then a single-use link mailed to the account's address; opening it only shows the
question (mail scanners prefetch links), and the typed confirmation posted from it deletes."""

from __future__ import annotations

from datetime import timedelta

from services.accounts import LINK_OK, Accounts, LinkBuilder
from services.errors import InvalidInput, NotFoundError
from services.mail import Mailer, Message
from services.progress.data_rights import CONFIRMATION, DataRights

DELETE_ACCOUNT = "delete_account"


def _check_typed(confirmation: str) -> None:
    if (confirmation or "").strip() != CONFIRMATION:
        message = f"Type {CONFIRMATION} in capitals to confirm."
        raise InvalidInput("Your account was not deleted: " + message, {"confirmation": message})


class DeletionByLink:
    def __init__(self, accounts: Accounts, data_rights: DataRights, mailer: Mailer) -> None:
        self._accounts = accounts
        self._data_rights = data_rights
        self._mailer = mailer

    def _lifetime(self) -> timedelta:
        return timedelta(minutes=self._accounts.settings.reset_token_minutes)

    def send(self, user_id: str, email: str, confirmation: str, link: LinkBuilder) -> None:
        """Mail the confirmation link to the account's address (`email`, the logged-in account's)."""
        _check_typed(confirmation)
        token = self._accounts.issue_token(user_id, DELETE_ACCOUNT, self._lifetime())
        minutes = self._accounts.settings.reset_token_minutes
        self._mailer.send(Message(
            to=email,
            subject="Confirm deleting your CodeLearn account",
            text=("Someone (we hope you) asked to delete your CodeLearn account and everything stored about "
                  f"it.\n\nTo delete it, open this link and confirm once more:\n{link(token)}\n\n"
                  f"The link works once, for {minutes} minutes. If it wasn't you, ignore this message: "
                  "your account stays as it is."),
        ))

    def link_state(self, token: str) -> str:
        return self._accounts.link_state(token, DELETE_ACCOUNT)

    def confirm(self, token: str, confirmation: str) -> str:
        """Delete the link's account; returns its pseudonym. The token is spent only by a typed confirmation."""
        _check_typed(confirmation)
        if self.link_state(token) != LINK_OK:
            raise NotFoundError("This link is invalid, already used or expired. Ask for a new one on the "
                                "delete page.")
        used = self._accounts.consume_token(token, DELETE_ACCOUNT)
        if used is None:  # spent by a concurrent request in between
            raise NotFoundError("This link was used already.")
        return self._data_rights.erase(used.user_id)

"""The identity side of the SQLite store (dal/identities.py): table `identities`, one row per
linked provider identity; the primary key makes an identity belong to one account at most."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from dal.encoding import from_iso, to_iso
from dal.identities import IdentityLink, IdentityTaken


class IdentityRecords:
    _run: Callable[..., list[sqlite3.Row]]

    def add_identity(self, link: IdentityLink) -> None:
        inserted = self._run(
            "INSERT INTO identities (provider, subject, user_id, email, linked_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (provider, subject) DO NOTHING RETURNING 1",
            (link.provider, link.subject, link.user_id, link.email, to_iso(link.linked_at)))
        if not inserted:
            holder = self.get_identity(link.provider, link.subject)
            if holder is None or holder.user_id != link.user_id:
                raise IdentityTaken(f"{link.provider} identity already linked")

    def get_identity(self, provider: str, subject: str) -> IdentityLink | None:
        found = self._run("SELECT * FROM identities WHERE provider = ? AND subject = ?", (provider, subject))
        return _link(found[0]) if found else None

    def list_identities(self, user_id: str) -> list[IdentityLink]:
        found = self._run("SELECT * FROM identities WHERE user_id = ? ORDER BY linked_at, provider", (user_id,))
        return [_link(row) for row in found]

    def delete_identity(self, user_id: str, provider: str, subject: str) -> bool:
        return bool(self._run("DELETE FROM identities WHERE user_id = ? AND provider = ? AND subject = ? RETURNING 1",
                              (user_id, provider, subject)))


def _link(row: sqlite3.Row) -> IdentityLink:
    return IdentityLink(user_id=row["user_id"], provider=row["provider"], subject=row["subject"],
                        email=row["email"], linked_at=from_iso(row["linked_at"]))

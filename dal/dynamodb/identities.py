"""The identity side of the DynamoDB store (dal/identities.py), two items per link written together:

    identity claim   IDENTITY#<provider>#<subject>   IDENTITY            GSI1PK USER#<uid>  (sign-in look-up)
    account's link   USER#<uid>                      IDENTITY#<provider>#<subject>          (listed consistently)

The claim's condition makes an identity belong to one account; the link in the learner's partition
is what the account page lists and unlinking counts (a GSI read could still show a removed one).
Deleting the account finds the claim through GSI1 and the link in the partition, like sessions.
"""

from __future__ import annotations

from typing import Any

from dal.dynamodb import keys
from dal.dynamodb.errors import TransactionCanceled
from dal.dynamodb.table import Table, serialize
from dal.encoding import from_iso, to_iso
from dal.identities import IdentityLink, IdentityTaken

PREFIX = "IDENTITY#"


class IdentityRecords:
    _table: Table

    def add_identity(self, link: IdentityLink) -> None:
        attributes = {"userId": link.user_id, "provider": link.provider, "subject": link.subject,
                      "email": link.email, "linkedAt": to_iso(link.linked_at)}
        claim = {**_claim_key(link.provider, link.subject), **attributes,
                 "GSI1PK": keys.user_partition(link.user_id), "GSI1SK": _sort_key(link.provider, link.subject)}
        own = {**_link_key(link.user_id, link.provider, link.subject), **attributes}
        try:
            self._table.transact_put([(claim, "attribute_not_exists(PK)"), (own, "attribute_not_exists(PK)")])
        except TransactionCanceled as canceled:
            found = self._table.get(_claim_key(link.provider, link.subject))
            if found is not None and found["userId"] == link.user_id and self._table.get(
                    _link_key(link.user_id, link.provider, link.subject)) is not None:
                return  # our own transaction, resent after its answer was lost
            raise IdentityTaken(f"{link.provider} identity already linked") from canceled

    def get_identity(self, provider: str, subject: str) -> IdentityLink | None:
        item = self._table.get(_claim_key(provider, subject))
        return _link(item) if item else None

    def list_identities(self, user_id: str) -> list[IdentityLink]:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)", {":pk": keys.user_partition(user_id), ":prefix": PREFIX},
            ConsistentRead=True)
        return sorted((_link(item) for item in found), key=lambda link: (link.linked_at, link.provider))

    def delete_identity(self, user_id: str, provider: str, subject: str) -> bool:
        owner = {":id": user_id}
        condition = {"ConditionExpression": "#user = :id", "ExpressionAttributeNames": {"#user": "userId"},
                     "ExpressionAttributeValues": serialize(owner)}
        try:
            self._table.call("transact_write_items", TransactItems=[
                {"Delete": {"TableName": self._table.name, "Key": serialize(_claim_key(provider, subject)),
                            **condition}},
                {"Delete": {"TableName": self._table.name, "Key": serialize(_link_key(user_id, provider, subject)),
                            **condition}},
            ])
        except TransactionCanceled:
            return False
        return True


def _sort_key(provider: str, subject: str) -> str:
    return f"{PREFIX}{provider}#{subject}"


def _claim_key(provider: str, subject: str) -> dict[str, str]:
    return {"PK": _sort_key(provider, subject), "SK": "IDENTITY"}


def _link_key(user_id: str, provider: str, subject: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": _sort_key(provider, subject)}


def _link(item: dict[str, Any]) -> IdentityLink:
    return IdentityLink(user_id=item["userId"], provider=item["provider"], subject=item["subject"],
                        email=item.get("email", ""), linked_at=from_iso(item["linkedAt"]))

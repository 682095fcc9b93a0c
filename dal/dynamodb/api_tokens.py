"""The API side of the DynamoDB store (dal/api_tokens.py):

    refresh token   REFRESH#<hash>   REFRESH   GSI1PK USER#<uid>   GSI1SK REFRESH#<session>#<hash>

Looked up by its own hash; found through GSI1 for the export, account deletion and ending a
family (the index sort key starts with the session). expiresAt is DynamoDB's TTL; reads check the
expiry themselves, since TTL deletion is lazy.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dal.api_tokens import RefreshToken
from dal.dynamodb import items, keys
from dal.dynamodb.errors import ConditionFailed
from dal.dynamodb.schema import USER_INDEX
from dal.dynamodb.table import Table
from dal.encoding import from_iso, optional_from_iso, optional_iso, to_iso

PREFIX = "REFRESH#"


class ApiTokenRecords:
    _table: Table

    def create_refresh_token(self, token: RefreshToken) -> None:
        t = token
        self._table.put({**_key(t.token_hash), "tokenHash": t.token_hash, "sessionId": t.session_id,
                         "userId": t.user_id, "createdAt": to_iso(t.created_at),
                         **({"usedAt": optional_iso(t.used_at)} if t.used_at else {}),
                         **items.expiry_attributes(t.expires_at), "GSI1PK": keys.user_partition(t.user_id),
                         "GSI1SK": f"{PREFIX}{t.session_id}#{t.token_hash}"})

    def get_refresh_token(self, token_hash: str) -> RefreshToken | None:
        found = self._table.get(_key(token_hash))
        return _token(found) if found else None

    def use_refresh_token(self, token_hash: str, now: datetime) -> RefreshToken | None:
        # One conditional write checks and marks: of two racing calls only one passes.
        try:
            used = self._table.update(
                _key(token_hash), "SET #used = :now",
                condition="attribute_exists(PK) AND attribute_not_exists(#used) AND #expires > :now",
                names={"#used": "usedAt", "#expires": "expires"}, values={":now": to_iso(now)},
                once=True,  # a resent request finds its own mark: the rotation is this call's
            )
        except ConditionFailed:
            return None
        return _token(used)

    def delete_session_refresh_tokens(self, session_id: str, user_id: str) -> int:
        found = self._table.query_all(
            "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": f"{PREFIX}{session_id}#"},
            IndexName=USER_INDEX, ProjectionExpression="PK, SK")
        self._table.batch_delete([{"PK": item["PK"], "SK": item["SK"]} for item in found])
        return len(found)


def _key(token_hash: str) -> dict[str, str]:
    return {"PK": PREFIX + token_hash, "SK": "REFRESH"}


def _token(item: dict[str, Any]) -> RefreshToken:
    return RefreshToken(token_hash=item["tokenHash"], session_id=item["sessionId"], user_id=item["userId"],
                        created_at=from_iso(item["createdAt"]), expires_at=from_iso(item["expires"]),
                        used_at=optional_from_iso(item.get("usedAt")))

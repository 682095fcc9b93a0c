"""The assistant side of the DynamoDB store (dal/assistant.py), in the learner's partition:

    assistant request   USER#<uid>   ASSIST#<request id>     expiresAt: DynamoDB TTL (30 days)

TTL deletion is lazy, so reads skip items past their expiry.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dal.assistant import AssistantRequest
from dal.dynamodb import keys
from dal.dynamodb.errors import ConditionFailed
from dal.dynamodb.schema import TTL_ATTRIBUTE
from dal.dynamodb.table import Table
from dal.encoding import check_page_limit, from_iso, to_epoch_seconds, to_iso

PREFIX = "ASSIST#"


class AssistantRecords:
    _table: Table

    def add_assistant_request(self, request: AssistantRequest) -> None:
        r = request
        self._table.put({**_key(r.user_id, r.id), "userId": r.user_id, "requestId": r.id, "mode": r.mode,
                         "createdAt": to_iso(r.created_at), "expires": to_iso(r.expires_at),
                         TTL_ATTRIBUTE: to_epoch_seconds(r.expires_at), "code": r.code,
                         "result": json.dumps(r.result)})

    def list_assistant_requests(self, user_id: str, now: datetime, limit: int = 20) -> list[AssistantRequest]:
        check_page_limit(limit)
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)", {":pk": keys.user_partition(user_id), ":prefix": PREFIX},
            ScanIndexForward=False, ConsistentRead=True)
        live = [_request(item) for item in found if item[TTL_ATTRIBUTE] > to_epoch_seconds(now)]
        return live[:limit]

    def delete_assistant_request(self, user_id: str, request_id: str) -> bool:
        try:
            self._table.delete(_key(user_id, request_id), condition="attribute_exists(PK)")
        except ConditionFailed:
            return False
        return True

    def delete_assistant_history(self, user_id: str) -> int:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)", {":pk": keys.user_partition(user_id), ":prefix": PREFIX},
            ProjectionExpression="PK, SK")
        self._table.batch_delete([{"PK": item["PK"], "SK": item["SK"]} for item in found])
        return len(found)


def _key(user_id: str, request_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": PREFIX + request_id}


def _request(item: dict[str, Any]) -> AssistantRequest:
    return AssistantRequest(user_id=item["userId"], id=item["requestId"], mode=item["mode"],
                            created_at=from_iso(item["createdAt"]), expires_at=from_iso(item["expires"]),
                            code=item.get("code", ""), result=json.loads(item.get("result") or "{}"))

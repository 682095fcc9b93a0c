"""The progress side of the DynamoDB store (dal/progress.py), in the learner's partition:

    achievement    USER#<uid>   PROG#ACH#<id>            earnedAt
    activity       USER#<uid>   PROG#HOUR#<yyyy-mm>      e<ddhh> events, s<ddhh> seconds per UTC hour
    summary        USER#<uid>   PROG#SUM                 n_<counter> numbers, first/last event time

A month's hours are attributes of one item, so a year of heat map is 13 items, and each event adds to
its hour with one UpdateItem (ADD needs no existing attribute). Everything shares the PROG# prefix
(which PROGRESS# items do not start with), so the dashboard reads the area with one query. Deleting
the learner deletes them all with the rest of the partition.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from dal.base import EmailTaken
from dal.dynamodb import keys
from dal.dynamodb.errors import ConditionFailed, TransactionCanceled
from dal.dynamodb.schema import USER_INDEX
from dal.dynamodb.table import Table, serialize
from dal.encoding import from_iso, optional_from_iso, to_iso
from dal.progress import ActivityHour, ProgressSummary, ProgressView

AREA_PREFIX = "PROG#"
SUMMARY_SK = "PROG#SUM"
ACTIVITY_PREFIX = "PROG#HOUR#"
ACHIEVEMENT_PREFIX = "PROG#ACH#"
_COUNT = "n_"


class ProgressRecords:
    _table: Table

    def note_activity(self, user_id: str, at: datetime,
                      counts: dict[str, int]) -> tuple[ProgressSummary, datetime | None]:
        names = {"#user": "userId", "#first": "firstEventAt", "#last": "lastEventAt", "#prev": "previousEventAt"}
        values: dict[str, Any] = {":user": user_id, ":at": to_iso(at), ":none": ""}
        adds = []
        for index, (name, amount) in enumerate(sorted(counts.items())):
            names[f"#c{index}"] = _COUNT + name
            values[f":c{index}"] = amount
            adds.append(f"#c{index} :c{index}")
        expression = ("SET #user = :user, #first = if_not_exists(#first, :at), #prev = if_not_exists(#last, :none),"
                      " #last = :at")
        if adds:
            expression = f"ADD {', '.join(adds)} {expression}"
        item = self._table.update(_summary_key(user_id), expression, names=names, values=values, once=True)
        previous = item.get("previousEventAt") or None
        return _summary(item), from_iso(previous) if previous else None

    def add_activity_hour(self, user_id: str, hour: datetime, events: int, seconds: int) -> None:
        hour = hour.astimezone(UTC)
        slot = f"{hour:%d%H}"
        self._table.update(
            _month_key(user_id, hour), "ADD #e :e, #s :s SET #user = :user",
            names={"#e": f"e{slot}", "#s": f"s{slot}", "#user": "userId"},
            values={":e": events, ":s": seconds, ":user": user_id}, return_values="NONE", once=True,
        )

    def list_activity_hours(self, user_id: str, since: datetime | None = None) -> list[ActivityHour]:
        start = ACTIVITY_PREFIX + (f"{since.astimezone(UTC):%Y-%m}" if since is not None else "")
        found = self._table.query_all(
            "PK = :pk AND SK BETWEEN :from AND :to",
            {":pk": keys.user_partition(user_id), ":from": start, ":to": keys.past_prefix(ACTIVITY_PREFIX)},
            ConsistentRead=True,
        )
        return _hours(found, since)

    def get_progress_view(self, user_id: str) -> ProgressView:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": AREA_PREFIX}, ConsistentRead=True,
        )
        summary = next((_summary(item) for item in found if item["SK"] == SUMMARY_SK), None)
        months = [item for item in found if item["SK"].startswith(ACTIVITY_PREFIX)]
        earned = {item["achievementId"]: from_iso(item["earnedAt"]) for item in found
                  if item["SK"].startswith(ACHIEVEMENT_PREFIX)}
        return ProgressView(summary, _hours(months, None), earned)

    def get_progress_summary(self, user_id: str) -> ProgressSummary | None:
        item = self._table.get(_summary_key(user_id))
        return _summary(item) if item else None

    def reset_progress_aggregates(self, user_id: str) -> None:
        months = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": ACTIVITY_PREFIX}, ProjectionExpression="PK, SK",
        )
        self._table.batch_delete([{"PK": m["PK"], "SK": m["SK"]} for m in months] + [_summary_key(user_id)])

    def award_achievement(self, user_id: str, achievement_id: str, at: datetime) -> bool:
        try:
            self._table.put({"PK": keys.user_partition(user_id), "SK": ACHIEVEMENT_PREFIX + achievement_id,
                             "userId": user_id, "achievementId": achievement_id, "earnedAt": to_iso(at)},
                            # the same award resent by botocore's retry finds its own time: still this call's
                            condition="attribute_not_exists(PK) OR #at = :at", names={"#at": "earnedAt"},
                            values={":at": to_iso(at)})
        except ConditionFailed:
            return False
        return True

    def list_achievements(self, user_id: str) -> dict[str, datetime]:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": ACHIEVEMENT_PREFIX}, ConsistentRead=True,
        )
        return {item["achievementId"]: from_iso(item["earnedAt"]) for item in found}

    def change_email(self, user_id: str, old_email: str, new_email: str) -> bool:
        # The new address's claim, the old one's release and the profile change: all or nothing.
        writes = [
            {"Put": {"TableName": self._table.name, "ConditionExpression": "attribute_not_exists(PK)",
                     "Item": serialize({**keys.email_key(new_email), "userId": user_id})}},
            {"Update": {"TableName": self._table.name, "Key": serialize(keys.user_key(user_id)),
                        "UpdateExpression": "SET #email = :new",
                        "ConditionExpression": "attribute_exists(PK) AND #email = :old",
                        "ExpressionAttributeNames": {"#email": "email"},
                        "ExpressionAttributeValues": serialize({":new": new_email, ":old": old_email})}},
            {"Delete": {"TableName": self._table.name, "Key": serialize(keys.email_key(old_email)),
                        "ConditionExpression": "#user = :id", "ExpressionAttributeNames": {"#user": "userId"},
                        "ExpressionAttributeValues": serialize({":id": user_id})}},
        ]
        try:
            self._table.call("transact_write_items", TransactItems=writes)
        except TransactionCanceled as canceled:
            reasons = canceled.reasons + ["None"] * (3 - len(canceled.reasons))
            if reasons[0] == "ConditionalCheckFailed":
                claim = self._table.get(keys.email_key(new_email))
                if claim and claim.get("userId") == user_id:
                    return True  # our own transaction, resent after its answer was lost
                raise EmailTaken(new_email) from canceled
            if "ConditionalCheckFailed" in reasons:
                return False
            raise
        return True

    def user_items(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        # The partition holds the learner's own items; sessions and tokens are found through GSI1.
        partition = {":pk": keys.user_partition(user_id)}
        owned = self._table.query_all("PK = :pk", partition, ConsistentRead=True)
        indexed = self._table.query_all("GSI1PK = :pk", partition, IndexName=USER_INDEX)
        out: dict[str, list[dict[str, Any]]] = {}
        for item in owned + indexed:
            kind = (item["SK"].split("#", 1)[0] if item["PK"].startswith("USER#") else item["PK"].split("#", 1)[0])
            out.setdefault(kind.lower(), []).append(_plain(item))
        return out


def _hours(months: list[dict[str, Any]], since: datetime | None) -> list[ActivityHour]:
    floor = since.replace(minute=0, second=0, microsecond=0) if since is not None else None
    hours = []
    for item in months:
        year, month = (int(part) for part in item["SK"][len(ACTIVITY_PREFIX):].split("-"))
        for name, value in item.items():
            if name[0] == "e" and len(name) == 5 and name[1:].isdigit():
                at = datetime(year, month, int(name[1:3]), int(name[3:5]), tzinfo=UTC)
                if floor is None or at >= floor:
                    hours.append(ActivityHour(at, int(value), int(item.get("s" + name[1:], 0))))
    return sorted(hours, key=lambda h: h.hour)


def _summary_key(user_id: str) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": SUMMARY_SK}


def _month_key(user_id: str, hour: datetime) -> dict[str, str]:
    return {"PK": keys.user_partition(user_id), "SK": f"{ACTIVITY_PREFIX}{hour:%Y-%m}"}


def _summary(item: dict[str, Any]) -> ProgressSummary:
    counts = {name[len(_COUNT):]: int(value) for name, value in item.items() if name.startswith(_COUNT)}
    return ProgressSummary(item["userId"], counts, optional_from_iso(item.get("firstEventAt")),
                           optional_from_iso(item.get("lastEventAt")))


def _plain(value: Any) -> Any:
    """Decimals as int / float, sets as sorted lists: JSON-shaped."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset, list, tuple)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    with contextlib.suppress(AttributeError):
        return bytes(value.value).hex()  # Binary
    return value

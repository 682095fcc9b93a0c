"""The progress side of the DynamoDB store (dal/progress.py), in the learner's partition:

    achievement    USER#<uid>   PROG#ACH#<id>            earnedAt
    activity       USER#<uid>   PROG#HOUR#<yyyy-mm>      e<ddhh> events, s<ddhh> seconds per UTC hour
    packed month   USER#<uid>   PROG#PACK#<yyyy-mm>      hours "ddhh:events:seconds,...", version
    summary        USER#<uid>   PROG#SUM                 n_<counter> numbers, first/last event time

A month's hours are attributes of one item, so a year of heat map is 13 items, and each event adds to
its hour with one UpdateItem (ADD needs no existing attribute). botocore parses every attribute of a
read one by one (~15 us each), so a year of hours as attributes cost ~25 ms a read: a settled month is
packed into one string (one transaction puts the pack and deletes the hour item, on the condition that
neither changed since they were read), and an hour added to the month later makes a new hour item,
read as its sum with the pack. Everything shares the PROG# prefix
(which PROGRESS# items do not start with), so the dashboard reads the area with one query. Deleting
the learner deletes them all with the rest of the partition.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from dal.base import EmailTaken
from dal.dynamodb import items, keys
from dal.dynamodb.errors import ConditionFailed, TransactionCanceled, error_code
from dal.dynamodb.schema import USER_INDEX
from dal.dynamodb.table import LAST_WRITE, Table, serialize
from dal.dynamodb.tutor import MASTERY_PREFIX
from dal.dynamodb.tutor import _mastery as mastery_from_item
from dal.encoding import from_iso, optional_from_iso, to_iso
from dal.progress import ActivityHour, LearnerRecords, ProgressSummary, ProgressView

AREA_PREFIX = "PROG#"
SUMMARY_SK = "PROG#SUM"
ACTIVITY_PREFIX = "PROG#HOUR#"
PACK_PREFIX = "PROG#PACK#"  # sorts right after ACTIVITY_PREFIX: one key range reads both
ACHIEVEMENT_PREFIX = "PROG#ACH#"
_CONFLICT_RETRIES = 5  # an hour's ADD meeting a packing transaction of its month is refused, not applied
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
        for attempt in range(_CONFLICT_RETRIES + 1):
            try:
                self._table.update(
                    _month_key(user_id, hour), "ADD #e :e, #s :s SET #user = :user",
                    names={"#e": f"e{slot}", "#s": f"s{slot}", "#user": "userId"},
                    values={":e": events, ":s": seconds, ":user": user_id}, return_values="NONE", once=True,
                )
                return
            except ClientError as error:
                if error_code(error) != "TransactionConflictException" or attempt == _CONFLICT_RETRIES:
                    raise
                time.sleep(0.01 * 2**attempt)

    def list_activity_hours(self, user_id: str, since: datetime | None = None) -> list[ActivityHour]:
        month = f"{since.astimezone(UTC):%Y-%m}" if since is not None else ""
        found = self._table.query_all(
            "PK = :pk AND SK BETWEEN :from AND :to",
            {":pk": keys.user_partition(user_id), ":from": ACTIVITY_PREFIX + month,
             ":to": keys.past_prefix(PACK_PREFIX)},
            ConsistentRead=True,
        )
        return _hours([item for item in found if _month_of(item) >= month], since)

    def pack_activity_months(self, user_id: str, before: datetime) -> int:
        found = self._table.query_all(
            "PK = :pk AND SK BETWEEN :from AND :to",
            {":pk": keys.user_partition(user_id), ":from": ACTIVITY_PREFIX, ":to": keys.past_prefix(PACK_PREFIX)},
            ConsistentRead=True,
        )
        packs = {_month_of(item): item for item in found if item["SK"].startswith(PACK_PREFIX)}
        packed = 0
        for item in found:
            month = _month_of(item)
            if item["SK"].startswith(ACTIVITY_PREFIX) and _month_end(month) <= before.astimezone(UTC):
                packed += self._pack_month(user_id, month, item, packs.get(month))
        return packed

    def _pack_month(self, user_id: str, month: str, loose: dict[str, Any], pack: dict[str, Any] | None) -> bool:
        hours = _hours([loose] + ([pack] if pack else []), None)
        version = int(pack["version"]) if pack else 0
        item = {"PK": keys.user_partition(user_id), "SK": PACK_PREFIX + month, "userId": user_id,
                "hours": ",".join(f"{h.hour:%d%H}:{h.events}:{h.seconds}" for h in hours), "version": version + 1}
        put: dict[str, Any] = {"TableName": self._table.name, "Item": serialize(item),
                               "ConditionExpression": "attribute_not_exists(PK)"}
        if pack:
            put.update(ConditionExpression="#version = :version", ExpressionAttributeNames={"#version": "version"},
                       ExpressionAttributeValues=serialize({":version": version}))
        delete: dict[str, Any] = {"TableName": self._table.name,
                                  "Key": serialize(_month_key(user_id, _month_start(month))),
                                  "ExpressionAttributeNames": {"#lastWrite": LAST_WRITE}}
        if LAST_WRITE in loose:  # unchanged since read: an hour added meanwhile cancels the packing
            delete.update(ConditionExpression="#lastWrite = :lastWrite",
                          ExpressionAttributeValues=serialize({":lastWrite": loose[LAST_WRITE]}))
        else:
            delete["ConditionExpression"] = "attribute_exists(PK) AND attribute_not_exists(#lastWrite)"
        try:
            # botocore gives the call an idempotency token: a resend of an applied packing is answered as applied
            self._table.call("transact_write_items", TransactItems=[{"Put": put}, {"Delete": delete}])
        except TransactionCanceled:
            return False  # packed by another reader, or written meanwhile: left for the next packing
        return True

    def get_progress_view(self, user_id: str) -> ProgressView:
        found = self._table.query_all(
            "PK = :pk AND begins_with(SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": AREA_PREFIX}, ConsistentRead=True,
        )
        return _view(found)

    def get_learner_records(self, user_id: str) -> LearnerRecords:
        # MASTERY# < PROG# < PROGRESS#: the tutor's range holds this area's items too, so one query.
        found = self._table.query_all(
            "PK = :pk AND SK BETWEEN :from AND :to",
            {":pk": keys.user_partition(user_id), ":from": MASTERY_PREFIX,
             ":to": keys.past_prefix(keys.PROGRESS_PREFIX)},
            ConsistentRead=True,
        )
        masteries = sorted((mastery_from_item(i) for i in found if i["SK"].startswith(MASTERY_PREFIX)),
                           key=lambda m: m.concept_id)
        progress = [items.progress_from_item(i) for i in found if i["SK"].startswith(keys.PROGRESS_PREFIX)]
        return LearnerRecords(masteries, progress, _view([i for i in found if i["SK"].startswith(AREA_PREFIX)
                                                          and not i["SK"].startswith(keys.PROGRESS_PREFIX)]))

    def get_progress_summary(self, user_id: str) -> ProgressSummary | None:
        item = self._table.get(_summary_key(user_id))
        return _summary(item) if item else None

    def reset_progress_aggregates(self, user_id: str) -> None:
        months = self._table.query_all(
            "PK = :pk AND SK BETWEEN :from AND :to",
            {":pk": keys.user_partition(user_id), ":from": ACTIVITY_PREFIX, ":to": keys.past_prefix(PACK_PREFIX)},
            ProjectionExpression="PK, SK", ConsistentRead=True,
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


def _view(found: list[dict[str, Any]]) -> ProgressView:
    summary = next((_summary(item) for item in found if item["SK"] == SUMMARY_SK), None)
    months = [item for item in found if item["SK"].startswith((ACTIVITY_PREFIX, PACK_PREFIX))]
    earned = {item["achievementId"]: from_iso(item["earnedAt"]) for item in found
              if item["SK"].startswith(ACHIEVEMENT_PREFIX)}
    unpacked = sorted(_month_start(_month_of(item)).date() for item in months if item["SK"].startswith(ACTIVITY_PREFIX))
    return ProgressView(summary, _hours(months, None), earned, unpacked)


def _hours(months: list[dict[str, Any]], since: datetime | None) -> list[ActivityHour]:
    """The hours of month items (attributes of a live one, the string of a pack), summed per hour."""
    floor = since.replace(minute=0, second=0, microsecond=0) if since is not None else None
    events: dict[datetime, int] = {}
    seconds: dict[datetime, int] = {}
    for item in months:
        start = _month_start(_month_of(item))
        if item["SK"].startswith(PACK_PREFIX):
            slots = [tuple(part.split(":")) for part in item["hours"].split(",") if part]
        else:
            slots = [(name[1:], item[name], item.get("s" + name[1:], 0)) for name in item
                     if name[0] == "e" and len(name) == 5 and name[1:].isdigit()]
        for slot, n, s in slots:
            at = start.replace(day=int(slot[:2]), hour=int(slot[2:4]))
            if floor is None or at >= floor:
                events[at] = events.get(at, 0) + int(n)
                seconds[at] = seconds.get(at, 0) + int(s)
    return [ActivityHour(at, events[at], seconds[at]) for at in sorted(events)]


def _month_of(item: dict[str, Any]) -> str:
    return item["SK"].rsplit("#", 1)[1]


def _month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=UTC)


def _month_end(month: str) -> datetime:
    start = _month_start(month)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


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

"""A thin layer over the boto3 DynamoDB client for one table: Python values in and out (the client
speaks DynamoDB's typed JSON), errors translated, pages and batches handled."""

from __future__ import annotations

import time
import uuid
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from dal.base import StoreUnavailable
from dal.dynamodb.errors import ConditionFailed, translate_errors
from dal.encoding import check_page_limit, decode_cursor, encode_cursor

Item = dict[str, Any]

BATCH_WRITE_LIMIT = 25  # DynamoDB refuses a BatchWriteItem with more requests
BATCH_GET_LIMIT = 100  # and a BatchGetItem with more keys
_UNPROCESSED_RETRIES = 8
LAST_WRITE = "lastWrite"  # the id of the last update(once=True) that changed an item

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def serialize(item: Item) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in item.items()}


def deserialize(item: dict[str, Any]) -> Item:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}


class Table:
    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        return translate_errors(getattr(self.client, operation), operation, **params)

    def get(self, key: Item) -> Item | None:
        # Strongly consistent: a read right after a write (login after signup) must see it.
        response = self.call("get_item", TableName=self.name, Key=serialize(key), ConsistentRead=True)
        return deserialize(response["Item"]) if "Item" in response else None

    def put(self, item: Item, **condition: Any) -> None:
        self.call("put_item", TableName=self.name, Item=serialize(item), **_expression_params(condition))

    def update(self, key: Item, expression: str, **options: Any) -> Item:
        """UpdateItem; `options` are condition, names, values and return_values (ALL_NEW unless
        given). Raises ConditionFailed when the condition does not hold.

        With `once=True` the update counts once however often botocore sends it (after a timeout,
        a dropped connection or a 500, the first request may have been applied): the item keeps
        the id of the last update that changed it, and a resent request that finds its own id
        there changes nothing and returns the item as the first one left it (its ALL_NEW).
        A resend is recognised as long as no other update of the item came between it and the
        first request: the few hundred milliseconds of one retry."""
        once = options.pop("once", False)
        return_values = options.pop("return_values", "ALL_NEW")
        extra: dict[str, Any] = {}
        if once:
            expression, options = _marked_once(expression, options, uuid.uuid4().hex)
            extra["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            response = self.call(
                "update_item",
                TableName=self.name,
                Key=serialize(key),
                UpdateExpression=expression,
                ReturnValues=return_values,
                **_expression_params(options),
                **extra,
            )
        except ConditionFailed as failed:
            current = deserialize(failed.item) if failed.item else {}
            if once and current.get(LAST_WRITE) == options["values"][":lastWrite"]:
                return current  # our own request, applied before its answer was lost
            raise
        return deserialize(response.get("Attributes", {}))

    def delete(self, key: Item, **condition: Any) -> None:
        self.call("delete_item", TableName=self.name, Key=serialize(key), **_expression_params(condition))

    def transact_put(self, items: list[tuple[Item, str]]) -> None:
        """Put every item or none; each comes with its condition expression."""
        self.call(
            "transact_write_items",
            TransactItems=[
                {"Put": {"TableName": self.name, "Item": serialize(item), "ConditionExpression": condition}}
                for item, condition in items
            ],
        )

    def query_all(self, condition: str, values: Item, **params: Any) -> list[Item]:
        """Every item matching the key condition (`values` are plain Python values; `params` are
        further Query parameters such as IndexName)."""
        items: list[Item] = []
        request = self._query_request(condition, values, params)
        while True:
            response = self.call("query", **request)
            items.extend(deserialize(item) for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return items
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def query_page(
        self,
        limit: int,
        cursor: str | None,
        key_attributes: tuple[str, ...],
        condition: str,
        values: Item,
        **params: Any,
    ) -> tuple[list[Item], str | None]:
        """Up to `limit` items and the cursor of the next page, None when nothing follows.

        Reads one item more than asked so the last page never hands out a cursor to an empty page;
        the cursor is then the key of the last item returned, which the next query starts after.
        """
        check_page_limit(limit)
        request = self._query_request(condition, values, params)
        if cursor is not None:
            request["ExclusiveStartKey"] = _start_key(cursor, key_attributes)
        items: list[Item] = []
        while len(items) <= limit:
            request["Limit"] = limit + 1 - len(items)
            response = self.call("query", **request)
            items.extend(deserialize(item) for item in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                break
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        if len(items) <= limit:
            return items, None
        last = items[limit - 1]
        return items[:limit], encode_cursor({name: last[name] for name in key_attributes})

    def _query_request(self, condition: str, values: Item, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": serialize(values),
            **params,
        }

    def batch_get(self, keys: list[Item]) -> list[Item]:
        """The items that exist among `keys` (at most 100, in any order), read consistently in one
        request, resending what DynamoDB leaves unprocessed."""
        if len(keys) > BATCH_GET_LIMIT:
            raise ValueError(f"batch_get reads at most {BATCH_GET_LIMIT} keys")
        found: list[Item] = []
        request = {self.name: {"Keys": [serialize(key) for key in keys], "ConsistentRead": True}}
        for attempt in range(_UNPROCESSED_RETRIES):
            response = self.call("batch_get_item", RequestItems=request)
            found.extend(deserialize(item) for item in response.get("Responses", {}).get(self.name, []))
            request = response.get("UnprocessedKeys") or {}
            if not request:
                return found
            time.sleep(min(0.05 * 2**attempt, 1.0))
        raise StoreUnavailable(f"dynamodb batch_get_item: {len(request[self.name]['Keys'])} keys left unprocessed")

    def batch_put(self, items: list[Item]) -> None:
        """Put the items (at most 25, no two with the same key) in one BatchWriteItem, resending
        what DynamoDB leaves unprocessed."""
        if len(items) > BATCH_WRITE_LIMIT:
            raise ValueError(f"batch_put writes at most {BATCH_WRITE_LIMIT} items")
        self._batch_write([{"PutRequest": {"Item": serialize(item)}} for item in items], "puts")

    def batch_delete(self, keys: list[Item]) -> None:
        """Delete the items, 25 per request, resending what DynamoDB leaves unprocessed."""
        for start in range(0, len(keys), BATCH_WRITE_LIMIT):
            chunk = keys[start : start + BATCH_WRITE_LIMIT]
            self._batch_write([{"DeleteRequest": {"Key": serialize(key)}} for key in chunk], "deletes")

    def _batch_write(self, requests: list[dict[str, Any]], what: str) -> None:
        for attempt in range(_UNPROCESSED_RETRIES):
            response = self.call("batch_write_item", RequestItems={self.name: requests})
            requests = response.get("UnprocessedItems", {}).get(self.name, [])
            if not requests:
                return
            time.sleep(min(0.05 * 2**attempt, 1.0))
        raise StoreUnavailable(f"dynamodb batch_write_item: {len(requests)} {what} left unprocessed")


def _marked_once(expression: str, options: dict[str, Any], write_id: str) -> tuple[str, dict[str, Any]]:
    """The update and its condition with the write's id: set it, and refuse where it already is."""
    assignment = "#lastWrite = :lastWrite"
    if "SET " in expression:
        expression = expression.replace("SET ", f"SET {assignment}, ", 1)
    else:
        expression = f"{expression} SET {assignment}"
    not_yet = "(attribute_not_exists(#lastWrite) OR #lastWrite <> :lastWrite)"
    condition = options.get("condition")
    return expression, {
        **options,
        "condition": f"{not_yet} AND ({condition})" if condition else not_yet,
        "names": {**(options.get("names") or {}), "#lastWrite": LAST_WRITE},
        "values": {**(options.get("values") or {}), ":lastWrite": write_id},
    }


def _expression_params(options: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if options.get("condition"):
        params["ConditionExpression"] = options["condition"]
    if options.get("names"):
        params["ExpressionAttributeNames"] = options["names"]
    if options.get("values"):
        params["ExpressionAttributeValues"] = serialize(options["values"])
    return params


def _start_key(cursor: str, key_attributes: tuple[str, ...]) -> dict[str, Any]:
    position = decode_cursor(cursor)
    if set(position) != set(key_attributes) or not all(isinstance(value, str) for value in position.values()):
        raise ValueError("invalid page cursor")
    return serialize(position)

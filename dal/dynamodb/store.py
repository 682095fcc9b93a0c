"""DynamoDB implementation of the Store: one table, keys as described in dal.dynamodb.keys."""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from dal.base import (
    EmailTaken,
    NotFound,
    OneTimeToken,
    Page,
    Session,
    Store,
    StoreError,
    StoreUnavailable,
    User,
)
from dal.dynamodb import items, keys
from dal.dynamodb.admin import AdminRecords
from dal.dynamodb.api_tokens import ApiTokenRecords
from dal.dynamodb.assistant import AssistantRecords
from dal.dynamodb.chat import ChatRecords
from dal.dynamodb.errors import ConditionFailed, TransactionCanceled
from dal.dynamodb.expressions import set_and_remove
from dal.dynamodb.identities import IdentityRecords
from dal.dynamodb.learning import LearningRecords
from dal.dynamodb.progress import ProgressRecords
from dal.dynamodb.reviews import ReviewRecords
from dal.dynamodb.schema import TTL_ATTRIBUTE, USER_INDEX, ensure_table
from dal.dynamodb.table import Table
from dal.dynamodb.tutor import TutorRecords
from dal.encoding import optional_iso, to_iso, utc_now

_CONFLICT_RETRIES = 6
_INDEX_PAGE_KEY = ("PK", "SK", "GSI1PK", "GSI1SK")

# User fields update_user may change: the attribute each is stored in and its encoder.
_USER_ATTRIBUTES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "password_hash": ("passwordHash", str),
    "role": ("role", str),
    "verified": ("verified", bool),
    "created_at": ("createdAt", to_iso),
    "last_login_at": ("lastLoginAt", optional_iso),
    "display_name": ("displayName", str),
    "preferences": ("preferences", json.dumps),
}


class SessionOwners:
    """Whose each session is, for the sessions this process has seen (bounded: forgotten in bulk
    past `limit`, then learnt again with one more read)."""

    def __init__(self, limit: int = 20_000) -> None:
        self._owners: dict[str, str] = {}
        self._limit = limit

    def get(self, session_id: str) -> str | None:
        return self._owners.get(session_id)

    def remember(self, session_id: str, user_id: str) -> None:
        if len(self._owners) >= self._limit:
            self._owners.clear()
        self._owners[session_id] = user_id


def _backoff(attempt: int) -> None:
    time.sleep(random.uniform(0, 0.02 * 2**attempt))


class DynamoStore(LearningRecords, TutorRecords, ProgressRecords, ReviewRecords, ChatRecords, AssistantRecords,
                  IdentityRecords, AdminRecords, ApiTokenRecords, Store):
    """A Store in one DynamoDB table. `client` is a boto3 DynamoDB client made by the caller (once
    per process); boto3 clients are thread-safe, so the store is too."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = Table(client, table_name)
        self._session_owners = SessionOwners()

    def init_schema(self) -> None:
        ensure_table(self._client, self._table.name)

    # --- users -----------------------------------------------------------------------------
    def create_user(self, user: User) -> User:
        created = User(**{**user.__dict__, "created_at": user.created_at or utc_now()})
        created_iso = to_iso(created.created_at)
        profile = {
            **keys.user_key(created.id),
            "GSI1PK": keys.USERS_INDEX_PARTITION,
            "GSI1SK": keys.user_index_sort_key(created_iso, created.id),
            "id": created.id,
            "email": created.email,
            "passwordHash": created.password_hash,
            "role": created.role,
            "verified": created.verified,
            "createdAt": created_iso,
            "displayName": created.display_name,
            "preferences": json.dumps(created.preferences),
        }
        if created.last_login_at is not None:
            profile["lastLoginAt"] = to_iso(created.last_login_at)
        # The email item claims the address: both items are written, or neither.
        email_claim = {**keys.email_key(created.email), "userId": created.id}
        for attempt in range(_CONFLICT_RETRIES):
            try:
                self._table.transact_put(
                    [(profile, "attribute_not_exists(PK)"), (email_claim, "attribute_not_exists(PK)")]
                )
                return created
            except TransactionCanceled as canceled:
                reasons = canceled.reasons + ["None"] * (2 - len(canceled.reasons))
                if reasons[1] == "ConditionalCheckFailed":
                    raise EmailTaken(created.email) from canceled
                if reasons[0] == "ConditionalCheckFailed":
                    raise StoreError(f"user {created.id} already exists") from canceled
                if "TransactionConflict" not in reasons:
                    raise StoreUnavailable(f"dynamodb create_user canceled: {canceled}") from canceled
                _backoff(attempt)  # a concurrent transaction on the same email: try again
        raise StoreUnavailable("dynamodb create_user: transaction conflicts persisted")

    def get_user(self, user_id: str) -> User | None:
        item = self._table.get(keys.user_key(user_id))
        return items.user_from_item(item) if item else None

    def get_user_by_email(self, email: str) -> User | None:
        claim = self._table.get(keys.email_key(email))
        return self.get_user(claim["userId"]) if claim else None

    def _write_user_fields(self, user_id: str, fields: dict[str, Any]) -> User:
        attributes = {_USER_ATTRIBUTES[name][0]: _USER_ATTRIBUTES[name][1](value) for name, value in fields.items()}
        if "created_at" in fields:  # the user listing sorts on it
            attributes["GSI1SK"] = keys.user_index_sort_key(attributes["createdAt"], user_id)
        expression, names, values = set_and_remove(attributes)
        try:
            updated = self._table.update(
                keys.user_key(user_id), expression, condition="attribute_exists(PK)", names=names, values=values
            )
        except ConditionFailed as missing:
            raise NotFound(f"user {user_id}") from missing
        return items.user_from_item(updated)

    def delete_user(self, user_id: str) -> None:
        profile = self._table.get(keys.user_key(user_id))
        partition = {":pk": keys.user_partition(user_id)}
        owned = self._table.query_all("PK = :pk", partition, ProjectionExpression="PK, SK")
        indexed = self._table.query_all(
            "GSI1PK = :pk", partition, IndexName=USER_INDEX, ProjectionExpression="PK, SK"
        )
        # The profile goes last: if this stops half-way, the account still exists and deleting
        # it again finishes the job.
        profile_key = keys.user_key(user_id)
        leftovers = [{"PK": item["PK"], "SK": item["SK"]} for item in owned + indexed]
        self._table.batch_delete([key for key in leftovers if key != profile_key])
        if profile is not None:
            # Release the email, unless it already belongs to another account
            with contextlib.suppress(ConditionFailed):
                self._table.delete(
                    keys.email_key(profile["email"]),
                    condition="#user = :id",
                    names={"#user": "userId"},
                    values={":id": user_id},
                )
            self._table.delete(profile_key)

    def list_users(self, limit: int = 50, cursor: str | None = None) -> Page[User]:
        found, next_cursor = self._table.query_page(
            limit,
            cursor,
            _INDEX_PAGE_KEY,
            "GSI1PK = :pk",
            {":pk": keys.USERS_INDEX_PARTITION},
            IndexName=USER_INDEX,
            ScanIndexForward=False,
        )
        return Page(items=[items.user_from_item(item) for item in found], next_cursor=next_cursor)

    # --- sessions --------------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        self._session_owners.remember(session.id, session.user_id)
        created_iso = to_iso(session.created_at)
        self._table.put(
            {
                **keys.session_key(session.id),
                "GSI1PK": keys.user_partition(session.user_id),
                "GSI1SK": keys.session_index_sort_key(created_iso, session.id),
                "id": session.id,
                "userId": session.user_id,
                "createdAt": created_iso,
                "lastSeenAt": to_iso(session.last_seen_at),
                "userAgent": session.user_agent,
                "ip": session.ip,
                "remember": session.remember,
                **items.expiry_attributes(session.expires_at),
            }
        )

    def get_session(self, session_id: str, now: datetime) -> Session | None:
        item = self._table.get(keys.session_key(session_id))
        return items.session_from_item(item) if items.is_live(item, now) else None

    def get_session_with_user(self, session_id: str, now: datetime) -> tuple[Session, User] | None:
        """One BatchGetItem of the session and its user once this process knows whose the session
        is (a session never changes hands, so what it learnt stays true); two reads before."""
        user_id = self._session_owners.get(session_id)
        if user_id is None:
            session = self.get_session(session_id, now)
            if session is None:
                return None
            self._session_owners.remember(session.id, session.user_id)
            user = self.get_user(session.user_id)
            return (session, user) if user else None
        found = {item["PK"]: item for item in self._table.batch_get([keys.session_key(session_id),
                                                                     keys.user_key(user_id)])}
        session_item = found.get(keys.session_key(session_id)["PK"])
        profile = found.get(keys.user_key(user_id)["PK"])
        if not items.is_live(session_item, now) or profile is None:
            return None
        return items.session_from_item(session_item), items.user_from_item(profile)

    def touch_session(self, session_id: str, last_seen_at: datetime, expires_at: datetime) -> None:
        expression, names, values = set_and_remove(
            {"lastSeenAt": to_iso(last_seen_at), **items.expiry_attributes(expires_at)}
        )
        # The condition keeps a concurrently deleted (logged out) session from coming back
        with contextlib.suppress(ConditionFailed):
            self._table.update(
                keys.session_key(session_id),
                expression,
                condition="attribute_exists(PK)",
                names=names,
                values=values,
                return_values="NONE",
            )

    def delete_session(self, session_id: str) -> None:
        self._table.delete(keys.session_key(session_id))

    def _user_sessions(self, user_id: str) -> list[dict[str, Any]]:
        # GSI1 reads are eventually consistent: a session created a moment ago may be missing.
        return self._table.query_all(
            "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
            {":pk": keys.user_partition(user_id), ":prefix": keys.SESSION_PREFIX},
            IndexName=USER_INDEX,
            ScanIndexForward=False,
        )

    def list_user_sessions(self, user_id: str, now: datetime) -> list[Session]:
        return [items.session_from_item(item) for item in self._user_sessions(user_id) if items.is_live(item, now)]

    def delete_user_sessions(self, user_id: str, except_session_id: str | None = None) -> int:
        doomed = [
            {"PK": item["PK"], "SK": item["SK"]}
            for item in self._user_sessions(user_id)
            if item["id"] != except_session_id
        ]
        self._table.batch_delete(doomed)
        return len(doomed)

    # --- one-time tokens -------------------------------------------------------------------
    def create_token(self, token: OneTimeToken) -> None:
        item = {
            **keys.token_key(token.token_hash),
            "GSI1PK": keys.user_partition(token.user_id),
            "GSI1SK": f"TOKEN#{token.token_hash}",
            "tokenHash": token.token_hash,
            "purpose": token.purpose,
            "userId": token.user_id,
            "createdAt": to_iso(token.created_at),
            **items.expiry_attributes(token.expires_at),
        }
        if token.used_at is not None:
            item["usedAt"] = to_iso(token.used_at)
        self._table.put(item)

    def get_token(self, token_hash: str) -> OneTimeToken | None:
        item = self._table.get(keys.token_key(token_hash))
        return items.token_from_item(item) if item else None

    def consume_token(self, token_hash: str, purpose: str, now: datetime) -> OneTimeToken | None:
        # One conditional write checks and marks: of two concurrent calls only one passes.
        try:
            used = self._table.update(
                keys.token_key(token_hash),
                "SET #used = :now",
                condition="attribute_exists(PK) AND attribute_not_exists(#used)"
                " AND #purpose = :purpose AND #expires > :now",
                names={"#used": "usedAt", "#purpose": "purpose", "#expires": "expires"},
                values={":now": to_iso(now), ":purpose": purpose},
                once=True,  # a resent request finds its own mark: the token is this call's
            )
        except ConditionFailed:
            return None
        return items.token_from_item(used)

    # --- counters --------------------------------------------------------------------------
    def increment_counter(self, key: str, expires_at: datetime, now: datetime, amount: int = 1) -> int:
        expiry = items.expiry_attributes(expires_at)
        names = {"#count": "count", "#expires": "expires", "#ttl": TTL_ATTRIBUTE}
        values = {
            ":amount": amount,
            ":expires": expiry["expires"],
            ":ttl": expiry[TTL_ATTRIBUTE],
            ":now": to_iso(now),
        }
        for attempt in range(_CONFLICT_RETRIES):
            # A live (or new) counter: add, keeping the window's first expiry
            with contextlib.suppress(ConditionFailed):
                counted = self._table.update(
                    keys.counter_key(key),
                    "ADD #count :amount SET #expires = if_not_exists(#expires, :expires),"
                    " #ttl = if_not_exists(#ttl, :ttl)",
                    condition="attribute_not_exists(PK) OR #expires > :now",
                    names=names,
                    values=values,
                    return_values="UPDATED_NEW",
                    once=True,
                )
                return int(counted["count"])
            try:  # an expired counter: restart it, unless another call restarted it meanwhile
                self._table.update(
                    keys.counter_key(key),
                    "SET #count = :amount, #expires = :expires, #ttl = :ttl",
                    condition="#expires <= :now",
                    names=names,
                    values=values,
                    return_values="NONE",
                    once=True,
                )
                return amount
            except ConditionFailed:
                _backoff(attempt)
        raise StoreUnavailable(f"dynamodb increment_counter {key}: too many concurrent restarts")

    def get_counter(self, key: str, now: datetime) -> int:
        item = self._table.get(keys.counter_key(key))
        return int(item["count"]) if items.is_live(item, now) else 0

    def delete_counter(self, key: str) -> None:
        self._table.delete(keys.counter_key(key))

    # --- settings --------------------------------------------------------------------------
    def get_setting(self, key: str) -> Any | None:
        item = self._table.get(keys.setting_key(key))
        return json.loads(item["value"]) if item else None

    def put_setting(self, key: str, value: Any) -> None:
        self._table.put({**keys.setting_key(key), "value": json.dumps(value)})

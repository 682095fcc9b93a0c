"""Storage interface: the dataclasses every backend returns and the abstract store they implement.

Backends (SQLite, DynamoDB) return these plain dataclasses, never driver objects, so services stay
independent of the database. Times are timezone-aware UTC datetimes. An item past its expiry is
never returned, even when the backend has not deleted it yet (DynamoDB TTL deletion is lazy).
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from dal.admin import AdminRecords
from dal.api_tokens import ApiTokenRecords
from dal.assistant import AssistantRecords
from dal.chat import ChatRecords
from dal.identities import IdentityRecords
from dal.paging import Page
from dal.progress import ProgressRecords
from dal.reviews import ReviewRecords
from dal.tutor import TutorRecords


class StoreError(Exception):
    """Base class of the storage errors services may catch."""


class EmailTaken(StoreError):
    """Another account already uses this email address."""


class NotFound(StoreError):
    """The item to update does not exist."""


class StoreUnavailable(StoreError):
    """The backend could not be reached or refused the request (throttled, timed out)."""


@dataclass
class User:
    id: str
    email: str  # normalised (lower-cased domain, trimmed); unique
    password_hash: str
    role: str = "learner"  # learner | admin
    verified: bool = False
    created_at: datetime | None = None
    last_login_at: datetime | None = None
    display_name: str = ""
    preferences: dict[str, Any] = field(default_factory=dict)


@dataclass
class Session:
    """A server-side login session; only its id travels in the signed cookie."""

    id: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    user_agent: str = ""
    ip: str = ""
    remember: bool = False


@dataclass
class OneTimeToken:
    """Email verification / password reset token; stored by hash, usable once before it expires."""

    token_hash: str
    purpose: str  # verify_email | reset_password
    user_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass
class ActivityEvent:
    user_id: str
    at: datetime
    kind: str  # e.g. login, attempt, hint, completion
    detail: dict[str, Any] = field(default_factory=dict)
    id: str = ""  # assigned by the backend; unique per user and sortable by time


@dataclass
class LessonCacheEntry:
    key: str  # normalised from language, level, topic
    content: dict[str, Any]
    source: str  # static | ai
    created_at: datetime
    expires_at: datetime
    model: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    hit_count: int = 0


@dataclass
class Progress:
    """A learner's record on one lesson."""

    user_id: str
    lesson_id: str
    attempts: int = 0
    hints_used: int = 0  # authored hints revealed
    ai_hints_used: int = 0
    first_attempt_at: datetime | None = None
    last_attempt_at: datetime | None = None
    completed_at: datetime | None = None
    assisted: bool = False  # passed after an AI hint

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


@dataclass
class Draft:
    user_id: str
    lesson_id: str
    code: str
    updated_at: datetime


@dataclass
class LessonReport:
    """A learner's last graded report on one lesson, kept to show again when the page reopens.

    `report` is JSON-shaped data (the grader's report as a dict), stored and returned as it was:
    the storage layer neither reads nor checks its fields."""

    user_id: str
    lesson_id: str
    report: dict[str, Any]
    submitted_at: datetime
    code_digest: str = ""  # of the code that was graded, so the page can tell when it has changed since


@dataclass(frozen=True)
class LessonRecord:
    """Everything of one learner on one lesson the lesson page shows, read in one round trip."""

    progress: Progress | None = None
    draft: Draft | None = None
    last_report: LessonReport | None = None


@dataclass
class UsageRecord:
    """AI usage for one day x feature x model."""

    day: date
    feature: str
    model: str
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


# The User fields `update_user` may change; each backend maps every one of them to its storage.
UPDATABLE_USER_FIELDS = frozenset(
    {"password_hash", "role", "verified", "created_at", "last_login_at", "display_name", "preferences"}
)


class Store(TutorRecords, ProgressRecords, ReviewRecords, ChatRecords, AssistantRecords, IdentityRecords, AdminRecords,
            ApiTokenRecords, abc.ABC):
    """Everything CodeLearn persists. One instance per process; safe to share between threads.
    Each later area adds its abstract methods from its own module (dal/tutor.py, ...).

    Writes of items that belong to a user (sessions, tokens, events, progress, drafts, last reports)
    for a user that does not exist raise NotFound on SQLite (foreign keys); DynamoDB does not check.
    """

    # --- lifecycle -------------------------------------------------------------------------
    @abc.abstractmethod
    def init_schema(self) -> None:
        """Create the schema / table if missing (idempotent)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends have nothing to close
        """Release connections."""

    # --- users -----------------------------------------------------------------------------
    @abc.abstractmethod
    def create_user(self, user: User) -> User:
        """Insert a user; raises EmailTaken when the email is in use (atomic under races).
        Returns the user as stored: created_at is set to now when it was None."""

    @abc.abstractmethod
    def get_user(self, user_id: str) -> User | None: ...

    @abc.abstractmethod
    def get_user_by_email(self, email: str) -> User | None: ...

    def update_user(self, user_id: str, **fields: Any) -> User:
        """Change the given User fields (not id or email: ValueError); raises NotFound."""
        unknown = set(fields) - UPDATABLE_USER_FIELDS
        if unknown:
            raise ValueError(f"update_user cannot change {sorted(unknown)}")
        if not fields:
            user = self.get_user(user_id)
            if user is None:
                raise NotFound(f"user {user_id}")
            return user
        return self._write_user_fields(user_id, fields)

    @abc.abstractmethod
    def _write_user_fields(self, user_id: str, fields: dict[str, Any]) -> User:
        """Write checked, non-empty `fields` (names in UPDATABLE_USER_FIELDS); raises NotFound."""

    @abc.abstractmethod
    def delete_user(self, user_id: str) -> None:
        """Remove the user and every item that belongs to them."""

    @abc.abstractmethod
    def list_users(self, limit: int = 50, cursor: str | None = None) -> Page[User]:
        """Newest (created_at) first. A cursor this store did not make raises ValueError."""

    # --- sessions --------------------------------------------------------------------------
    @abc.abstractmethod
    def create_session(self, session: Session) -> None: ...

    @abc.abstractmethod
    def get_session(self, session_id: str, now: datetime) -> Session | None:
        """The session, or None when unknown or expired at `now`."""

    def get_session_with_user(self, session_id: str, now: datetime) -> tuple[Session, User] | None:
        """The live session and its user (None when either is gone): every logged-in page asks
        this, so a backend that can read both at once overrides it."""
        session = self.get_session(session_id, now)
        user = self.get_user(session.user_id) if session else None
        return (session, user) if user else None

    @abc.abstractmethod
    def touch_session(self, session_id: str, last_seen_at: datetime, expires_at: datetime) -> None:
        """Slide the session's expiry; does nothing when the session is gone (never recreates it)."""

    @abc.abstractmethod
    def delete_session(self, session_id: str) -> None: ...

    @abc.abstractmethod
    def list_user_sessions(self, user_id: str, now: datetime) -> list[Session]:
        """The user's unexpired sessions, newest first."""

    @abc.abstractmethod
    def delete_user_sessions(self, user_id: str, except_session_id: str | None = None) -> int:
        """Revoke every session of the user (but one); returns how many were removed."""

    # --- one-time tokens -------------------------------------------------------------------
    @abc.abstractmethod
    def create_token(self, token: OneTimeToken) -> None: ...

    @abc.abstractmethod
    def get_token(self, token_hash: str) -> OneTimeToken | None:
        """The token as stored, used or expired (a link is checked on opening without spending it);
        None when unknown. An expired token may already be gone: TTL deletion removes it."""

    @abc.abstractmethod
    def consume_token(self, token_hash: str, purpose: str, now: datetime) -> OneTimeToken | None:
        """Mark the token used and return it; None when unknown, expired, of another purpose
        or already used. Atomic: of two concurrent calls at most one gets the token."""

    # --- counters (rate limits) ------------------------------------------------------------
    @abc.abstractmethod
    def increment_counter(self, key: str, expires_at: datetime, now: datetime, amount: int = 1) -> int:
        """Atomically add `amount` to the counter and return the new value. A counter past its
        expiry counts as absent (starts again from 0 with the new expiry)."""

    @abc.abstractmethod
    def get_counter(self, key: str, now: datetime) -> int:
        """Current value; 0 when absent or expired."""

    @abc.abstractmethod
    def delete_counter(self, key: str) -> None: ...

    # --- activity --------------------------------------------------------------------------
    @abc.abstractmethod
    def add_event(self, event: ActivityEvent) -> ActivityEvent:
        """Store the event; returns it with its id filled in."""

    @abc.abstractmethod
    def list_events(
        self, user_id: str, limit: int = 50, cursor: str | None = None, since: datetime | None = None
    ) -> Page[ActivityEvent]:
        """Newest first; `since` keeps events at or after that time. A cursor this store did not
        make raises ValueError."""

    # --- settings --------------------------------------------------------------------------
    @abc.abstractmethod
    def get_setting(self, key: str) -> Any | None:
        """A JSON-serialisable value, or None when unset."""

    @abc.abstractmethod
    def put_setting(self, key: str, value: Any) -> None: ...

    # --- lesson cache ----------------------------------------------------------------------
    @abc.abstractmethod
    def get_cached_lesson(self, key: str, now: datetime) -> LessonCacheEntry | None: ...

    @abc.abstractmethod
    def put_cached_lesson(self, entry: LessonCacheEntry) -> None: ...

    @abc.abstractmethod
    def record_lesson_hit(self, key: str, hits: int = 1) -> None:
        """Atomically add `hits` to the entry's hit count; does nothing when there is no entry."""

    # --- progress and drafts ---------------------------------------------------------------
    @abc.abstractmethod
    def get_progress(self, user_id: str, lesson_id: str) -> Progress | None: ...

    @abc.abstractmethod
    def list_progress(self, user_id: str) -> list[Progress]:
        """The user's records, by lesson id."""

    @abc.abstractmethod
    def record_attempt(self, user_id: str, lesson_id: str, at: datetime) -> Progress:
        """Atomically count one attempt (creating the record, setting first/last attempt)."""

    @abc.abstractmethod
    def record_hint(self, user_id: str, lesson_id: str, ai: bool = False) -> Progress:
        """Atomically count one revealed hint (authored, or AI when `ai`)."""

    @abc.abstractmethod
    def mark_completed(self, user_id: str, lesson_id: str, at: datetime, assisted: bool) -> bool:
        """Set completed_at once. True when this call completed the lesson, False when it
        already was (idempotent under concurrent calls)."""

    @abc.abstractmethod
    def save_draft(self, draft: Draft) -> None: ...

    @abc.abstractmethod
    def save_last_report(self, report: LessonReport) -> None:
        """Keep `report` as the learner's last on its lesson, replacing the one before."""

    def save_report_and_event(self, report: LessonReport, event: ActivityEvent) -> ActivityEvent:
        """save_last_report and add_event of one graded attempt; a backend that can send both
        writes in one request overrides it (every submission makes them). Returns the event."""
        self.save_last_report(report)
        return self.add_event(event)

    @abc.abstractmethod
    def get_lesson_record(self, user_id: str, lesson_id: str) -> LessonRecord:
        """The learner's progress, draft and last report on one lesson, in one read (every lesson
        page shows all three)."""

    @abc.abstractmethod
    def delete_draft(self, user_id: str, lesson_id: str) -> None: ...

    # --- AI usage ledger -------------------------------------------------------------------
    @abc.abstractmethod
    def add_usage(self, record: UsageRecord) -> None:
        """Atomically add the record's calls, tokens and cost to its day x feature x model row."""

    @abc.abstractmethod
    def list_usage(self, start: date, end: date) -> list[UsageRecord]:
        """Rows with start <= day <= end, by day, feature, model."""
